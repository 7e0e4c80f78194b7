"""Case handling service (办件, R-K1–R-K8): open a case, perform a decision, list and read.

Every write is ONE transaction: the new case state, the transition row (流转记录), the
``case.<action>`` event, the notices the step issues — each kept as a PDF with the case
(``case_notice`` row + file, see ``case_notice_store``) and printed 一式二份 (copies=2) —
and the applicant's SMS when the step says so. A refused action raises before anything is
written, so the database (and the notice folder) is left as it was.

Rendering a notice takes ~65 ms, so it happens outside the write lock: the service reads
the case, performs the step and renders; the write then checks the case is unchanged
(same stored ``data``; for a new case, same day sequence) and starts again otherwise.

The domain ``CaseFile`` is stored whole as JSON in ``case_file.data`` (see
``encode_case`` / ``decode_case``); the other columns are projections for lists.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo

from sqlalchemy import CursorResult, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from appliance.calendar.service import CalendarService
from appliance.cases.rules import commands as cmds
from appliance.cases.rules.case import CaseFile, open_case
from appliance.cases.rules.case_number import format_case_number
from appliance.cases.rules.deadlines import (
    DUE_STATUS_LABELS,
    acceptance_deadline,
    case_deadline,
    due_view,
)
from appliance.cases.rules.machine import legal_actions, perform
from appliance.cases.rules.materials import MATERIAL_STATUS_LABELS
from appliance.cases.rules.states import ACTION_LABELS, Action, CaseState
from appliance.cases.rules.table import SYSTEM_ACTIONS
from appliance.cases.rules.working_days import ByDateCoverage, WorkingDays
from appliance.cases.service.codec import build_command, decode_case, encode_case, parse_action
from appliance.cases.service.flags import defaults_of, record_default, tolerant_bar
from appliance.cases.service.intake import (
    Intake,
    check_ticket,
    item_code_of,
    next_seq,
    parse_intake,
)
from appliance.cases.service.notice_store import (
    NoticeFiles,
    StagedNotice,
    commit_with_files,
    record,
    render,
)
from appliance.cases.service.notices import (
    NoticeContext,
    item_forms,
    notices_for_step,
    receipt_on_open,
    receiver_for,
)
from appliance.cases.service.sms import SMS_KINDS, sms_values
from appliance.cases.service.views import (
    ActionView,
    CaseDetail,
    CaseSummary,
    MaterialLineView,
    StepResult,
    TransitionView,
    applicant_json,
    case_row,
    materials_json,
    other_place_json,
    state_label,
    urgency,
)
from appliance.cases.tables import CaseRecord, CaseTransitionRecord
from appliance.catalogue.service.catalogue import CatalogueService
from appliance.core.clock import Clock
from appliance.core.errors import Conflict, NotAllowed, NotFound
from appliance.core.masking import mask_phone
from appliance.db.database import Database
from appliance.events.log import append_event
from appliance.jobs.service.sms import queue_sms
from appliance.settings import Settings

# Finished cases: left out of "my cases" unless asked for.
DONE_STATES = frozenset({CaseState.REFUSED, CaseState.DELIVERED, CaseState.CLOSED})
OPEN_STATES = [s.value for s in CaseState if s not in DONE_STATES]
ATTEMPTS = 3  # a write that finds the case changed since its read starts again
BUSY = "该办件正被他人同时处理，请刷新后重试"
T = TypeVar("T")
# One calendar service (and its cache) per database, shared by the per-request services.
_CALENDARS: weakref.WeakKeyDictionary[Database, CalendarService] = weakref.WeakKeyDictionary()


class _Stale(Exception):
    """The case (or the day's numbering) changed between the read and the write."""


class CaseService:
    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.tz = ZoneInfo(settings.timezone)
        self.files = NoticeFiles(settings.case_notice_path)

    # ---- helpers -------------------------------------------------------------------------
    def _calendar(self) -> WorkingDays:
        """The working-day calendar, cached per database until a year is replaced."""
        service = _CALENDARS.get(self.db)
        if service is None:
            service = _CALENDARS[self.db] = CalendarService(self.db, self.clock)
        return ByDateCoverage(service.calendar())

    def _projection(self, case: CaseFile, cal: WorkingDays, now: datetime) -> dict[str, Any]:
        """The list columns of ``case_file`` that follow from the case (state, 办结期限 …)."""
        out: dict[str, Any] = {
            "state": case.state.value,
            "materials": json.dumps(materials_json(case.materials), ensure_ascii=False),
            "data": encode_case(case),
            "updated_at": now,
        }
        deadline = case_deadline(case, cal)
        if deadline is not None:
            out["due_on"] = deadline.due.isoformat() if deadline.due else None
            out["due_provisional"] = deadline.provisional
        elif case.accepted_on is None:
            out["due_on"] = acceptance_deadline(cal, case.received_on).isoformat()
        return out

    def _project(self, row: CaseRecord, case: CaseFile, cal: WorkingDays, now: datetime) -> None:
        for key, value in self._projection(case, cal, now).items():
            setattr(row, key, value)

    def _detail(self, s: Session, row: CaseRecord, case: CaseFile) -> CaseDetail:
        return self._detail_of(s, case, row.id, row.due_on, row.due_provisional, row.ticket_id)

    def _detail_of(
        self,
        s: Session,
        case: CaseFile,
        case_id: str,
        due_on: str | None,
        provisional: bool,
        ticket_id: str | None,
    ) -> CaseDetail:
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
            state=case.state.value,
            state_label=case.state_label,
            channel=case.channel.value,
            applicant=applicant_json(case.applicant),
            materials=[
                MaterialLineView(
                    m.rule.code,
                    m.rule.name,
                    m.rule.required,
                    m.rule.may_be_missing,
                    m.status.value,
                    MATERIAL_STATUS_LABELS[m.status],
                    m.note,
                )
                for m in case.materials
            ],
            received_on=case.received_on,
            accepted_on=case.accepted_on,
            due_on=due_on,
            due_provisional=provisional,
            ticket_id=ticket_id,
            timeline=[
                TransitionView(
                    t.seq,
                    t.action,
                    ACTION_LABELS[Action(t.action)],
                    t.from_state,
                    t.to_state,
                    t.who,
                    t.at,
                    t.why,
                    json.loads(t.details),
                )
                for t in trs
            ],
            legal_actions=[
                ActionView(a.value, ACTION_LABELS[a])
                for a in legal_actions(case, barred=tolerant_bar(flags))
            ],
            applicant_flags=flags,
            other_place=other_place_json(case.other_place),
        )

    def _submit(self, staged: Sequence[StagedNotice], write: Callable[[Session], T]) -> T:
        return commit_with_files(self.db, self.files, staged, write)

    # ---- writes --------------------------------------------------------------------------
    def open(self, body: Mapping[str, Any], staff_id: str, actor: str) -> CaseDetail:
        """收件: open a case from a called ticket or directly (R-K1), with its 收件凭证."""
        item = CatalogueService(self.db, self.clock).item(item_code_of(body))
        intake = parse_intake(body, item)
        for _ in range(ATTEMPTS):
            try:
                return self._open_once(intake, staff_id, actor)
            except _Stale:
                continue
        raise Conflict(BUSY, "case_busy")

    def _open_once(self, intake: Intake, staff_id: str, actor: str) -> CaseDetail:
        cal = self._calendar()
        now = self.clock.now()
        today = now.astimezone(self.tz).date()
        day = today.isoformat()
        with self.db.read() as s:
            if intake.ticket_id is not None:
                check_ticket(s, intake.ticket_id, day)
            seq = next_seq(s, day)
            receiver = receiver_for(s, staff_id=staff_id)
        number = format_case_number(self.settings.station_code, today, seq)
        case = open_case(
            number=number,
            item=intake.rules,
            applicant=intake.applicant,
            channel=intake.channel,
            received_at=now,
            received_on=today,
            other_place=intake.other,
            marks=intake.marks,
        )
        ctx = NoticeContext(self.settings, receiver, today, cal, intake.forms)
        staged = self.files.prepare(number, 0, render([receipt_on_open(ctx, case)]))

        def write(s: Session) -> CaseDetail:
            if intake.ticket_id is not None:
                check_ticket(s, intake.ticket_id, day)
            if next_seq(s, day) != seq:
                raise _Stale
            a = intake.applicant
            row = CaseRecord(
                case_number=number,
                business_date=day,
                seq=seq,
                item_code=case.item.code,
                item_name=case.item.name,
                state=case.state.value,
                applicant=json.dumps(applicant_json(a), ensure_ascii=False),
                channel=intake.channel.value,
                materials="[]",
                data="{}",
                ticket_id=intake.ticket_id,
                staff_id=staff_id,
                created_at=now,
                updated_at=now,
            )
            self._project(row, case, cal, now)
            s.add(row)
            s.flush()
            notices = record(s, row.id, number, 0, staged, now)
            append_event(
                s,
                "case.opened",
                "case",
                row.id,
                {
                    "case_number": number,
                    "item_code": case.item.code,
                    "item_name": case.item.name,
                    "ticket_id": intake.ticket_id,
                    "actor": actor,
                    "phone": mask_phone(a.phone),
                    "state": case.state.value,
                    "channel": intake.channel.value,
                    "due_on": row.due_on,
                    "staff_id": staff_id,
                    "received_on": day,
                    "other_place": None if intake.other is None else intake.other.kind.value,
                    "notices": [n.kind for n in notices],
                },
                now,
            )
            return self._detail(s, row, case)

        return self._submit(staged, write)

    def act(
        self,
        case_number: str,
        action_name: str,
        body: Mapping[str, Any],
        actor: str,
        *,
        system: bool = False,
    ) -> StepResult:
        """Perform one decision by name (R-K2–R-K6) in one write transaction.

        The step and its notices are worked out and rendered from a read of the case; the
        write checks the case is unchanged and otherwise starts again (at most 3 times).
        System steps (视为受理) are taken by the sweep only (``system=True``).
        """
        action = parse_action(action_name)
        if action in SYSTEM_ACTIONS and not system:
            raise NotAllowed(
                f"“{ACTION_LABELS[action]}”由系统在期限届满后自动作出，不能手动操作",
                "system_action",
            )
        command = build_command(action, body)
        for _ in range(ATTEMPTS):
            try:
                return self._act_once(case_number, command, actor)
            except _Stale:
                continue
        raise Conflict(BUSY, "case_busy")

    def _act_once(self, case_number: str, command: cmds.Command, actor: str) -> StepResult:
        cal = self._calendar()
        now = self.clock.now()
        today = now.astimezone(self.tz).date()
        with self.db.read() as s:
            found = s.execute(
                sa_select(
                    col(CaseRecord.id),
                    col(CaseRecord.data),
                    col(CaseRecord.staff_id),
                    col(CaseRecord.item_code),
                    col(CaseRecord.due_on),
                    col(CaseRecord.due_provisional),
                    col(CaseRecord.ticket_id),
                ).where(col(CaseRecord.case_number) == case_number.strip().upper())
            ).first()
            if found is None:
                raise NotFound(f"找不到办件编号为“{case_number}”的办件", "unknown_case")
            case_id, data, opener, item_code, due_on, provisional, ticket_id = found
            receiver = receiver_for(s, code=actor, fallback_staff_id=opener)
            forms = item_forms(s, item_code)  # 原件/复印件 and counts of the catalogue
            before = decode_case(data)
            barred = tolerant_bar(defaults_of(s, before.applicant.id_number, exclude=before.number))
        step = perform(
            before,
            command,
            cmds.Context(
                actor=actor,
                at=now,
                today=today,
                calendar=cal,
                barred=barred,
            ),
        )
        new, t = step.case, step.transition
        seq = len(new.history)
        values = self._projection(new, cal, now)
        due_on, provisional = (
            values.get("due_on", due_on),
            values.get("due_provisional", provisional),
        )
        issued = []
        if step.notices:
            ctx = NoticeContext(self.settings, receiver, today, cal, forms)
            issued = notices_for_step(ctx, before, step)
        staged = self.files.prepare(before.number, seq, render(issued))

        def write(s: Session) -> StepResult:
            # compare-and-set: the case must be as read, else start again (``_Stale``)
            changed = s.execute(
                update(CaseRecord)
                .where(col(CaseRecord.id) == case_id, col(CaseRecord.data) == data)
                .values(**values)
            )
            if cast(CursorResult[Any], changed).rowcount != 1:
                raise _Stale
            s.add(
                CaseTransitionRecord(
                    case_id=case_id,
                    seq=seq,
                    action=t.action.value,
                    from_state=t.from_state.value,
                    to_state=t.to_state.value,
                    who=t.actor,
                    at=t.at,
                    why=t.reason,
                    details=json.dumps(dict(t.details), ensure_ascii=False),
                )
            )
            notices = record(s, case_id, new.number, seq, staged, now)
            record_default(s, before, new, today, now)
            sms = False
            kind = SMS_KINDS.get(t.action)
            if step.sms and kind and new.applicant.phone:
                sms = (
                    queue_sms(
                        s,
                        kind,
                        new.applicant.phone,
                        sms_values(self.settings.station_name, new, due_on, t.reason, today),
                        now,
                    )
                    is not None
                )
            append_event(
                s,
                f"case.{t.action.value}",
                "case",
                case_id,
                {
                    "case_number": new.number,
                    "from": t.from_state.value,
                    "to": t.to_state.value,
                    "actor": actor,
                    "reason": t.reason,
                    "notices": [n.value for n in step.notices],
                    "sms": sms,
                    "item_code": new.item.code,
                    "due_on": due_on,
                    "due_provisional": provisional,
                    "staff_id": opener,
                },
                now,
            )
            detail = self._detail_of(s, new, case_id, due_on, provisional, ticket_id)
            jobs = [n.print_job_id for n in notices if n.print_job_id]
            return StepResult(detail, [n.value for n in step.notices], jobs, sms)

        return self._submit(staged, write)

    # ---- reads ---------------------------------------------------------------------------
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
            out.append(
                CaseSummary(
                    r.case_number,
                    r.item_code,
                    r.item_name,
                    r.state,
                    state_label(r.state),
                    app.get("name", ""),
                    mask_phone(app.get("phone") or ""),
                    r.due_on,
                    r.due_provisional,
                    r.created_at,
                    view.status.value,
                    DUE_STATUS_LABELS[view.status],
                    view.working_days_left,
                    urgency(view),
                )
            )
        return out

    def get(self, case_number: str) -> CaseDetail:
        with self.db.read() as s:
            row = case_row(s, case_number)
            return self._detail(s, row, decode_case(row.data))
