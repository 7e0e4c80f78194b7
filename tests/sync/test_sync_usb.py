"""USB sneakernet (U 盘摆渡), R-N3: a real station enrolled at a real county (PostgreSQL)
exports sealed batches to a temp "stick", the county imports them through the same inbox and
writes acks and the reference delta back, the station imports the answer. Afterwards the
county's events for the station equal the station's, by (id, hash), once each."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient
from sqlmodel import select

from appliance.events.tables import Event
from appliance.uplink.tables import ReferenceRow, SyncState
from sync import crypto
from sync.canonical import sha256_hex
from sync.county.enrolment import create_station
from sync.county.reference import publish_table
from sync.county.status import station_health
from sync.county.usb import CountyUsbReport, county_usb_import_main, import_stick
from sync.station.enrol import enrol
from sync.station.outbox import to_wire
from sync.station.state import require_state
from sync.station.usb import (
    UsbReport,
    export_to_stick,
    import_from_stick,
    usb_export_main,
    usb_import_main,
)
from tests.support.county import County
from tests.support.station import Station, make_station

STATION = "ST01"
CATALOGUE = {
    "hukou-qianyi": {"name": "户口迁移", "limit_days": 5},
    "gaoling-butie": {"name": "高龄津贴申领", "limit_days": 10},
}


class ViaTestClient(httpx.BaseTransport):
    """Lets the station's real httpx client talk to the county app under TestClient."""

    def __init__(self, client: TestClient[Any]) -> None:
        self.client = client

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        r = self.client.request(
            request.method,
            request.url.raw_path.decode(),
            content=request.read(),
            headers=dict(request.headers),
        )
        return httpx.Response(r.status_code, headers=r.headers, content=r.content)


@dataclass
class Rig:
    county: County
    station: Station
    stick: Path

    @property
    def out(self) -> Path:
        return self.stick / "yizhan" / STATION / "out"

    @property
    def inbox(self) -> Path:
        return self.stick / "yizhan" / STATION / "in"

    def state(self) -> SyncState:
        return require_state(self.station.services.db)

    def export(self) -> UsbReport:
        return export_to_stick(
            self.station.settings, self.station.services.db, self.stick, self.station.clock
        )

    def county_import(self) -> CountyUsbReport:
        return import_stick(self.county.services, self.stick)

    def station_import(self) -> UsbReport:
        return import_from_stick(self.station.services.db, self.stick, self.station.clock)

    def issue(self, n: int) -> None:
        for i in range(n):
            self.station.services.queue.issue("A" if i % 2 else "B", "kiosk")

    def local(self) -> set[tuple[str, str]]:
        with self.station.services.db.read() as s:
            return {(w.id, w.hash) for w in (to_wire(e) for e in s.exec(select(Event)))}

    def at_county(self) -> list[tuple[str, str]]:
        return [
            (r[0], r[1])
            for r in self.county.rows(
                "SELECT event_id, hash FROM inbox_event WHERE station_id = %s", STATION
            )
        ]

    def batch_files(self) -> list[Path]:
        return sorted(
            self.out.glob("*.batch"),
            key=lambda p: json.loads(crypto.b64d(json.loads(p.read_bytes())["header"]))[
                "first_seq"
            ],
        )


@pytest.fixture
def rig(make_county: Callable[..., County], tmp_path: Path) -> Iterator[Rig]:
    county = make_county()
    issued = create_station(county.services, STATION, "示范村便民服务站")
    # sync_batch_events=1: USB batches hold up to 10 events, so a few files per export
    station = make_station(
        tmp_path / "station",
        county_url="http://county.test",
        station_code=STATION,
        sync_batch_events=1,
    )
    enrol(
        station.settings,
        issued.code,
        db=station.services.db,
        clock=station.clock,
        transport=ViaTestClient(county.client),
    )
    stick = tmp_path / "stick"
    stick.mkdir()
    yield Rig(county, station, stick)
    station.services.close()


def test_round_trip_by_stick_matches_the_county_exactly(rig: Rig) -> None:
    rig.issue(15)  # plus the demo seed's events
    publish_table(rig.county.services, "catalogue", CATALOGUE)
    total = len(rig.local())
    exported = rig.export()
    assert exported.events == total and exported.batches >= 3
    assert (rig.out / "station.json").exists()

    county = rig.county_import()
    assert county.errors == [] and county.accepted == total and county.duplicates == 0
    assert len(list(rig.inbox.glob("*.ack"))) == exported.batches
    assert sorted(rig.at_county()) == sorted(rig.local())  # once each, by (id, hash)

    back = rig.station_import()
    assert back.errors == [] and back.acks == exported.batches
    assert rig.state().acked_through_seq == total
    assert any("已确认至第" in line for line in back.lines)
    with rig.station.services.db.read() as s:
        rows = {r.id: json.loads(r.data) for r in s.exec(select(ReferenceRow))}
    assert rows == CATALOGUE
    assert rig.state().ref_rev > 0

    # the next trip carries only the new events and the new reference rows
    rig.issue(3)
    publish_table(
        rig.county.services,
        "catalogue",
        {**CATALOGUE, "yibao": {"name": "医保缴费", "limit_days": 0}},
    )
    new = len(rig.local()) - total
    assert rig.export().events == new
    assert len(rig.batch_files()) == 1  # the old, acknowledged batches were removed
    assert rig.county_import().accepted == new
    assert rig.station_import().errors == []
    assert rig.state().acked_through_seq == total + new
    assert sorted(rig.at_county()) == sorted(rig.local())
    with rig.station.services.db.read() as s:
        assert s.get(ReferenceRow, ("catalogue", "yibao")) is not None


def test_importing_the_same_stick_twice_is_harmless(rig: Rig) -> None:
    rig.issue(6)
    rig.export()
    first = rig.county_import()
    footprint = rig.county.footprint()
    second = rig.county_import()
    assert second.errors == [] and second.accepted == 0
    assert second.duplicates == first.accepted  # all duplicates
    assert rig.county.footprint() == footprint
    assert rig.station_import().errors == []
    acked = rig.state().acked_through_seq
    again = rig.station_import()
    assert again.errors == [] and rig.state().acked_through_seq == acked
    assert sorted(rig.at_county()) == sorted(rig.local())


def test_corrupted_and_truncated_batch_files_are_refused_and_nothing_is_written(
    rig: Rig,
) -> None:
    rig.issue(20)
    rig.export()
    files = rig.batch_files()
    assert len(files) >= 3
    good, corrupt, short = files[0], files[1], files[2]
    doc = json.loads(corrupt.read_bytes())
    sealed = bytearray(crypto.b64d(doc["sealed_body"]))
    sealed[60] ^= 0xFF
    doc["sealed_body"] = crypto.b64e(bytes(sealed))
    corrupt.write_text(json.dumps(doc))
    raw = short.read_bytes()
    short.write_bytes(raw[: len(raw) // 2])

    report = rig.county_import()
    assert len(report.errors) == 2
    assert any(corrupt.name in e and "损坏" in e for e in report.errors), report.errors
    assert any(short.name in e and "截断" in e for e in report.errors), report.errors
    good_count = json.loads(crypto.b64d(json.loads(good.read_bytes())["header"]))["count"]
    # the good batch (and any after the broken ones) went in; nothing from the broken files
    county_ids = {i for i, _ in rig.at_county()}
    for bad in (corrupt, short):
        assert not (rig.inbox / bad.name.replace(".batch", ".ack")).exists()
    assert len(county_ids) == report.accepted and report.accepted >= good_count
    assert int(rig.county.scalar("SELECT count(*) FROM quarantine")) == 0

    # the station applies what came back; a fresh export carries the rest and all is equal
    assert rig.station_import().errors == []
    assert rig.state().acked_through_seq == good_count
    rig.export()
    assert rig.county_import().errors == []
    assert rig.station_import().errors == []
    assert sorted(rig.at_county()) == sorted(rig.local())


def test_a_sealed_body_cannot_be_read_without_the_county_key(rig: Rig) -> None:
    rig.issue(2)
    rig.export()
    path = rig.batch_files()[0]
    doc = json.loads(path.read_bytes())
    header = json.loads(crypto.b64d(doc["header"]))
    assert header["station_id"] == STATION  # the header stays readable for routing
    sealed = crypto.b64d(doc["sealed_body"])
    with pytest.raises(crypto.SignatureInvalid):
        crypto.unseal(crypto.new_box_key(), sealed)
    with pytest.raises(OSError):
        gzip.decompress(sealed)
    ticket_ids = {i for i, _ in rig.local()}
    assert not any(i.encode() in path.read_bytes() for i in ticket_ids)
    body = crypto.unseal(rig.county.services.keys.box, sealed)  # the county can
    assert header["body_sha256"] == sha256_hex(body)


def test_a_tampered_ack_file_is_refused_by_the_station(rig: Rig) -> None:
    rig.issue(4)
    rig.export()
    rig.county_import()
    acks = sorted(rig.inbox.glob("*.ack"))
    victim = acks[0]
    doc = json.loads(victim.read_bytes())
    doc["reply"]["acked_through_seq"] += 1000
    victim.write_text(json.dumps(doc, ensure_ascii=False))
    report = rig.station_import()
    assert len(report.errors) == 1
    assert victim.name in report.errors[0] and "签名校验失败" in report.errors[0]
    assert report.acks == len(acks) - 1  # the rest were still processed
    assert rig.state().acked_through_seq < 1000


def test_files_for_another_station_are_ignored_with_a_message(rig: Rig) -> None:
    rig.issue(2)
    rig.export()
    rig.county_import()
    other = rig.stick / "yizhan" / "ST99" / "in"
    other.mkdir(parents=True)
    (other / "x.ack").write_text("{}")
    report = rig.station_import()
    assert report.errors == []
    assert any("ST99" in line and "已忽略" in line for line in report.lines)
    county = rig.county_import()  # an unknown station's folder: a message, nothing else
    assert any("ST99" in line and "未在县级中心登记" in line for line in county.lines)


def test_cli_entry_points_report_in_chinese(rig: Rig, capsys: pytest.CaptureFixture[str]) -> None:
    rig.issue(1)
    assert usb_export_main(rig.station.settings, rig.stick) == 0
    assert "已导出" in capsys.readouterr().out
    assert usb_export_main(rig.station.settings, rig.stick / "missing") == 1
    assert "找不到 U 盘目录" in capsys.readouterr().out
    assert county_usb_import_main(rig.county.services.settings, rig.stick) == 0
    assert "新入库" in capsys.readouterr().out
    assert usb_import_main(rig.station.settings, rig.stick) == 0
    assert "已确认至第" in capsys.readouterr().out


def test_a_sticks_travel_time_is_not_shown_as_the_stations_clock_error_r_n3(rig: Rig) -> None:
    """A batch made days before it reaches the county says nothing of the station's clock:
    only a live sync, where both clocks meet, measures the offset (时钟偏差)."""
    rig.issue(2)
    rig.export()
    assert rig.county_import().errors == []
    [health] = station_health(rig.county.services)
    assert health.clock_offset_s is None
