"""帮办代办 at the county (R-D1, R-D2, R-N3): a station's delegation events, as the station
writes them, projected into ``delegation_fact``; the dashboard shows the open delegations per
station, with nothing personal.

The county's today is Monday 2026-11-23 (``T0``)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlmodel import col, select

from appliance.events.tables import Event
from sync.county.apply import StoredEvent
from sync.county.dashboard.common import PREFIX
from sync.county.delegation_handlers import delegation_facts
from sync.protocol import WireEvent
from tests.county.dashboard_support import VIEWER_PW, dashboard_county, login
from tests.delegation.support import agree, events
from tests.support.county import County, FakeStation
from tests.support.pg_server import PgServer
from tests.support.station import HELPER, Station
from tests.support.station import login as station_login


@pytest.fixture
def dash(pg_server: PgServer, county_db: str, tmp_path: Path) -> Iterator[County]:
    with dashboard_county(pg_server, county_db, tmp_path / "county") as county:
        yield county


def station_events(station: Station, client: TestClient) -> list[tuple[str, str, dict[str, Any]]]:
    """A day at the station: A agreed and suspended, B agreed and completed, C a 帮办 in hand,
    D agreed with its period already past (2026-11-22 is refused, so it ends today and the
    county judges it tomorrow). Returns (type, entity id, payload) as the event log holds them."""
    h = station_login(client, *HELPER)
    a = agree(client, h)
    client.post(
        f"/api/delegations/{a['number']}/suspend", json={"reason": "materials_late"}, headers=h
    )
    b = agree(client, h, applicant_name="赵四")
    client.post(f"/api/delegations/{b['number']}/complete", json={"result": "已办结"}, headers=h)
    body = {"applicant_name": "李大爷", "item_name": "医保报销", "content": "协助填表"}
    client.post("/api/delegations/help", json=body, headers=h)
    agree(client, h, applicant_name="孙五", period_end="2026-11-23")
    with station.services.db.read() as s:
        rows = s.exec(
            select(Event).where(col(Event.type).startswith("delegation.")).order_by(col(Event.seq))
        ).all()
    return [(e.type, e.entity_id, json.loads(e.payload)) for e in rows]


def relay(
    county: County, st: FakeStation, found: list[tuple[str, str, dict[str, Any]]], at: datetime
) -> None:
    wire: list[WireEvent] = [
        st.event(t, payload, entity="delegation", entity_id=entity_id, at=at)
        for t, entity_id, payload in found
    ]
    assert county.send(st, wire).status_code == 200


def cells(page: str, marker: str) -> list[str]:
    row = page.split(marker)[1].split("</tr>")[0]
    return [
        re.sub(r"<[^>]+>", " ", x).strip() for x in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]


def test_station_delegation_events_reach_the_county_dashboard_r_d1_r_d2(
    dash: County, station: Station, client: TestClient
) -> None:
    found = station_events(station, client)
    assert {t for t, _, _ in found} >= {
        "delegation.agreed",
        "delegation.suspended",
        "delegation.completed",
        "delegation.help_logged",
    }
    assert "王秀英" not in str(found) and "13800001234" not in str(found)
    st = dash.enrol("ST01", "东坡村便民服务站")
    relay(dash, st, found, dash.clock.now())
    dash.enrol("ST02", "西岭村便民服务站")
    rows = dash.rows(
        "SELECT number, kind, status, suspend_reason, completed_on::text FROM delegation_fact "
        "WHERE station_id=%s ORDER BY number",
        "ST01",
    )
    assert rows == [
        ("BB-20261123-003", "help", "active", "", None),
        ("DB-20261123-001", "delegate", "suspended", "materials_late", None),
        ("DB-20261123-002", "delegate", "completed", "", "2026-11-23"),
        ("DB-20261123-004", "delegate", "active", "", None),
    ]
    # an event older than the row (a backlog forced through late) changes nothing
    a_id = next(e for t, e, p in found if p["number"] == "DB-20261123-001")
    late = StoredEvent(
        "ST01",
        "late",
        1,
        "delegation.agreed",
        "delegation",
        a_id,
        {"status": "active"},
        dash.clock.now(),
    )
    with dash.services.db.tx() as s:
        delegation_facts(s, [late])
    assert (
        dash.scalar("SELECT status FROM delegation_fact WHERE number='DB-20261123-001'")
        == "suspended"
    )

    assert login(dash.client, "viewer", VIEWER_PW).status_code == 303
    page = dash.client.get(f"{PREFIX}/delegations")
    assert page.status_code == 200, page.text
    assert "王秀英" not in page.text and "李大爷" not in page.text
    # 在办代办, 其中已中止, 超过委托期限, 在办帮办, 本月办结
    assert cells(page.text, 'data-station="ST01"')[1:] == ["2", "1", "0", "1", "1"]
    assert cells(page.text, 'data-station="ST02"')[1:] == ["0", "0", "0", "0", "0"]
    assert f'href="{PREFIX}/delegations"' in page.text  # in the navigation
    dash.clock.advance(days=1)  # tomorrow D is past its 委托期限
    later = dash.client.get(f"{PREFIX}/delegations").text
    assert cells(later, 'data-station="ST01"')[3] == "1"
    r = dash.client.get(f"{PREFIX}/export/delegations.csv")
    lines = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert lines[0][:3] == ["站点", "站点编码", "在办代办"]
    assert lines[1][:3] == ["东坡村便民服务站", "ST01", "2"]
    assert dash.client.get(f"{PREFIX}/export/delegations.xlsx").content.startswith(b"PK")
    assert events(station.services.db)[-1][0] == "delegation.agreed"


def test_the_delegations_page_needs_a_login_r_d2(dash: County) -> None:
    r = dash.client.get(f"{PREFIX}/delegations", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith(f"{PREFIX}/login")
