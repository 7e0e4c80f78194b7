"""Consultations at the county (R-C2, R-N3): the stations' consultation events projected into
``consultation_fact``, and the dashboard's open and overdue consultations per station.

The county's today is Monday 2026-11-23 (``T0``)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from sync.county.apply import StoredEvent
from sync.county.consultation_handlers import consultation_facts
from sync.county.dashboard.common import PREFIX
from sync.protocol import WireEvent
from tests.county.dashboard_support import VIEWER_PW, dashboard_county, login
from tests.support.county import T0, County, FakeStation
from tests.support.pg_server import PgServer


@pytest.fixture
def dash(pg_server: PgServer, county_db: str, tmp_path: Path) -> Iterator[County]:
    with dashboard_county(pg_server, county_db, tmp_path / "county") as county:
        yield county


def day(d: int, hour: int = 9) -> datetime:
    return T0 + timedelta(days=d - 23, hours=hour - 9)


def ev(st: FakeStation, type_: str, entry: str, at: datetime, **payload: Any) -> WireEvent:
    body = {
        "number": f"ZX-202611{entry}",
        "channel": "letter",
        "status": "open",
        "business_date": "2026-11-16",
        "reply_due": "2026-11-19",
        "visitor_name": "张*兰",
        "question": "低保标准",
        **payload,
    }
    return st.event(type_, body, entity="consultation", entity_id=f"c-{entry}", at=at)


def facts(c: County, station: str = "ST01") -> dict[str, tuple[Any, ...]]:
    rows = c.rows(
        "SELECT number, status, reply_due::text, answered_on::text, overdue_reported "
        "FROM consultation_fact WHERE station_id=%s ORDER BY number",
        station,
    )
    return {r[0]: tuple(r[1:]) for r in rows}


def week(c: County) -> tuple[FakeStation, FakeStation]:
    """ST01: A overdue (reported), B open and due on Wednesday, C answered late, D open with
    its reply date passed but not yet reported. ST02: nothing open."""
    st = c.enrol("ST01", "东坡村便民服务站")
    answered = {"status": "closed", "answered_at": "2026-11-20T02:00:00+00:00"}
    events = [
        ev(st, "consultation.recorded", "16-001", day(16)),
        ev(
            st,
            "consultation.recorded",
            "23-002",
            day(23),
            business_date="2026-11-23",
            reply_due="2026-11-25",
        ),
        ev(st, "consultation.recorded", "16-003", day(16, 10)),
        ev(st, "consultation.overdue", "16-003", day(20, 8)),
        ev(st, "consultation.closed", "16-003", day(20), **answered),
        ev(
            st,
            "consultation.recorded",
            "17-004",
            day(17),
            business_date="2026-11-17",
            reply_due="2026-11-20",
        ),
        ev(st, "consultation.overdue", "16-001", day(20, 8)),
    ]
    assert c.send(st, events).status_code == 200
    quiet = c.enrol("ST02", "西岭村便民服务站")
    closed = ev(
        quiet,
        "consultation.recorded",
        "23-001",
        day(23),
        status="closed",
        reply_due=None,
        answered_at="2026-11-23T01:00:00+00:00",
    )
    assert c.send(quiet, [closed]).status_code == 200
    return st, quiet


def cells(page: str, marker: str) -> list[str]:
    row = page.split(marker)[1].split("</tr>")[0]
    return [
        re.sub(r"<[^>]+>", " ", x).strip() for x in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]


def test_consultation_events_are_projected_per_entry_r_c2_r_n3(dash: County) -> None:
    week(dash)
    got = facts(dash)
    assert got["ZX-20261116-001"] == ("open", "2026-11-19", None, True)
    assert got["ZX-20261123-002"] == ("open", "2026-11-25", None, False)
    assert got["ZX-20261116-003"] == ("closed", "2026-11-19", "2026-11-20", True)
    assert got["ZX-20261117-004"] == ("open", "2026-11-20", None, False)
    assert "低保标准" not in str(dash.rows("SELECT * FROM consultation_fact"))
    # an event older than the row (a backlog forced through late) changes nothing
    late = StoredEvent(
        "ST01",
        "late-event",
        1,
        "consultation.recorded",
        "consultation",
        "c-16-003",
        {"status": "open", "number": "ZX-20261116-003"},
        day(16),
    )
    with dash.services.db.tx() as s:
        consultation_facts(s, [late])
    assert facts(dash)["ZX-20261116-003"] == ("closed", "2026-11-19", "2026-11-20", True)


def test_the_dashboard_shows_open_and_overdue_consultations_per_station_r_c2(
    dash: County,
) -> None:
    week(dash)
    assert login(dash.client, "viewer", VIEWER_PW).status_code == 303
    page = dash.client.get(f"{PREFIX}/consultations")
    assert page.status_code == 200, page.text
    assert "咨询台账" in page.text and "低保标准" not in page.text and "张*兰" not in page.text
    assert cells(page.text, 'data-station="ST01"')[1:] == ["3", "2", "2026-11-19"]
    assert cells(page.text, 'data-station="ST02"')[1:] == ["0", "0", "—"]
    overdue = page.text.split("<h2>逾期未答复</h2>")[1]
    assert overdue.index("ZX-20261116-001") < overdue.index("ZX-20261117-004")
    assert cells(overdue, 'data-consultation="ZX-20261116-001"') == [
        "东坡村便民服务站",
        "ZX-20261116-001",
        "信函",
        "2026-11-16",
        "2026-11-19",
        "4 天",
    ]
    assert f'href="{PREFIX}/consultations"' in page.text  # in the navigation
    r = dash.client.get(f"{PREFIX}/export/consultations.csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == ["站点", "站点编码", "待答复", "逾期未答复", "最早约定答复日期"]
    assert rows[1] == ["东坡村便民服务站", "ST01", "3", "2", "2026-11-19"]
    r = dash.client.get(f"{PREFIX}/export/consultations.csv?which=1")
    assert [row[1] for row in csv.reader(io.StringIO(r.content.decode("utf-8-sig")))][1:] == [
        "ZX-20261116-001",
        "ZX-20261117-004",
    ]
    wb = openpyxl.load_workbook(
        io.BytesIO(dash.client.get(f"{PREFIX}/export/consultations.xlsx").content)
    )
    assert wb.sheetnames == ["各站点咨询", "逾期未答复"] and wb["逾期未答复"].max_row == 3


def test_the_consultations_page_needs_a_login_r_c2(dash: County) -> None:
    r = dash.client.get(f"{PREFIX}/consultations", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith(f"{PREFIX}/login")
