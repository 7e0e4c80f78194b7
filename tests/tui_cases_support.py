"""Helpers for the case screens' tests: cases made through the service, rows read back."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text
from sqlmodel import select

from appliance.services.case_service import CaseService
from appliance.services.case_views import CaseDetail
from appliance.storage.models import Staff
from tests.conftest import LiveServer
from tui.app import YizhanApp
from tui.screens.case_detail import CaseDetailScreen

ITEM = "410122-MZ-001"  # 高龄津贴申请: 承诺件 15 working days, M1..M4, M3 tolerable (容缺)
ALL_RECEIVED = {"M1": "received", "M2": "received", "M3": "received", "M4": "received"}


def cases(live: LiveServer) -> CaseService:
    st = live.station
    return CaseService(st.services.db, st.settings, st.clock)


def staff_id(live: LiveServer, code: str = "ck01") -> str:
    with live.station.services.db.read() as s:
        staff = s.exec(select(Staff).where(Staff.code == code)).one()
        return staff.id


def open_case(
    live: LiveServer, item: str = ITEM, materials: dict[str, Any] | None = None,
    name: str = "张桂兰", phone: str = "13800001234",
) -> str:
    """收件 through the service for the clerk ck01; returns the case number."""
    body = {
        "item_code": item,
        "applicant": {"kind": "person", "name": name, "id_number": "410122194001010021",
                      "phone": phone},
        "materials": ALL_RECEIVED if materials is None else materials,
    }
    return cases(live).open(body, staff_id(live), "ck01").case_number


def act(live: LiveServer, number: str, action: str, body: dict[str, Any] | None = None) -> None:
    cases(live).act(number, action, body or {}, "ck01")


def case(live: LiveServer, number: str) -> CaseDetail:
    return cases(live).get(number)


def notice_jobs(live: LiveServer) -> list[tuple[str, int]]:
    """(title, copies) of every notice print job, oldest first."""
    with live.station.services.db.read() as s:
        rows = s.execute(text(
            "SELECT payload, copies FROM print_job WHERE kind = 'notice' ORDER BY created_at, rowid"
        ))
        return [(json.loads(p)["notice"]["title"], int(c)) for p, c in rows]


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
