"""The demo desk of `make run` (R-K1–R-K6): real cases through the real service."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from appliance.cases.service.cases import CaseService
from appliance.clock.service import ClockGuard, SystemTimeSetter
from appliance.demo.cases import DEMO_CASES, seed_demo_cases
from tests.support.station import Station


def test_demo_cases_cover_the_desk_once(station: Station) -> None:
    services = station.services
    assert seed_demo_cases(services) == len(DEMO_CASES)
    assert seed_demo_cases(services) == 0  # once only
    with services.db.read() as s:
        states = dict(s.execute(text("SELECT applicant, state FROM case_file")).all())
        notices = s.execute(text("SELECT path FROM case_notice")).scalars().all()
    by_name = {k.split('"name": "')[1].split('"')[0]: v for k, v in states.items()}
    assert by_name == {
        "张桂兰": "accepted",
        "王大军": "accepted",
        "李秀梅": "forwarded",
        "赵德胜": "correction_requested",
        "刘春花": "ready_for_pickup",
        "陈建国": "received",
    }
    root = Path(services.settings.case_notice_path)
    assert notices and all((root / p).is_file() for p in notices)
    mine = {
        c.applicant_name: c
        for c in CaseService(services.db, services.settings, services.clock).list_mine(None)
    }
    assert mine["张桂兰"].urgency == "overdue"
    assert mine["王大军"].urgency == "soon"
    assert mine["陈建国"].urgency == ""


@pytest.mark.parametrize("utc_hour", [1, 16, 19])  # 09:00, 00:xx and 03:00 in Shanghai
def test_demo_cases_leave_no_event_in_the_future_r_n2(station: Station, utc_hour: int) -> None:
    """A demo seeded before 09:30 (or just after midnight) writes nothing later than now:
    the clock guard would otherwise refuse the station after its next restart."""
    now = datetime(2026, 11, 23, utc_hour, 10, tzinfo=UTC)
    station.clock.set(now)
    assert seed_demo_cases(station.services) == len(DEMO_CASES)
    with station.services.db.read() as s:
        newest = s.execute(text("SELECT max(occurred_at) FROM event")).scalar_one()
    newest_at = datetime.fromisoformat(str(newest))
    newest_at = newest_at if newest_at.tzinfo else newest_at.replace(tzinfo=UTC)
    assert newest_at <= now
    guard = ClockGuard(station.services.db, station.settings, station.clock, SystemTimeSetter())
    assert guard.verdict().ok, guard.verdict().reason
