"""Archive packages (一事一档, R-A1, R-A3): one zip per finished case, with metadata and
fixity, built within a month; an unfinished case is refused and nothing changes."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from xml.etree import ElementTree as ET

import pytest
from litestar.testing import TestClient

from appliance.archives.service.sweep import archive_pass
from tests.archives.support import MAIL, delivered, event_count
from tests.cases.notice_support import Desk
from tests.support.station import WINDOW_CLERK, Station, login


@pytest.fixture
def desk(client: TestClient, station: Station) -> Desk:
    return Desk(client, station)


def _zip(station: Station, archive_no: str) -> zipfile.ZipFile:
    path = station.data_dir / "archives" / "packages" / f"{archive_no}.zip"
    return zipfile.ZipFile(io.BytesIO(path.read_bytes()))


def test_delivered_case_gets_one_package_with_metadata_and_hashes_r_a1_r_a3(
    desk: Desk, station: Station
) -> None:
    number = delivered(desk)
    due = desk.client.get("/api/archives/due", headers=desk.headers).json()
    assert [(d["case_number"], d["due_on"], d["urgency"]) for d in due] == [
        (number, "2026-12-23", "due")
    ]
    r = desk.client.post(
        "/api/archives/build", json={"case_numbers": [number]}, headers=desk.headers
    )
    assert r.status_code == 201, r.text
    [built] = r.json()["built"]
    archive_no = built["archive_no"]
    # 档号: station, year of completion, retention code, the case's date and sequence
    assert archive_no == "YZ0001-2026-D30-20261123-0001" and built["retention"] == "30年"
    z = _zip(station, archive_no)
    names = sorted(n.removeprefix(f"{archive_no}/") for n in z.namelist())
    assert names == [
        "application/00-receipt.pdf",
        "application/materials.pdf",
        "manifest.json",
        "metadata.json",
        "metadata.xml",
        "process/01-acceptance.pdf",
        "process/history.pdf",
        "result/03-pickup.pdf",
    ]
    meta = json.loads(z.read(f"{archive_no}/metadata.json"))
    assert meta["item_code"] == "410122-MZ-001" and meta["item_name"] == "高龄津贴申请"
    assert (meta["station_code"], meta["applicant_type"]) == ("YZ0001", "自然人")
    assert (meta["result"], meta["state"], meta["file_count"]) == ("准予", "已送达", 5)
    assert meta["received_at"] and meta["decided_at"] and meta["delivered_at"]
    xml = ET.fromstring(z.read(f"{archive_no}/metadata.xml"))
    for key in ("archive_no", "region_code", "item_code", "retention", "received_at", "result"):
        assert xml.findtext(key) == str(meta[key]), key
    assert xml.find("retention").get("label") == "保管期限"  # type: ignore[union-attr]
    manifest = json.loads(z.read(f"{archive_no}/manifest.json"))
    for path, entry in manifest["files"].items():
        assert hashlib.sha256(z.read(f"{archive_no}/{path}")).hexdigest() == entry["sha256"]
    # the kept notices travel byte for byte
    [receipt] = [n for n in desk.notices(number) if n.kind == "receipt"]
    kept = (station.settings.case_notice_path / receipt.path).read_bytes()
    assert z.read(f"{archive_no}/application/00-receipt.pdf") == kept
    path = station.data_dir / "archives" / "packages" / f"{archive_no}.zip"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == built["sha256"]
    assert event_count(station, "archive.built") == 1
    assert desk.client.get("/api/archives/due", headers=desk.headers).json() == []
    again = desk.client.post(
        "/api/archives/build", json={"case_numbers": [number]}, headers=desk.headers
    )
    assert again.status_code == 409 and "已归档" in again.json()["message"]


def test_an_unfinished_case_is_refused_and_nothing_changes_r_a1(
    desk: Desk, station: Station
) -> None:
    number = desk.open()
    desk.act(number, "accept")
    done = delivered(desk)
    before = event_count(station, "archive.built")
    r = desk.client.post(
        "/api/archives/build", json={"case_numbers": [done, number]}, headers=desk.headers
    )
    assert r.status_code == 409
    assert number in r.json()["message"] and "尚未办结" in r.json()["message"]
    assert event_count(station, "archive.built") == before
    assert not (station.data_dir / "archives").exists()  # not even the finished one
    unknown = desk.client.post(
        "/api/archives/build", json={"case_numbers": ["YZ0001-20261123-9999"]}, headers=desk.headers
    )
    assert unknown.status_code == 404


def test_the_pass_builds_due_packages_and_alerts_late_ones_r_a1(
    desk: Desk, station: Station
) -> None:
    number = delivered(desk)
    archives = station.services.archives
    # a lost notice stops the package: it stays due, 临期 a week before, 逾期 after a month
    [receipt] = [n for n in desk.notices(number) if n.kind == "receipt"]
    kept = station.settings.case_notice_path / receipt.path
    data = kept.read_bytes()
    kept.unlink()
    report = archive_pass(archives)
    assert report.built == [] and number in report.failed[0] and report.alerts == []
    station.clock.advance(days=25)
    assert archive_pass(archives).alerts == [number]
    assert archive_pass(archives).alerts == []  # one alert per condition
    station.clock.advance(days=6)
    assert archive_pass(archives).alerts == [number]
    desk.headers = login(desk.client, *WINDOW_CLERK)  # a month later: a new session
    alerts = desk.client.get("/api/alerts", headers=desk.headers).json()
    [late] = [a for a in alerts if a["kind"].startswith("archive_")]
    assert late["kind"] == "archive_overdue" and "2026-12-23" in late["message"]
    due = desk.client.get("/api/archives/due", headers=desk.headers).json()
    assert due[0]["urgency_label"] == "已逾期" and due[0]["days_left"] == -1
    kept.write_bytes(data)
    report = archive_pass(archives)
    assert len(report.built) == 1
    alerts = desk.client.get("/api/alerts", headers=desk.headers).json()
    assert not [a for a in alerts if a["kind"].startswith("archive_")]
    [pkg] = desk.client.get("/api/archives/packages", headers=desk.headers).json()
    assert pkg["built_on_time"] is False


def test_a_case_that_changes_after_archiving_is_rebuilt_r_a1(desk: Desk, station: Station) -> None:
    number = delivered(desk, MAIL)
    [first] = archive_pass(station.services.archives).built
    desk.act(number, "return", reason="查无此人，快递退回")
    assert desk.client.get("/api/archives/due", headers=desk.headers).json() == []  # 退回: open
    desk.act(number, "close", reason="多次联系不上申请人，结果退回县民政局")
    [due] = desk.client.get("/api/archives/due", headers=desk.headers).json()
    assert due["rebuild"] is True
    [second] = archive_pass(station.services.archives).built
    assert second == first  # same archive number, new revision
    [pkg] = desk.client.get("/api/archives/packages", headers=desk.headers).json()
    assert pkg["revision"] == 2
    meta = json.loads(_zip(station, first).read(f"{first}/metadata.json"))
    assert meta["state"] == "已关闭" and meta["revision"] == 2
    assert meta["result"] == "准予"


def test_refused_case_is_archived_with_its_refusal_r_a1(desk: Desk, station: Station) -> None:
    number = desk.open()
    desk.act(number, "refuse", reason="申请人不属于本辖区，应向户籍所在地申请")
    [archive_no] = archive_pass(station.services.archives).built
    names = _zip(station, archive_no).namelist()
    assert f"{archive_no}/result/01-refusal.pdf" in names
    meta = json.loads(_zip(station, archive_no).read(f"{archive_no}/metadata.json"))
    assert meta["result"] == "不予受理" and meta["decided_at"]
