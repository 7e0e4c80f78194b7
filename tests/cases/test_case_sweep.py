"""The case sweep (办件巡检): auto-acceptance, lapsed tolerance, reminders, overdue, lapsed
corrections, late pickup notices and provisional deadlines (R-K2, R-K3, R-K6).

The frozen clock is moved across working days, weekends and the 2026 National Day holiday
(10-01 to 10-07, with 10-10 a make-up Saturday); every rule is checked to act once, and a
second pass to do nothing new.
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import text

from appliance.calendar.rules import CalendarEntry
from appliance.calendar.service import CalendarService
from appliance.cases.service.cases import CaseService
from appliance.cases.service.sweep import CaseSweep, SweepReport, sweep_main
from appliance.http.app import create_app
from appliance.workers import case_sweep_watch
from tests.support.station import WINDOW_CLERK, Station, login, make_station
from yizhan.cli import build_parser, cmd_cases_sweep

ITEM = "410122-MZ-001"  # 高龄津贴申请: 承诺件, 15 working days, 容缺 allowed (M3 tolerable)
ALL_RECEIVED = {"M1": "received", "M2": "received", "M3": "received", "M4": "received"}
M3_MISSING = {**ALL_RECEIVED, "M3": "missing"}
APPLICANT = {
    "kind": "person",
    "name": "张桂兰",
    "id_number": "410122194001080021",
    "phone": "13800001234",
}


@dataclass
class Desk:
    """A station with the case service and the sweep, on a frozen clock."""

    station: Station
    cases: CaseService
    sweep: CaseSweep

    def at(self, day: str, hour: int = 9) -> None:
        self.station.clock.set(datetime.fromisoformat(f"{day}T{hour:02d}:00:00+08:00"))

    def open(self, materials: dict[str, str] | None = None) -> str:
        body = {"item_code": ITEM, "applicant": APPLICANT, "materials": materials or ALL_RECEIVED}
        clerk = self.sql("SELECT id FROM staff WHERE code = 'ck01'")[0][0]
        return self.cases.open(body, clerk, "ck01").case_number

    def act(self, number: str, action: str, **body: Any) -> None:
        self.cases.act(number, action, body, "ck01")

    def run(self) -> SweepReport:
        return self.sweep.run()

    def sql(self, sql: str) -> list[Any]:
        with self.station.services.db.read() as s:
            return list(s.execute(text(sql)))

    def events(self, type_: str) -> list[dict[str, Any]]:
        rows = self.sql(f"SELECT payload FROM event WHERE type = '{type_}' ORDER BY seq")
        return [json.loads(r[0]) for r in rows]

    def alerts(self) -> list[tuple[str, str]]:
        """Open case alerts (kind, message)."""
        return [
            (r[0], r[1])
            for r in self.sql(
                "SELECT kind, message FROM alert WHERE cleared_at IS NULL AND kind LIKE 'case_%' "
                "ORDER BY raised_at, kind"
            )
        ]

    def state(self, number: str) -> tuple[str, str | None, bool]:
        row = self.sql(
            f"SELECT state, due_on, due_provisional FROM case_file WHERE case_number = '{number}'"
        )[0]
        return row[0], row[1], bool(row[2])

    def event_count(self) -> int:
        return int(self.sql("SELECT count(*) FROM event")[0][0])


def make_desk(station: Station) -> Desk:
    services = station.services
    return Desk(
        station,
        CaseService(services.db, station.settings, station.clock),
        CaseSweep(services.db, station.settings, station.clock),
    )


@pytest.fixture
def desk(station: Station) -> Desk:
    return make_desk(station)


def assert_idempotent(desk: Desk) -> None:
    """A second pass right away changes nothing (R-K3: once per case and date)."""
    before = desk.event_count()
    again = desk.run()
    assert not again.changed, again.text_lines()
    assert desk.event_count() == before


def test_undecided_case_is_accepted_from_the_day_of_receipt_after_national_day_r_k2(
    desk: Desk,
) -> None:
    desk.at("2026-09-28")  # Monday; 受理期限 = 5 working days: 9-29, 9-30, 10-08, 10-09, 10-10
    number = desk.open()
    notices = "SELECT count(*) FROM print_job WHERE kind = 'notice'"
    printed = desk.sql(notices)[0][0]
    for day in ("2026-09-30", "2026-10-07", "2026-10-10"):
        desk.at(day)
        assert not desk.run().changed, day
        assert desk.state(number)[0] == "received"
    desk.at("2026-10-11")  # Sunday, the day after the acceptance deadline
    report = desk.run()
    assert [(x.what, x.case_number) for x in report.lines] == [("auto_accept", number)]
    state, due_on, provisional = desk.state(number)
    assert state == "accepted" and not provisional
    assert due_on == "2026-10-23"  # 15 working days from 9-28, the day of receipt
    detail = desk.cases.get(number)
    assert detail.accepted_on == date(2026, 9, 28)
    assert [(t.action, t.who) for t in detail.timeline] == [("auto_accept", "系统")]
    assert desk.events("case.auto_accept")[0]["actor"] == "系统"
    assert desk.sql("SELECT kind FROM sms_message") == [("case_accepted",)]
    assert desk.sql(notices)[0][0] == printed + 1  # the 受理通知书, 一式二份
    assert_idempotent(desk)


def test_reminder_once_then_overdue_until_decided_r_k3(desk: Desk) -> None:
    desk.at("2026-11-23")
    number = desk.open()
    desk.act(number, "accept")  # due 2026-12-14 (Monday); reminder day 12-11 (Friday)
    desk.at("2026-12-10")
    assert not desk.run().changed and desk.alerts() == []

    desk.at("2026-12-11")
    report = desk.run()
    assert [(x.what, x.case_number) for x in report.lines] == [("reminder", number)]
    assert [e["due_on"] for e in desk.events("case.reminder")] == ["2026-12-14"]
    assert desk.alerts() == [
        (
            "case_reminder",
            f"办件临期：{number}（高龄津贴申请，申请人 张*兰） 办结期限 12月14日，请抓紧办理",
        )
    ]
    assert_idempotent(desk)
    for day in ("2026-12-12", "2026-12-14"):  # weekend, then the due day itself
        desk.at(day)
        assert_idempotent(desk)

    desk.at("2026-12-15")
    report = desk.run()
    assert {x.what for x in report.lines} == {"overdue", "cleared"}
    assert [e["due_on"] for e in desk.events("case.overdue")] == ["2026-12-14"]
    assert [k for k, _ in desk.alerts()] == ["case_overdue"]
    for day in ("2026-12-16", "2026-12-21"):
        desk.at(day)
        assert_idempotent(desk)
        assert [k for k, _ in desk.alerts()] == ["case_overdue"]  # stays until decided

    desk.act(number, "approve", decided_by="县民政局")
    report = desk.run()
    assert [x.what for x in report.lines] == ["cleared"]
    assert desk.alerts() == []
    assert len(desk.events("case.overdue")) == 1 and len(desk.events("case.reminder")) == 1
    texts = "\n".join(report.text_lines())
    assert "张桂兰" not in texts and "13800001234" not in texts  # R-I3


def test_an_extended_deadline_reminds_again_r_k3(desk: Desk) -> None:
    desk.at("2026-11-23")
    number = desk.open()
    desk.act(number, "accept")
    desk.at("2026-12-11")
    desk.run()
    desk.cases.act(
        number, "extend", {"days": 5, "reason": "需入户核实"}, "zz01"
    )  # 站长; 12-14 → 12-21
    report = desk.run()
    assert [x.what for x in report.lines] == ["cleared"]  # no longer due soon
    assert desk.alerts() == []
    desk.at("2026-12-18")  # reminder day of the new due date
    desk.run()
    assert [e["due_on"] for e in desk.events("case.reminder")] == ["2026-12-14", "2026-12-21"]
    assert_idempotent(desk)


def test_tolerant_case_past_its_commitment_lapses_once_r_k2(desk: Desk) -> None:
    desk.at("2026-11-23")
    number = desk.open(M3_MISSING)
    desk.act(number, "accept_tolerant", deadline="2026-11-27", signed_by="张桂兰")
    desk.at("2026-11-27", hour=17)
    assert not desk.run().changed
    desk.at("2026-11-28")
    report = desk.run()
    assert [(x.what, x.case_number) for x in report.lines] == [("lapse", number)]
    assert desk.state(number)[0] == "tolerant_lapsed"
    detail = desk.cases.get(number)
    assert detail.timeline[-1].who == "系统" and detail.timeline[-1].details["flagged"] == "yes"
    assert [k for (k,) in desk.sql("SELECT kind FROM sms_message ORDER BY created_at")] == [
        "case_accepted",
        "case_lapsed",
    ]
    assert_idempotent(desk)


def test_lapsed_correction_alerts_but_is_not_closed_r_k2(desk: Desk) -> None:
    desk.at("2026-11-23")
    number = desk.open(M3_MISSING)
    desk.act(number, "request_correction", deadline="2026-11-30")
    desk.at("2026-11-30")
    assert not desk.run().changed
    desk.at("2026-12-01")
    report = desk.run()
    assert [x.what for x in report.lines] == ["correction_lapsed"]
    assert desk.alerts() == [
        (
            "case_correction_lapsed",
            f"补正逾期：{number}（高龄津贴申请，申请人 张*兰） 补正期限 11月30日 已过，可关闭办件",
        )
    ]
    assert desk.state(number)[0] == "correction_requested"  # staff decide, never the sweep
    assert_idempotent(desk)
    desk.act(number, "close", reason="补正期限届满未补正")
    desk.run()
    assert desk.alerts() == []


def test_pickup_notice_not_sent_within_one_working_day_alerts_r_k6(desk: Desk) -> None:
    desk.at("2026-11-27")  # Friday: the result arrives (approved); notice due Monday 11-30
    number = desk.open()
    desk.act(number, "accept")
    desk.act(number, "approve", decided_by="县民政局")
    for day in ("2026-11-28", "2026-11-30"):
        desk.at(day)
        assert not desk.run().changed, day
    desk.at("2026-12-01")
    assert [x.what for x in desk.run().lines] == ["pickup_late"]
    assert [k for k, _ in desk.alerts()] == ["case_pickup_late"]
    assert_idempotent(desk)
    desk.act(number, "notify_pickup", arrived_on="2026-11-27")
    desk.run()
    assert desk.alerts() == []


def test_provisional_deadline_is_recomputed_when_the_year_arrives_r_k3(desk: Desk) -> None:
    desk.at("2026-12-15")
    number = desk.open()
    desk.act(number, "accept")
    assert desk.state(number) == ("accepted", "2027-01-05", True)  # 2027 unknown: weekends only
    assert not desk.run().changed  # still no 2027 data: nothing to recompute
    CalendarService(desk.station.services.db, desk.station.clock).replace(
        [CalendarEntry(date(2027, 1, 1), "holiday", "元旦")], {2027}, "import"
    )
    report = desk.run()
    assert [(x.what, x.case_number) for x in report.lines] == [("recomputed", number)]
    assert desk.state(number) == ("accepted", "2027-01-06", False)
    event = desk.events("case.due_recomputed")[0]
    assert (event["from_due"], event["due_on"], event["due_provisional"]) == (
        "2027-01-05",
        "2027-01-06",
        False,
    )
    # the applicant was told 2027-01-05 (暂定): the new date reaches them by SMS (issue 16)
    [told] = desk.sql("SELECT body FROM sms_message WHERE kind = 'case_accepted'")
    assert "2027年1月5日（暂定）" in told[0]
    [moved] = desk.sql("SELECT body FROM sms_message WHERE kind = 'case_deadline_changed'")
    assert "办结期限按节假日安排调整为2027年1月6日，" in moved[0] and "暂定）" not in moved[0]
    [(path, title)] = desk.sql(
        "SELECT path, title FROM case_notice WHERE kind = 'acceptance_reissued'"
    )
    assert title == "受理通知书（办结期限调整后重新出具）"
    pdf = desk.station.settings.case_notice_path / path
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    text_of_pdf = "".join(out.stdout.split())
    assert "2027年1月6日前" in text_of_pdf and "暂定" not in text_of_pdf
    assert_idempotent(desk)


def test_a_case_decided_meanwhile_is_skipped_not_overwritten_r_k2(desk: Desk) -> None:
    desk.at("2026-11-23")
    number = desk.open()
    desk.at("2026-12-01")  # past the acceptance deadline (11-30)
    real_act = desk.sweep.cases.act

    def staff_first(case_number: str, action: str, body: Any, actor: str, **kw: Any) -> Any:
        desk.act(case_number, "refuse", reason="不符合申请条件")  # a clerk, a moment earlier
        return real_act(case_number, action, body, actor, **kw)

    desk.sweep.cases.act = staff_first  # type: ignore[method-assign]
    report = desk.run()
    assert [x.what for x in report.lines] == ["skipped"]
    assert desk.state(number)[0] == "refused"
    assert desk.events("case.auto_accept") == []


def test_two_sweeps_at_once_report_each_case_once_r_k3(desk: Desk) -> None:
    """The server's worker and ``yizhan cases sweep`` may overlap: still one event each."""
    desk.at("2026-11-23")
    numbers = [desk.open() for _ in range(3)]
    for number in numbers:
        desk.act(number, "accept")
    desk.at("2026-12-15")
    sweeps = [
        CaseSweep(desk.station.services.db, desk.station.settings, desk.station.clock)
        for _ in range(2)
    ]
    threads = [threading.Thread(target=sw.run) for sw in sweeps]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(e["case_number"] for e in desk.events("case.overdue")) == sorted(numbers)
    assert [k for k, _ in desk.alerts()] == ["case_overdue"] * 3
    assert_idempotent(desk)


def test_cli_prints_what_the_sweep_did_in_chinese(
    desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    assert build_parser().parse_args(["cases", "sweep"]).func is cmd_cases_sweep
    desk.at("2026-11-23")
    number = desk.open()
    desk.at("2026-12-01")
    assert sweep_main(desk.station.settings, desk.station.clock) == 0
    out = capsys.readouterr().out
    assert "办件巡检（2026-12-01）：检查 1 件，视为受理 1 件" in out
    assert f"视为受理：{number}（高龄津贴申请，申请人 张*兰）" in out and "张桂兰" not in out
    assert sweep_main(desk.station.settings, desk.station.clock) == 0
    assert "没有需要处理的办件" in capsys.readouterr().out


def test_case_alerts_reach_the_alert_api_masked_r_i3(desk: Desk, client: TestClient) -> None:
    desk.at("2026-11-23")
    number = desk.open()
    desk.act(number, "accept")
    desk.at("2026-12-15")
    desk.run()
    alerts = client.get("/api/alerts", headers=login(client, *WINDOW_CLERK)).json()
    assert [(a["kind"], number in a["message"]) for a in alerts] == [("case_overdue", True)]
    assert "张桂兰" not in alerts[0]["message"] and "张*兰" in alerts[0]["message"]


def _sweep_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "yizhan-case_sweep_watch"]


@pytest.fixture
def quick_station(tmp_path: Path) -> Iterator[Station]:
    st = make_station(tmp_path, case_sweep_seconds=0.05)
    yield st
    st.services.close()


def test_server_runs_the_sweep_and_stops_it(quick_station: Station) -> None:
    desk = make_desk(quick_station)
    desk.at("2026-11-23")
    number = desk.open()
    desk.at("2026-12-01")
    with TestClient(create_app(quick_station.settings, services=quick_station.services)):
        assert _sweep_threads()
        deadline = time.monotonic() + 10  # a bound on waiting, not a timing assertion
        while desk.state(number)[0] != "accepted":
            assert time.monotonic() < deadline, "the server never swept"
            time.sleep(0.05)
    for t in _sweep_threads():
        t.join(timeout=5)
    assert not _sweep_threads()


def test_sweep_interval_zero_is_off(station: Station) -> None:
    off = make_station(station.data_dir / "off", case_sweep_seconds=0)
    try:
        worker = threading.Thread(target=case_sweep_watch, args=(off.services, threading.Event()))
        worker.start()
        worker.join(timeout=5)
        assert not worker.is_alive()  # returned at once, though never told to stop
    finally:
        off.services.close()
