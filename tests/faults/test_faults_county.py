"""Faults at the county (R-I1, R-N3): the station's own fault events, projected into
``fault_fact``, and the dashboard's open faults per station with its export."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from sqlmodel import col, select

from appliance.core.roles import Principal, Role
from appliance.events.tables import Event
from appliance.faults.rules import ActionKind, FaultKind, NetworkScope
from appliance.faults.schemas import FaultActionIn, FaultCloseIn, FaultIn
from sync.county.apply import StoredEvent
from sync.county.dashboard.common import PREFIX
from sync.county.fault_handlers import fault_fact
from sync.protocol import WireEvent
from tests.county.dashboard_support import VIEWER_PW, dashboard_county, login
from tests.support.county import T0, County, FakeStation
from tests.support.pg_server import PgServer
from tests.support.station import Station

CLERK = Principal(staff_id="s1", code="ck01", name="王秀英", role=Role.WINDOW, window_id=None)


@pytest.fixture
def dash(pg_server: PgServer, county_db: str, tmp_path: Path) -> Iterator[County]:
    with dashboard_county(pg_server, county_db, tmp_path / "county") as county:
        yield county


def station_events(station: Station, st: FakeStation) -> list[WireEvent]:
    """The station's real fault events, as its sync agent would send them."""
    with station.services.db.read() as s:
        rows = s.exec(
            select(Event).where(col(Event.type).startswith("fault.")).order_by(col(Event.seq))
        ).all()
        return [
            st.event(e.type, json.loads(e.payload), "fault", e.entity_id, e.occurred_at)
            for e in rows
        ]


def cells(page: str, marker: str) -> list[str]:
    row = page.split(marker)[1].split("</tr>")[0]
    return [
        re.sub(r"<[^>]+>", " ", x).strip() for x in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]


def test_station_faults_reach_the_county_dashboard_r_i1(station: Station, dash: County) -> None:
    faults = station.services.faults
    down = faults.open(
        FaultIn(kind=FaultKind.NETWORK, title="内网断开", scope=NetworkScope.INTRANET), CLERK
    )
    station.clock.advance(minutes=5)
    fixed = faults.open(FaultIn(kind=FaultKind.SYSTEM, title="受理系统卡死"), CLERK)
    faults.act(fixed.number, FaultActionIn(kind=ActionKind.STEP, text="重启"), CLERK)
    station.clock.advance(minutes=10)
    faults.close(fixed.number, FaultCloseIn(), CLERK)
    st = dash.enrol("ST01", "东坡村便民服务站")
    assert dash.send(st, station_events(station, st)).status_code == 200
    dash.enrol("ST02", "西岭村便民服务站")
    rows = dash.rows("SELECT number, status, level, kind FROM fault_fact ORDER BY number")
    assert rows == [
        (down.number, "open", "I", "network"),
        (fixed.number, "closed", "III", "system"),
    ]
    # an event older than the row (a backlog forced through late) never reopens a fault
    late = StoredEvent("ST01", "late", 1, "fault.opened", "fault", fixed.id, {"status": "open"}, T0)
    with dash.services.db.tx() as s:
        fault_fact(s, [late][0])
    assert dash.scalar("SELECT status FROM fault_fact WHERE number=%s", fixed.number) == "closed"
    assert login(dash.client, "viewer", VIEWER_PW).status_code == 303
    page = dash.client.get(f"{PREFIX}/faults")
    assert page.status_code == 200, page.text
    assert cells(page.text, 'data-station="ST01"')[1:3] == ["1", "1"]
    assert cells(page.text, 'data-station="ST02"')[1:] == ["0", "0", "—"]
    assert cells(page.text, f'data-fault="{down.number}"')[:5] == [
        "东坡村便民服务站",
        down.number,
        "网络故障",
        "I级",
        "人工登记",
    ]
    assert fixed.number not in page.text
    assert f'href="{PREFIX}/faults"' in page.text
    r = dash.client.get(f"{PREFIX}/export/faults.csv?which=1")
    lines = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert [x[1] for x in lines[1:]] == [down.number]
    wb = openpyxl.load_workbook(io.BytesIO(dash.client.get(f"{PREFIX}/export/faults.xlsx").content))
    assert wb.sheetnames == ["各站点故障", "处理中故障"]


def test_the_faults_page_needs_a_login_r_i1(dash: County) -> None:
    r = dash.client.get(f"{PREFIX}/faults", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith(f"{PREFIX}/login")
