"""Case handling service (办件, R-K1–R-K8): open a case and perform a decision (the reads,
list and detail, are ``reads.CaseReader``).

Every write is ONE transaction: the new case state, the transition row (流转记录), the
``case.<action>`` event, the notices the step issues — each kept as a PDF with the case
(``case_notice`` row + file, see ``notice_store``) and printed 一式二份 (copies=2) —
and the applicant's SMS when the step says so. A refused action raises before anything is
written, so the database (and the notice folder) is left as it was.

Rendering a notice takes ~65 ms, so it happens outside the write lock: the service reads
the case, performs the step and renders; the write then checks the case is unchanged
(same stored ``data``) and starts again otherwise, and a clerk whose decision still
collides is told who changed the case (``holders``). A new case reserves its number first
in a write transaction of its own (``intake.reserve_seq``), so two windows opening cases
at once never conflict (R-K1). Each case gets a random 查询码 (``query_token``) that the
notices' QR link carries (R-K7).

The domain ``CaseFile`` is stored whole as JSON in ``case_file.data`` (see
``encode_case`` / ``decode_case``); the other columns are projections for lists.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar, cast

from sqlalchemy import CursorResult, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from appliance.cases.rules import commands as cmds
from appliance.cases.rules.case import CaseFile, open_case
from appliance.cases.rules.case_number import format_case_number
from appliance.cases.rules.deadlines import acceptance_deadline, case_deadline
from appliance.cases.rules.extensions import check_extension
from appliance.cases.rules.machine import perform
from appliance.cases.rules.states import ACTION_LABELS
from appliance.cases.rules.table import SYSTEM_ACTIONS
from appliance.cases.rules.working_days import WorkingDays
from appliance.cases.schemas import CaseActionIn, CaseDetail, OpenCaseIn, StepResult
from appliance.cases.service.codec import (
    build_command,
    decode_case,
    encode_case,
    parse_action,
    request_of,
)
from appliance.cases.service.flags import defaults_of, record_default, tolerant_bar
from appliance.cases.service.holders import Holders, busy_message, who_changed
from appliance.cases.service.intake import (
    Intake,
    check_ticket,
    item_code_of,
    parse_intake,
    reserve_seq,
)
from appliance.cases.service.notice_context import (
    NoticeContext,
    item_forms,
    receiver_for,
    with_query_link,
)
from appliance.cases.service.notice_store import (
    NoticeFiles,
    StagedNotice,
    commit_with_files,
    record,
    render,
)
from appliance.cases.service.notices import notices_for_step, receipt_on_open
from appliance.cases.service.reads import CaseReader, detail_of, row_detail
from appliance.cases.service.sms import SMS_KINDS, sms_values
from appliance.cases.service.views import applicant_json, materials_json
from appliance.cases.tables import CaseRecord, CaseTransitionRecord
from appliance.catalogue.service.catalogue import CatalogueService
from appliance.core.clock import Clock
from appliance.core.errors import Conflict, DomainError, NotAllowed, NotFound
from appliance.core.masking import mask_phone
from appliance.core.roles import Role
from appliance.db.database import Database
from appliance.events.log import append_event
from appliance.jobs.service.sms import queue_sms
from appliance.settings import Settings
from appliance.staff.tables import Staff

ATTEMPTS = 3  # a write that finds the case changed since its read starts again
T = TypeVar("T")


class _Stale(Exception):
    """The case changed between the read and the write."""


class CaseService(CaseReader):
    """The reads (``CaseReader``: ``list_mine``, ``get``) and the writes of case handling."""

    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        super().__init__(db, settings, clock)
        self.files = NoticeFiles(settings.case_notice_path)
        self.holders = Holders()
        # Called in the transaction of every decision with (session, case id, new state,
        # time); wired by ``appliance.wiring`` for features above cases (the 邀请评价 SMS).
        self.after_step: list[Callable[[Session, str, str, datetime], None]] = []

    # ---- helpers -------------------------------------------------------------------------
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

    def _submit(self, staged: Sequence[StagedNotice], write: Callable[[Session], T]) -> T:
        return commit_with_files(self.db, self.files, staged, write)

    # ---- writes --------------------------------------------------------------------------
    def open(self, body: OpenCaseIn | Mapping[str, Any], staff_id: str, actor: str) -> CaseDetail:
        """收件: open a case from a called ticket or directly (R-K1), with its 收件凭证.

        ``body`` is the typed request; a plain mapping (the demo, benches) is checked and
        converted to it first.
        """
        request = request_of(body, OpenCaseIn)
        item = CatalogueService(self.db, self.clock).item(item_code_of(request))
        return self._open(parse_intake(request, item), staff_id, actor)

    def _open(self, intake: Intake, staff_id: str, actor: str) -> CaseDetail:
        cal = self._calendar()
        now = self.clock.now()
        today = now.astimezone(self.tz).date()
        day = today.isoformat()
        with self.db.read() as s:
            if intake.ticket_id is not None:
                check_ticket(s, intake.ticket_id, day)
            receiver = receiver_for(s, staff_id=staff_id)
        seq = reserve_seq(self.db, day)  # its own short write: no other intake can take it
        number = format_case_number(self.settings.station_code, today, seq)
        token = secrets.token_urlsafe(16)
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
        receipt = with_query_link([receipt_on_open(ctx, case)], self.settings, number, token)
        staged = self.files.prepare(number, 0, render(receipt))

        def write(s: Session) -> CaseDetail:
            if intake.ticket_id is not None:
                check_ticket(s, intake.ticket_id, day)
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
                query_token=token,
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
            return row_detail(s, row, case)

        return self._submit(staged, write)

    def act(
        self,
        case_number: str,
        action_name: str,
        body: CaseActionIn | Mapping[str, Any],
        actor: str,
        *,
        system: bool = False,
    ) -> StepResult:
        """Perform one decision by name (R-K2–R-K6) in one write transaction.

        The step and its notices are worked out and rendered from a read of the case; the
        write checks the case is unchanged and otherwise starts again (at most 3 times).
        System steps (视为受理) are taken by the sweep only (``system=True``). A plain
        mapping as ``body`` is checked and converted to ``CaseActionIn`` first.
        """
        action = parse_action(action_name)
        if action in SYSTEM_ACTIONS and not system:
            raise NotAllowed(
                f"“{ACTION_LABELS[action]}”由系统在期限届满后自动作出，不能手动操作",
                "system_action",
            )
        command = build_command(action, request_of(body, CaseActionIn))
        number = case_number.strip().upper()
        collided = False
        with self.holders.holding(number, actor, action):
            for _ in range(ATTEMPTS):
                try:
                    return self._act_once(case_number, command, actor)
                except _Stale:
                    collided = True
                    continue
                except DomainError as exc:
                    changed = who_changed(self.db, number) if collided else ""
                    if changed:  # refused on the state another clerk just made: say who
                        exc.message = f"{exc.message}（该办件{changed}）"
                    raise
        raise Conflict(busy_message(self.db, self.holders, number, actor), "case_busy")

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
                    col(CaseRecord.query_token),
                ).where(col(CaseRecord.case_number) == case_number.strip().upper())
            ).first()
            if found is None:
                raise NotFound(f"找不到办件编号为“{case_number}”的办件", "unknown_case")
            case_id, data, opener, item_code, due_on, provisional, ticket_id, token = found
            receiver = receiver_for(s, code=actor, fallback_staff_id=opener)
            forms = item_forms(s, item_code)  # 原件/复印件 and counts of the catalogue
            before = decode_case(data)
            barred = tolerant_bar(defaults_of(s, before.applicant.id_number, exclude=before.number))
            if isinstance(command, cmds.Extend):  # one, approved by the head (R-K3)
                role = s.exec(select(Staff.role).where(Staff.code == actor)).first()
                limit = self.settings.case_extension_max_days
                check_extension(before, command.days, max_days=limit, by_head=role == Role.MANAGER)
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
            issued = with_query_link(
                notices_for_step(ctx, before, step), self.settings, before.number, token
            )
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
                        sms_values(
                            self.settings.station_name,
                            new,
                            due_on,
                            t.reason,
                            today,
                            bool(provisional),
                        ),
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
            for hook in self.after_step:
                hook(s, case_id, t.to_state.value, now)
            return StepResult(
                case=detail_of(s, new, case_id, due_on, provisional, ticket_id),
                notices=list(step.notices),
                print_job_ids=[n.print_job_id for n in notices if n.print_job_id],
                sms_queued=sms,
            )

        return self._submit(staged, write)
