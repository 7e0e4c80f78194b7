"""End to end over the real sync (R-C3, R-C2, R-N3): the county publishes its knowledge base
and every station takes it in at its next sync; the station's consultations reach the county
and its dashboard counts them.

A real county server (uvicorn on PostgreSQL), a real enrolled station and its real agent."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from appliance.consultations.rules import ConsultChannel
from appliance.consultations.schemas import ConsultationIn
from appliance.consultations.service.sweep import ConsultationSweep
from appliance.core.roles import Principal, Role
from appliance.staff.tables import Staff
from sync.county.dashboard.consultations import consultation_panel
from sync.county.dashboard.publish import publish_knowledge
from tests.support.county import TEMPLATE, build_template
from tests.support.pg_server import PgServer
from tests.support.station import Station
from tests.support.sync_proxy import FaultProxy
from tests.sync.faults_support import (
    CountyServer,
    agent_for,
    county_settings,
    drain,
    enrolled_station,
)

DB = "county_knowledge_sync"
KNOWLEDGE = [
    {
        "id": "K001",
        "question": "低保怎么申请？",
        "answer": "到户籍所在地乡镇申请",
        "keywords": ["低保"],
    },
    {
        "id": "K002",
        "question": "残疾证怎么办？",
        "answer": "到县残联评残",
        "keywords": "残疾、评残",
    },
]


@pytest.fixture(scope="module")
def county(pg_server: PgServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[CountyServer]:
    template = pg_server.template(TEMPLATE, build_template)
    url = pg_server.create_database(DB, template=template)
    server = CountyServer(
        county_settings(url, tmp_path_factory.mktemp("county")), pg_server.dsn(DB)
    )
    server.start()
    yield server
    server.close()


@pytest.fixture
def station(county: CountyServer, pg_server: PgServer, tmp_path: Path) -> Iterator[Station]:
    pg_server.truncate_all(DB, keep=("county_alembic_version",))
    proxy = FaultProxy(county.url)
    st = enrolled_station(tmp_path / "station", county, proxy)
    yield st
    proxy.close()
    st.services.close()


def questions(station: Station, query: str = "") -> list[tuple[str, str]]:
    return [(e.question, e.source) for e in station.services.knowledge.search(query)]


def test_the_county_publishes_knowledge_down_to_the_station_r_c3_r_n3(
    county: CountyServer, station: Station
) -> None:
    raw = json.dumps(KNOWLEDGE, ensure_ascii=False).encode()
    published = publish_knowledge(county.services, raw)
    assert (published.table, published.rows, published.changed) == ("knowledge", 2, 2)
    drain(agent_for(station))
    assert questions(station) == [("低保怎么申请？", "county"), ("残疾证怎么办？", "county")]
    assert questions(station, "pc") == [("残疾证怎么办？", "county")]  # keyword 评残
    public = [p.question for p in station.services.knowledge.public_list()]
    assert sorted(public) == ["低保怎么申请？", "残疾证怎么办？"]
    publish_knowledge(county.services, json.dumps(KNOWLEDGE[:1], ensure_ascii=False).encode())
    drain(agent_for(station))
    assert questions(station) == [("低保怎么申请？", "county")]  # K002 retired at the station


def test_station_consultations_reach_the_county_dashboard_r_c2_r_n3(
    county: CountyServer, station: Station
) -> None:
    services = station.services
    with services.db.read() as s:
        guide = s.exec(select(Staff).where(Staff.code == "yd01")).one()
    actor = Principal(guide.id, guide.code, guide.name, Role.GUIDE, None)
    letter = ConsultationIn(
        question="低保标准", channel=ConsultChannel.LETTER, visitor_contact="a@b.cn"
    )
    entry = services.consultations.record(letter, actor)
    drain(agent_for(station))
    station.clock.advance(days=4)  # Friday: its reply day (Thursday) has passed
    assert ConsultationSweep(services.db, station.settings.timezone, station.clock).run().raised
    drain(agent_for(station))
    rows = county.rows(
        "SELECT number, status, reply_due::text, overdue_reported FROM consultation_fact"
    )
    assert rows == [(entry.number, "open", "2026-11-26", True)]
    with county.services.db.snapshot() as s:
        lines, overdue = consultation_panel(s, station.clock.now())
    assert [(x.station_id, x.open, x.overdue) for x in lines] == [("ST01", 1, 1)]
    assert [o.number for o in overdue] == [entry.number]
