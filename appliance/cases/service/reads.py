"""The read side of case handling (办件, R-K3): my cases, one case, and the ``CaseDetail``
every write answers with.

``CaseReader`` holds what reads and writes share (database, settings, clock, the
working-day calendar); ``CaseService`` (``cases``) adds the writes.
"""

from __future__ import annotations

import json
import weakref
from datetime import date
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from appliance.calendar.service import CalendarService
from appliance.cases.rules.case import CaseFile
from appliance.cases.rules.deadlines import DUE_STATUS_LABELS, due_view
from appliance.cases.rules.machine import legal_actions
from appliance.cases.rules.states import STATE_LABELS, CaseState
from appliance.cases.rules.working_days import ByDateCoverage, WorkingDays
from appliance.cases.schemas import CaseDetail, CaseSummary
from appliance.cases.service.codec import decode_case
from appliance.cases.service.duplicates import open_duplicates
from appliance.cases.service.flags import defaults_of, tolerant_bar
from appliance.cases.service.views import (
    action_views,
    applicant_view,
    case_row,
    material_lines,
    other_place_view,
    transition_view,
    urgency,
)
from appliance.cases.tables import CaseRecord, CaseTransitionRecord
from appliance.core.clock import Clock
from appliance.core.masking import mask_phone
from appliance.db.database import Database
from appliance.settings import Settings

# Finished cases: left out of "my cases" unless asked for.
DONE_STATES = frozenset({CaseState.REFUSED, CaseState.DELIVERED, CaseState.CLOSED})
OPEN_STATES = [s.value for s in CaseState if s not in DONE_STATES]
# One calendar service (and its cache) per database, shared by the per-request services.
_CALENDARS: weakref.WeakKeyDictionary[Database, CalendarService] = weakref.WeakKeyDictionary()


def day_of(text: str | None) -> date | None:
    """A stored ISO day (``case_file.due_on``) as a date."""
    return date.fromisoformat(text) if text else None


def detail_of(
    s: Session,
    case: CaseFile,
    case_id: str,
    due_on: str | None,
    provisional: bool,
    ticket_id: str | None,
) -> CaseDetail:
    """The case with its timeline (流转记录), 容缺失信 records and legal next actions."""
    flags = defaults_of(s, case.applicant.id_number, exclude=case.number)
    trs = s.exec(
        select(CaseTransitionRecord)
        .where(CaseTransitionRecord.case_id == case_id)
        .order_by(col(CaseTransitionRecord.seq))
    ).all()
    return CaseDetail(
        case_number=case.number,
        item_code=case.item.code,
        item_name=case.item.name,
        state=case.state,
        state_label=case.state_label,
        channel=case.channel,
        applicant=applicant_view(case.applicant),
        materials=material_lines(case.materials),
        received_on=case.received_on,
        accepted_on=case.accepted_on,
        due_on=day_of(due_on),
        due_provisional=provisional,
        ticket_id=ticket_id,
        timeline=[transition_view(t) for t in trs],
        legal_actions=action_views(legal_actions(case, barred=tolerant_bar(flags))),
        applicant_flags=flags,
        other_place=other_place_view(case.other_place),
        open_duplicates=open_duplicates(s, case),
    )


def row_detail(s: Session, row: CaseRecord, case: CaseFile) -> CaseDetail:
    return detail_of(s, case, row.id, row.due_on, row.due_provisional, row.ticket_id)


class CaseReader:
    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.tz = ZoneInfo(settings.timezone)

    def _calendar(self) -> WorkingDays:
        """The working-day calendar, cached per database until a year is replaced."""
        service = _CALENDARS.get(self.db)
        if service is None:
            service = _CALENDARS[self.db] = CalendarService(self.db, self.clock)
        return ByDateCoverage(service.calendar())

    def list_mine(
        self, staff_id: str | None, limit: int = 200, include_done: bool = False
    ) -> list[CaseSummary]:
        """Cases (of one staff member, or all), nearest deadline first.

        Finished cases (不予受理, 已送达, 已关闭) are left out unless ``include_done``.
        ``urgency`` is ``overdue`` past the 办结期限 and ``soon`` within 2 working days.
        Only the rows returned are decoded. Without finished cases the query walks the
        state index (open cases are few; a clerk's finished ones pile up over the years),
        so ``staff_id || ''`` keeps SQLite off the staff index (bench/cases.py).
        """
        q = select(CaseRecord)
        if not include_done:
            q = q.where(col(CaseRecord.state).in_(OPEN_STATES))
            if staff_id is not None:
                q = q.where(col(CaseRecord.staff_id) + "" == staff_id)
        elif staff_id is not None:
            q = q.where(CaseRecord.staff_id == staff_id)
        q = q.order_by(
            col(CaseRecord.due_on).is_(None), col(CaseRecord.due_on), col(CaseRecord.created_at)
        ).limit(max(1, min(limit, 1000)))
        with self.db.read() as s:
            rows = s.exec(q).all()
        cal = self._calendar()
        today = self.clock.now().astimezone(self.tz).date()
        out = []
        for r in rows:
            app = json.loads(r.applicant)
            view = due_view(
                decode_case(r.data), today, cal, self.settings.case_reminder_working_days
            )
            state = CaseState(r.state)
            out.append(
                CaseSummary(
                    case_number=r.case_number,
                    item_code=r.item_code,
                    item_name=r.item_name,
                    state=state,
                    state_label=STATE_LABELS[state],
                    applicant_name=app.get("name", ""),
                    phone=mask_phone(app.get("phone") or ""),
                    due_on=day_of(r.due_on),
                    due_provisional=r.due_provisional,
                    created_at=r.created_at,
                    due_status=view.status,
                    due_status_label=DUE_STATUS_LABELS[view.status],
                    working_days_left=view.working_days_left,
                    urgency=urgency(view),
                )
            )
        return out

    def get(self, case_number: str) -> CaseDetail:
        with self.db.read() as s:
            row = case_row(s, case_number)
            return row_detail(s, row, decode_case(row.data))
