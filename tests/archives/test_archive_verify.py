"""``yizhan archive verify`` (R-A3): a flipped byte, a missing file and an extra file are
each named; an intact package passes; a package rewritten whole is caught by its record."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from litestar.testing import TestClient

from appliance.archives.cli import verify_main
from appliance.archives.service.sweep import archive_pass
from tests.archives.support import delivered
from tests.cases.notice_support import Desk
from tests.support.station import Station


@pytest.fixture
def built(client: TestClient, station: Station) -> tuple[Path, str]:
    delivered(Desk(client, station))
    [archive_no] = archive_pass(station.services.archives).built
    return station.data_dir / "archives" / "packages" / f"{archive_no}.zip", archive_no


def _run(station: Station, target: str | None = None, every: bool = False) -> tuple[int, str]:
    out = io.StringIO()
    code = verify_main(station.settings, target, every, out=out, clock=station.clock)
    return code, out.getvalue()


def _rewrite(path: Path, drop: str = "", add: tuple[str, bytes] | None = None) -> None:
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w") as z:
        for info, data in items:
            if not info.filename.endswith(drop) or not drop:
                z.writestr(info, data)
        if add:
            z.writestr(add[0], add[1])


def test_intact_package_passes_r_a3(station: Station, built: tuple[Path, str]) -> None:
    path, archive_no = built
    assert _run(station, str(path)) == (0, f"{archive_no}：完好\n共检查 1 个，0 个有问题\n")
    assert _run(station, archive_no)[0] == 0
    assert _run(station, every=True)[0] == 0


def test_a_flipped_byte_is_named_r_a3(station: Station, built: tuple[Path, str]) -> None:
    path, archive_no = built
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(f"{archive_no}/process/01-acceptance.pdf")
    # the member's data starts after its local header (30 bytes + name + extra)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0x01
    path.write_bytes(bytes(data))
    code, out = _run(station, str(path))
    assert code == 1
    assert "文件已改动：process/01-acceptance.pdf" in out
    assert "摘要与登记不符" in out  # the package digest recorded at build time
    code, out = _run(station, every=True)
    assert code == 1 and "文件已改动：process/01-acceptance.pdf" in out


def test_a_missing_file_is_named_r_a3(station: Station, built: tuple[Path, str]) -> None:
    path, _ = built
    _rewrite(path, drop="result/03-pickup.pdf")
    code, out = _run(station, str(path))
    assert code == 1 and "缺少文件：result/03-pickup.pdf" in out


def test_an_extra_file_is_named_r_a3(station: Station, built: tuple[Path, str]) -> None:
    path, archive_no = built
    _rewrite(path, add=(f"{archive_no}/result/extra.pdf", b"%PDF-1.4 not ours"))
    code, out = _run(station, str(path))
    assert code == 1 and "多出文件：result/extra.pdf" in out


def test_a_copy_elsewhere_and_a_rewritten_manifest_r_a3(
    station: Station, built: tuple[Path, str], tmp_path: Path
) -> None:
    path, archive_no = built
    copy = tmp_path / "stick" / path.name
    copy.parent.mkdir()
    shutil.copyfile(path, copy)
    assert _run(station, str(copy))[0] == 0
    # an extra file added to the manifest too, digest recomputed: the record still knows
    with zipfile.ZipFile(copy) as z:
        manifest = json.loads(z.read(f"{archive_no}/manifest.json"))
    from appliance.archives import rules

    manifest["files"]["result/extra.pdf"] = {"sha256": rules.sha256(b"x"), "size": 1}
    manifest["digest"] = rules.content_digest(manifest["files"])
    _rewrite(
        copy,
        drop="manifest.json",
        add=(f"{archive_no}/manifest.json", json.dumps(manifest).encode()),
    )
    with zipfile.ZipFile(copy, "a") as z:
        z.writestr(f"{archive_no}/result/extra.pdf", b"x")
    code, out = _run(station, str(copy))
    assert code == 1 and "与登记的内容摘要不符" in out


def test_an_unrecorded_package_in_the_folder_is_named_r_a3(
    station: Station, built: tuple[Path, str]
) -> None:
    path, _ = built
    shutil.copyfile(path, path.with_name("YZ0001-2026-D30-20261123-0099.zip"))
    code, out = _run(station, every=True)
    assert code == 1 and "多出的归档信息包：YZ0001-2026-D30-20261123-0099.zip" in out


def test_the_api_rechecks_a_package_r_a3(
    client: TestClient, station: Station, built: tuple[Path, str]
) -> None:
    from tests.support.station import WINDOW_CLERK, login

    path, archive_no = built
    headers = login(client, *WINDOW_CLERK)
    r = client.get(f"/api/archives/packages/{archive_no}/verify", headers=headers)
    assert r.json() == {"archive_no": archive_no, "ok": True, "lines": []}
    z = client.get(f"/api/archives/packages/{archive_no}/zip", headers=headers)
    assert z.status_code == 200 and z.content == path.read_bytes()
    _rewrite(path, drop="metadata.xml")
    r = client.get(f"/api/archives/packages/{archive_no}/verify", headers=headers)
    assert r.json()["ok"] is False and "缺少文件：metadata.xml" in r.json()["lines"]
    z = client.get(f"/api/archives/packages/{archive_no}/zip", headers=headers)
    assert z.status_code == 409 and "缺少文件：metadata.xml" in z.json()["message"]
