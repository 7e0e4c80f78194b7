"""Helpers for the case screens' tests: cases made through the service, rows read back,
and the terminal driven to a screen."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlmodel import select
from textual.pilot import Pilot
from textual.screen import Screen

from appliance.cases.rules.case import CaseFile
from appliance.cases.schemas import CaseDetail
from appliance.cases.service.cases import CaseService
from appliance.cases.service.codec import decode_case
from appliance.cases.tables import CaseRecord
from appliance.catalogue.service.importer import import_catalogue_file
from appliance.staff.tables import Staff
from tests.support.station import LiveServer
from tui.app import YizhanApp
from tui.case_widgets import MaterialChecklist
from tui.screens.case_detail import CaseDetailScreen
from tui.testing import showing, terminal_app, wait_for

ITEM = "410122-MZ-001"  # 高龄津贴申请: 承诺件 15 working days, M1..M4, M3 tolerable (容缺)
DEMO_CATALOGUE = Path(__file__).parents[2] / "appliance" / "data" / "demo_catalogue.json"
ALL_RECEIVED = {"M1": "received", "M2": "received", "M3": "received", "M4": "received"}


def cases(live: LiveServer) -> CaseService:
    st = live.station
    return CaseService(st.services.db, st.settings, st.clock)


def staff_id(live: LiveServer, code: str = "ck01") -> str:
    with live.station.services.db.read() as s:
        staff = s.exec(select(Staff).where(Staff.code == code)).one()
        return staff.id


def open_case(
    live: LiveServer,
    item: str = ITEM,
    materials: dict[str, Any] | None = None,
    name: str = "张桂兰",
    phone: str = "13800001234",
    staff: str = "ck01",
) -> str:
    """收件 through the service (by the clerk ck01 unless ``staff``); the case number."""
    body = {
        "item_code": item,
        "applicant": {
            "kind": "person",
            "name": name,
            "id_number": "410122194001080021",
            "phone": phone,
        },
        "materials": ALL_RECEIVED if materials is None else materials,
    }
    return cases(live).open(body, staff_id(live, staff), staff).case_number


def act(
    live: LiveServer,
    number: str,
    action: str,
    body: dict[str, Any] | None = None,
    actor: str = "ck01",
) -> None:
    cases(live).act(number, action, body or {}, actor)


def with_procedures(live: LiveServer, folder: Path, code: str, procedures: list[str]) -> None:
    """Re-import the demo catalogue with ``code`` listing these 特别程序 (检验、听证 …)."""
    data = json.loads(DEMO_CATALOGUE.read_text(encoding="utf-8"))
    data["version"] += "-procedures"
    for item in data["items"]:
        if item["code"] == code:
            item["special_procedures"] = procedures
    path = folder / "catalogue.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    import_catalogue_file(live.station.services.db, live.station.clock, path)


def case(live: LiveServer, number: str) -> CaseDetail:
    return cases(live).get(number)


def notice_jobs(live: LiveServer) -> list[tuple[str, int]]:
    """(title, copies) of every notice print job, oldest first."""
    with live.station.services.db.read() as s:
        rows = s.execute(
            text(
                "SELECT payload, copies FROM print_job WHERE kind = 'notice' ORDER BY created_at, rowid"
            )
        )
        return [(json.loads(p)["notice"]["title"], int(c)) for p, c in rows]


@dataclass(frozen=True)
class Job:
    """A notice print job as stored: its title, copies and the kept notice it prints."""

    id: str
    title: str
    copies: int
    case_notice_id: str | None


def print_jobs(live: LiveServer) -> list[Job]:
    """Every notice print job (通知书 and 一次性告知单), oldest first."""
    with live.station.services.db.read() as s:
        rows = s.execute(
            text(
                "SELECT id, payload, copies FROM print_job WHERE kind = 'notice' "
                "ORDER BY created_at, rowid"
            )
        )
        out = []
        for job_id, payload, copies in rows:
            data = json.loads(payload)
            out.append(
                Job(
                    str(job_id),
                    str((data.get("notice") or {}).get("title", "")),
                    int(copies),
                    data.get("case_notice_id"),
                )
            )
        return out


def stored_case(live: LiveServer, number: str) -> CaseFile:
    """The domain case as stored (fields the API views leave out, such as other_place)."""
    with live.station.services.db.read() as s:
        row = s.exec(select(CaseRecord).where(CaseRecord.case_number == number)).one()
        return decode_case(row.data)


def sms_kinds(live: LiveServer) -> list[str]:
    with live.station.services.db.read() as s:
        return [k for (k,) in s.execute(text("SELECT kind FROM sms_message ORDER BY rowid"))]


def action_key(app: YizhanApp, action: str) -> str:
    """The number key that takes ``action`` on the case detail screen."""
    screen = app.screen
    assert isinstance(screen, CaseDetailScreen) and screen.case is not None
    actions = [a.action for a in screen.case.legal_actions]
    assert action in actions, f"{action} not in {actions}"
    return str(actions.index(action) + 1)


def make_app(live: LiveServer) -> YizhanApp:
    return terminal_app(live.url, live.station.clock.now)


def checklist(app: YizhanApp) -> MaterialChecklist:
    return app.screen.query_one(MaterialChecklist)


def shown_case(app: YizhanApp) -> CaseDetailScreen:
    assert isinstance(app.screen, CaseDetailScreen)
    return app.screen


def detail_state(app: YizhanApp) -> str | None:
    """The state the detail screen shows, once it has loaded the case, its notices and guide."""
    screen = app.screen
    if isinstance(screen, CaseDetailScreen) and screen.loaded and screen.case is not None:
        return screen.case.state
    return None


async def step(pilot: Pilot[Any], app: YizhanApp, action: str, dialog: type[Screen[Any]]) -> None:
    """Press the number of ``action`` on the detail screen; wait for its form."""
    await pilot.press(action_key(app, action))
    await wait_for(pilot, lambda: showing(app, dialog))
