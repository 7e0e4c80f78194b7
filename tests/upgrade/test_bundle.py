"""Signed update bundles (升级包, R-N4 delivery of new versions, R-N2 nothing lost): the format
the county builds, and every refusal the station makes BEFORE anything changes — a forged
signature, a tampered or extra file, a downgrade, a wrong from-version, no trusted key."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import tarfile
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from appliance.upgrade import rules
from appliance.upgrade.bundle import verify_bundle
from appliance.upgrade.rules import BundleInvalid
from sync import crypto
from sync.county.bundles import build_bundle
from tests.upgrade.conftest import Upgradable, make_wheel
from yizhan.cli import main
from yizhan.upgrade import upgrade_main


def snapshot(u: Upgradable) -> dict[str, Any]:
    """Everything a refused upgrade must leave as it was."""
    con = sqlite3.connect(u.db)
    try:
        tickets = con.execute("SELECT * FROM ticket ORDER BY id").fetchall()
        revisions = con.execute("SELECT version_num FROM alembic_version").fetchall()
    finally:
        con.close()
    data = u.station.data_dir
    return {
        "tickets": tickets,
        "revisions": sorted(revisions),
        "db": hashlib.sha256(u.db.read_bytes()).hexdigest(),
        "releases": u.releases.exists(),
        "backups": sorted(p.name for p in (data / "backups").glob("*")),
        "updates": sorted(p.name for p in (data / "updates").glob("*"))
        + sorted(p.name for p in (data / "updates").glob(".*")),  # no staging left behind
    }


def refuse(u: Upgradable, bundle: Path) -> str:
    """Run ``yizhan upgrade``; it must refuse with one Chinese line and change nothing."""
    before = snapshot(u)
    out = io.StringIO()
    code = upgrade_main(u.station.settings, str(bundle), out=out, server_check=False)
    assert code == 1
    assert snapshot(u) == before
    lines = out.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("✘ 拒绝升级："), lines
    return lines[0]


def rewrite(bundle: Path, change: dict[str, bytes | None]) -> None:
    """Replace (bytes) or drop (None) members of a bundle, keeping the rest as they were."""
    with tarfile.open(bundle) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]
    for name, data in change.items():
        if data is None:
            members.pop(name, None)
        else:
            members[name] = data
    with tarfile.open(bundle, "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_bundle_format_verifies_and_stages_the_wheels_r_n4(
    tmp_path: Path, county_key: Ed25519PrivateKey
) -> None:
    wheel = make_wheel(tmp_path / "w", "0.2.0")
    extra = make_wheel(tmp_path / "w", "1.0", name="helper-lib", script="")
    bundle = build_bundle([wheel, extra], county_key, tmp_path / "out", requires_from=">=0.1.0")
    assert bundle.name == "yizhan-update-0.2.0.tar"
    with tarfile.open(bundle) as tar:
        names = sorted(tar.getnames())
        raw = tar.extractfile("manifest.json").read()  # type: ignore[union-attr]
    assert names == [
        "manifest.json",
        "manifest.sig",
        "wheels/helper_lib-1.0-py3-none-any.whl",
        "wheels/yizhan-0.2.0-py3-none-any.whl",
    ]
    manifest = json.loads(raw)
    assert manifest["version"] == "0.2.0" and manifest["requires_from"] == ">=0.1.0"
    assert manifest["created_at"] and manifest["key_id"] == crypto.key_id(
        crypto.public_key_b64(county_key)
    )
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert {"path": f"wheels/{wheel.name}", "size": wheel.stat().st_size, "sha256": digest} in (
        manifest["files"]
    )
    staged = verify_bundle(bundle, crypto.public_key_b64(county_key), tmp_path / "stage")
    assert staged.project_wheel == f"wheels/{wheel.name}"
    assert (tmp_path / "stage" / "wheels" / wheel.name).read_bytes() == wheel.read_bytes()


def test_forged_signature_is_refused_and_nothing_changes_r_n4(
    upgradable: Upgradable, tmp_path: Path
) -> None:
    forger = crypto.new_signing_key()  # not the county's key
    bundle = build_bundle([make_wheel(tmp_path / "w", "0.2.0")], forger, tmp_path / "out")
    assert "签名校验失败" in refuse(upgradable, bundle)


def test_manifest_changed_after_signing_is_refused_r_n4(
    upgradable: Upgradable, tmp_path: Path
) -> None:
    bundle = build_bundle([make_wheel(tmp_path / "w", "0.2.0")], upgradable.key, tmp_path / "o")
    with tarfile.open(bundle) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    manifest["requires_from"] = ""  # widen who may install it
    rewrite(bundle, {"manifest.json": json.dumps(manifest).encode()})
    assert "签名校验失败" in refuse(upgradable, bundle)


def test_tampered_wheel_is_refused_r_n4(upgradable: Upgradable, tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path / "w", "0.2.0")
    bundle = build_bundle([wheel], upgradable.key, tmp_path / "out")
    data = bytearray(wheel.read_bytes())
    data[-30] ^= 0xFF  # same size, different bytes
    rewrite(bundle, {f"wheels/{wheel.name}": bytes(data)})
    assert "校验值不符" in refuse(upgradable, bundle)


def test_extra_or_missing_file_is_refused_r_n4(upgradable: Upgradable, tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path / "w", "0.2.0")
    bundle = build_bundle([wheel], upgradable.key, tmp_path / "out")
    smuggled = make_wheel(tmp_path / "x", "6.6", name="evil", script="").read_bytes()
    rewrite(bundle, {"wheels/evil-6.6-py3-none-any.whl": smuggled})
    assert "与清单不一致" in refuse(upgradable, bundle)
    rewrite(bundle, {"wheels/evil-6.6-py3-none-any.whl": None, f"wheels/{wheel.name}": None})
    assert "与清单不一致" in refuse(upgradable, bundle)
    rewrite(bundle, {"../escape.whl": b"x"})
    assert "不允许的内容" in refuse(upgradable, bundle)


def test_not_a_bundle_and_missing_file_are_refused_r_n4(
    upgradable: Upgradable, tmp_path: Path
) -> None:
    junk = tmp_path / "yizhan-update-0.2.0.tar"
    junk.write_bytes(b"not a tar at all" * 100)
    assert "无法读取" in refuse(upgradable, junk)
    assert "找不到升级包" in refuse(upgradable, tmp_path / "missing.tar")


def test_downgrade_and_same_version_are_refused_r_n4(
    upgradable: Upgradable, tmp_path: Path
) -> None:
    installed = "0.1.0"  # the running program's version: there is no `current` release yet
    same = build_bundle([make_wheel(tmp_path / "a", installed)], upgradable.key, tmp_path / "a")
    assert "不高于本机版本 0.1.0" in refuse(upgradable, same)
    older = build_bundle([make_wheel(tmp_path / "b", "0.0.9")], upgradable.key, tmp_path / "b")
    assert "不能降级" in refuse(upgradable, older)


def test_wrong_from_version_is_refused_r_n4(upgradable: Upgradable, tmp_path: Path) -> None:
    bundle = build_bundle(
        [make_wheel(tmp_path / "w", "0.3.0")],
        upgradable.key,
        tmp_path / "o",
        requires_from="==0.2.0",
    )
    line = refuse(upgradable, bundle)
    assert "只适用于版本 ==0.2.0" in line and "本机是 0.1.0" in line


def test_station_without_a_trusted_key_refuses_r_n4(upgradable: Upgradable, tmp_path: Path) -> None:
    import dataclasses

    upgradable.station.settings = dataclasses.replace(
        upgradable.station.settings, county_update_pubkey=""
    )  # and the station was never enrolled: no pinned county key either
    bundle = build_bundle([make_wheel(tmp_path / "w", "0.2.0")], upgradable.key, tmp_path / "o")
    assert "没有可信的县级更新公钥" in refuse(upgradable, bundle)


def test_check_only_verifies_without_changing_r_n4(upgradable: Upgradable, tmp_path: Path) -> None:
    bundle = build_bundle([make_wheel(tmp_path / "w", "0.2.0")], upgradable.key, tmp_path / "o")
    before = snapshot(upgradable)
    out = io.StringIO()
    assert upgrade_main(upgradable.station.settings, str(bundle), check_only=True, out=out) == 0
    assert "校验通过，可以安装版本 0.2.0" in out.getvalue()
    assert snapshot(upgradable) == before


def test_county_command_builds_a_bundle_the_station_accepts_r_n4(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = crypto.new_signing_key()
    crypto.save_private_key(key, tmp_path / "county.key")
    wheel = make_wheel(tmp_path / "w", "0.4.1")
    argv = ["county", "bundle", "build", str(wheel), "--key", str(tmp_path / "county.key")]
    assert main([*argv, "--out", str(tmp_path / "out"), "--requires-from", ">=0.1"]) == 0
    assert "已生成升级包" in capsys.readouterr().out
    assert main(["county", "bundle", "pubkey", str(tmp_path / "county.key")]) == 0
    public = capsys.readouterr().out.strip()
    assert public == crypto.public_key_b64(key)
    bundle = tmp_path / "out" / "yizhan-update-0.4.1.tar"
    assert verify_bundle(bundle, public, tmp_path / "stage").version == "0.4.1"
    assert main([*argv[:3], str(tmp_path / "nothing.whl"), "--key", argv[-1]]) == 1


def test_rules_versions_and_constraints_r_n4() -> None:
    assert rules.parse_version("0.2") == (0, 2, 0, 0)
    assert rules.satisfies("0.2.0", ">=0.1.0,<0.3") and not rules.satisfies("0.3.0", "<0.3")
    assert rules.satisfies("1.0", "") and rules.satisfies("1.0", "!=0.9,==1.0.0")
    with pytest.raises(BundleInvalid):
        rules.satisfies("1.0", "~=1.0")
    with pytest.raises(BundleInvalid):
        rules.parse_version("1.0rc1")
    assert rules.newest(["0.9", "0.10", "bad"]) == "0.10"
    assert rules.safe_member("wheels/a-1-py3-none-any.whl")
    for bad in ("wheels/../x.whl", "/etc/passwd", "wheels/a/b.whl", "setup.py", "wheels/x.tar"):
        assert not rules.safe_member(bad)
