"""Packages travel on the USB stick too (U 盘摆渡, R-A3, R-N3): sealed to the county, signed
by the station, checked against the ``archive.built`` digest on arrival, and the county's
signed answer tells the station it can stop carrying them."""

from __future__ import annotations

import json

from litestar.testing import TestClient

from appliance.archives.service.sweep import archive_pass
from appliance.http.app import create_app
from tests.archives.support import delivered
from tests.cases.notice_support import Desk
from tests.sync.test_sync_usb import Rig, rig  # noqa: F401  (the stick rig and its fixture)


def _archive(r: Rig) -> str:
    station = r.station
    with TestClient(create_app(station.settings, services=station.services)) as client:
        delivered(Desk(client, station))
    [archive_no] = archive_pass(station.services.archives).built
    return archive_no


def test_a_package_goes_by_stick_and_is_verified_r_a3_r_n3(rig: Rig) -> None:  # noqa: F811
    archive_no = _archive(rig)
    zip_bytes = (rig.station.data_dir / "archives" / "packages" / f"{archive_no}.zip").read_bytes()
    report = rig.export()
    assert "已导出 1 个待上传的归档信息包（一事一档）" in report.lines
    doc = json.loads((rig.out / "archives" / f"{archive_no}.archive").read_bytes())
    assert "sealed" in doc and "张桂兰".encode() not in json.dumps(doc).encode()
    county = rig.county_import()
    assert not county.errors, county.errors
    assert any("收妥并核验归档信息包 1 个" in line for line in county.lines)
    [(status, blob)] = rig.county.rows(
        "SELECT a.status, b.data FROM county_archive a JOIN county_archive_blob b "
        "USING (station_id, archive_no) WHERE a.archive_no = %s",
        archive_no,
    )
    assert status == "verified" and bytes(blob) == zip_bytes
    back = rig.station_import()
    assert "县级中心已收妥并核验 1 个归档信息包" in back.lines
    assert [p.uploaded for p in rig.station.services.archives.packages()] == [True]
    rig.export()
    assert not list((rig.out / "archives").glob("*.archive"))  # no longer carried


def test_a_damaged_package_file_is_refused_by_name_r_a3(rig: Rig) -> None:  # noqa: F811
    archive_no = _archive(rig)
    rig.export()
    path = rig.out / "archives" / f"{archive_no}.archive"
    doc = json.loads(path.read_bytes())
    sealed = doc["sealed"]
    doc["sealed"] = sealed[:100] + ("A" if sealed[100] != "A" else "B") + sealed[101:]
    path.write_text(json.dumps(doc))
    county = rig.county_import()
    assert any(archive_no in e and "已跳过" in e for e in county.errors), county.errors
    status = rig.county.rows("SELECT status FROM county_archive WHERE archive_no = %s", archive_no)
    assert status == [("expected",)]  # announced by the event, never stored
