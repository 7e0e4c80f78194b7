"""Complaints reach the county (R-P2, R-M2, R-I3): the station's own ``complaint.*`` events,
sent as a real batch, fill ``complaint_fact``; the dashboard's complaints panel lists the open
ones per station, and a confidential complainant is never named there.

The events are made by a real station (its complaint service), not written by hand, so the
test also proves what the station sends.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from appliance.complaints.rules import AnswerVia, Channel, Finding
from appliance.complaints.schemas import CloseIn, ComplaintIn, StepTextIn, VerifyIn
from appliance.core.roles import Principal, Role
from sync.county.dashboard.common import PREFIX
from sync.protocol import WireEvent
from tests.county.dashboard_support import login
from tests.support.county import County, FakeStation
from tests.support.station import make_station

HANDLER = Principal(
    staff_id="s-ts01", code="ts01", name="孙丽", role=Role.COMPLAINTS, window_id=None
)
NAME, PHONE = "欧阳秀兰", "13712345678"


def station_events(tmp_path: Path) -> list[tuple[str, str, str, dict[str, object], datetime]]:
    """Three complaints at a real station: an open confidential one (the name in its text
    too), an open plain one, and one settled and closed."""
    station = make_station(tmp_path / "station")
    complaints = station.services.complaints
    try:
        secret = ComplaintIn(
            content=f"我{NAME}反映窗口人员吃拿卡要",
            channel=Channel.HOTLINE,
            confidential=True,
            complainant_name=NAME,
            complainant_phone=PHONE,
        )
        number = complaints.register(secret, HANDLER).number
        complaints.verify(number, VerifyIn(text="正在调取录像", finding=Finding.PARTLY), HANDLER)
        complaints.register(
            ComplaintIn(content="叫号屏不亮", channel=Channel.BOX, complainant_name="李四"), HANDLER
        )
        done = complaints.register(ComplaintIn(content="厕所没有纸", channel=Channel.WEB), HANDLER)
        complaints.verify(
            done.number, VerifyIn(text="属实", finding=Finding.SUBSTANTIATED), HANDLER
        )
        complaints.handle(done.number, StepTextIn(text="已补充"), HANDLER)
        complaints.close(
            done.number, CloseIn(answer="已补充，谢谢监督", via=AnswerVia.POSTED), HANDLER
        )
        with station.services.db.read() as s:
            found = s.execute(
                text(
                    "SELECT type, entity, entity_id, payload, occurred_at FROM event "
                    "WHERE type LIKE 'complaint.%' ORDER BY seq"
                )
            ).all()
    finally:
        station.services.close()
    return [(t, e, i, json.loads(p), utc(at)) for t, e, i, p, at in found]


def utc(value: str | datetime) -> datetime:
    at = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def wire(
    st: FakeStation, events: list[tuple[str, str, str, dict[str, object], datetime]]
) -> list[WireEvent]:
    return [st.event(t, p, entity=e, entity_id=i, at=at) for t, e, i, p, at in events]


def test_open_complaints_reach_the_county_panel_without_names_r_p2_r_m2_r_i3(
    dash: County, tmp_path: Path
) -> None:
    events = station_events(tmp_path)
    st = dash.enrol("ST01", "东坡村便民服务站")
    assert dash.send(st, wire(st, events)).status_code == 200
    facts = dash.rows(
        "SELECT number, channel, confidential, state, complainant, summary "
        "FROM complaint_fact ORDER BY number"
    )
    assert [(n, ch, conf, state) for n, ch, conf, state, _, _ in facts] == [
        ("TS-20261123-001", "hotline", True, "handle"),
        ("TS-20261123-002", "box", False, "verify"),
        ("TS-20261123-003", "web", False, "closed"),
    ]
    assert facts[0][4] == "（保密）" and facts[1][4] == "李*"
    assert NAME not in facts[0][5] and "吃拿卡要" in facts[0][5]
    everything = json.dumps(
        dash.rows("SELECT * FROM complaint_fact"), default=str, ensure_ascii=False
    )
    assert NAME not in everything and "秀兰" not in everything and PHONE not in everything

    login(dash.client)
    page = dash.client.get(f"{PREFIX}/followups").text
    assert "暂无未办结的投诉" not in page
    secret = page.split('data-complaint="TS-20261123-001"')[1].split("</tr>")[0]
    assert "东坡村便民服务站" in secret and "12345" in secret and "保密" in secret
    assert "待处理" in secret and NAME not in page and "秀兰" not in page
    plain = page.split('data-complaint="TS-20261123-002"')[1].split("</tr>")[0]
    assert "李*" in plain and "意见箱" in plain and "待核实" in plain
    assert 'data-complaint="TS-20261123-003"' not in page  # closed: not on the panel


def test_the_county_never_names_a_confidential_complainant_r_i3(dash: County) -> None:
    """Even events that (wrongly) carry a name, or later call the complaint not confidential,
    cannot put the complainant on the county's panel."""
    st = dash.enrol("ST01", "东坡村便民服务站")
    base = {"number": "TS-1", "channel": "onsite", "received_at": "2026-11-23T01:00:00+00:00"}
    first = st.event(
        "complaint.registered",
        {**base, "confidential": True, "state": "verify", "complainant": NAME},
        entity="complaint",
        entity_id="c1",
    )
    later = st.event(
        "complaint.verified",
        {**base, "confidential": False, "state": "handle", "complainant": "欧**兰"},
        entity="complaint",
        entity_id="c1",
    )
    assert dash.send(st, [first]).status_code == 200
    assert dash.rows("SELECT complainant FROM complaint_fact") == [("（保密）",)]
    assert dash.send(st, [later]).status_code == 200
    [(state, complainant, confidential)] = dash.rows(
        "SELECT state, complainant, confidential FROM complaint_fact"
    )
    assert (state, complainant, confidential) == ("handle", "（保密）", True)
