"""Case handling service (办件, R-K1–R-K8): open a case, perform a decision, list and read.

Every write is ONE transaction: the new case state, the transition row (流转记录), the
``case.<action>`` event, the notice print jobs (一式二份, copies=2) the step asks for and
the applicant's SMS when the step says so. A refused action raises before anything is
written, so the database is left as it was.

The domain ``CaseFile`` is stored whole as JSON in ``case_file.data`` (see
``encode_case`` / ``decode_case``); the other columns are projections for lists.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from appliance.domain.cases import commands as cmds
from appliance.domain.cases.case import CaseFile, open_case
from appliance.domain.cases.case_number import format_case_number
from appliance.domain.cases.deadlines import (
    DUE_STATUS_LABELS,
    DueStatus,
    DueView,
    acceptance_deadline,
    case_deadline,
    due_view,
)
from appliance.domain.cases.machine import Step, legal_actions, perform
from appliance.domain.cases.materials import (
    MATERIAL_STATUS_LABELS,
    correction_list,
)
from appliance.domain.cases.records import (
    Channel,
    OtherPlace,
    OtherPlaceKind,
)
from appliance.domain.cases.states import ACTION_LABELS, STATE_LABELS, Action, CaseState
from appliance.domain.cases.table import NOTICE_LABELS, Notice
from appliance.domain.cases.working_days import ByDateCoverage, WorkingDays
from appliance.domain.clock import Clock
from appliance.domain.errors import Invalid, NotFound
from appliance.domain.masking import mask_phone
from appliance.settings import Settings
from appliance.storage.case_models import CaseRecord, CaseTransitionRecord
from appliance.storage.database import Database, append_event
from appliance.storage.models import Ticket

from .calendar_service import CalendarService
from .case_codec import (
    build_command,
    decode_case,
    encode_case,
    parse_action,
    parse_applicant,
    parse_marks,
    text_field,
)
from .case_views import (
    ActionView,
    CaseDetail,
    CaseSummary,
    MaterialLineView,
    StepResult,
    TransitionView,
    applicant_json,
    item_rules,
    materials_json,
)
from .catalogue_service import CatalogueService
from .print_jobs import add_print_job
from .sms_service import queue_sms

# Finished cases: left out of "my cases" unless asked for.
DONE_STATES = frozenset({CaseState.REFUSED, CaseState.DELIVERED, CaseState.CLOSED})
SOON_WORKING_DAYS = 2  # amber in "my cases" (issue 5: due within 2 working days)

SMS_KINDS: dict[Action, str] = {
    Action.ACCEPT: "case_accepted",
    Action.AUTO_ACCEPT: "case_accepted",
    Action.ACCEPT_TOLERANT: "case_accepted",
    Action.ACCEPT_COMMITMENT: "case_accepted",
    Action.REQUEST_CORRECTION: "case_correction",
    Action.REFUSE: "case_refused",
    Action.APPROVE: "case_decided",
    Action.REJECT: "case_decided",
    Action.NOTIFY_PICKUP: "case_pickup",
    Action.EXTEND: "case_extended",
    Action.LAPSE: "case_lapsed",
}


class CaseService:
    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.tz = ZoneInfo(settings.timezone)

    # ---- helpers -------------------------------------------------------------------------
    def _calendar(self) -> WorkingDays:
        return ByDateCoverage(CalendarService(self.db, self.clock).calendar())

    def _project(self, row: CaseRecord, case: CaseFile, cal: WorkingDays, now: datetime) -> None:
        row.state = case.state.value
        row.materials = json.dumps(materials_json(case.materials), ensure_ascii=False)
        row.data = encode_case(case)
        deadline = case_deadline(case, cal)
        if deadline is not None:
            row.due_on = deadline.due.isoformat() if deadline.due else None
            row.due_provisional = deadline.provisional
        elif case.accepted_on is None:
            row.due_on = acceptance_deadline(cal, case.received_on).isoformat()
        row.updated_at = now

    def _get_row(self, s: Session, case_number: str) -> CaseRecord:
        row = s.exec(
            select(CaseRecord).where(CaseRecord.case_number == case_number.strip().upper())
        ).first()
        if row is None:
            raise NotFound(f"找不到办件编号为“{case_number}”的办件", "unknown_case")
        return row

    def _detail(self, s: Session, row: CaseRecord, case: CaseFile) -> CaseDetail:
        trs = s.exec(
            select(CaseTransitionRecord).where(CaseTransitionRecord.case_id == row.id)
            .order_by(col(CaseTransitionRecord.seq))
        ).all()
        return CaseDetail(
            case_number=case.number, item_code=case.item.code, item_name=case.item.name,
            state=case.state.value, state_label=case.state_label, channel=case.channel.value,
            applicant=applicant_json(case.applicant),
            materials=[
                MaterialLineView(m.rule.code, m.rule.name, m.rule.required, m.rule.may_be_missing,
                                 m.status.value, MATERIAL_STATUS_LABELS[m.status], m.note)
                for m in case.materials
            ],
            received_on=case.received_on, accepted_on=case.accepted_on, due_on=row.due_on,
            due_provisional=row.due_provisional, ticket_id=row.ticket_id,
            timeline=[
                TransitionView(t.seq, t.action, ACTION_LABELS[Action(t.action)],
                               t.from_state, t.to_state, t.who, t.at, t.why, json.loads(t.details))
                for t in trs
            ],
            legal_actions=[ActionView(a.value, ACTION_LABELS[a]) for a in legal_actions(case)],
        )

    def _notice_fields(self, case: CaseFile, notice: Notice, step: Step, today: date) -> dict[str, Any]:
        """The printed notice (hw.notice_pdf.Notice fields) for one step."""
        rows: list[tuple[str, str]] = [
            ("办件编号", case.number), ("事项名称", case.item.name),
            ("申请人", case.applicant.name), ("收件日期", case.received_on.isoformat()),
            ("办件状态", STATE_LABELS[case.state]),
            ("经办人", step.transition.actor),
        ]
        body: list[str] = []
        if notice is Notice.ACCEPTANCE:
            got = "、".join(m.rule.name for m in case.materials if m.ok) or "无"
            rows.append(("已收材料", got))
            due = case_deadline(case, self._calendar())
            if due is not None and due.due is not None:
                mark = "（暂定，待节假日安排公布后重算）" if due.provisional else ""
                rows.append(("办结期限", due.due.isoformat() + mark))
            body.append(f"您申请的“{case.item.name}”，经审查，申请材料符合受理条件，本站决定予以受理。")
        elif notice is Notice.CORRECTION and case.correction is not None:
            body.append("您提交的申请材料不齐全或不符合法定形式，请一次性补正以下材料：")
            body.extend(f"{i}. {line}" for i, line in enumerate(case.correction.lines, start=1))
            rows.append(("补正期限", case.correction.deadline.isoformat()))
        elif notice is Notice.REFUSAL and case.refusal is not None:
            body.append(f"您申请的“{case.item.name}”，经审查，决定不予受理。理由：{case.refusal.reason}")
            body.append(case.refusal.rights)
        elif notice is Notice.TOLERANT and case.tolerant is not None:
            owed = [line.text() for line in correction_list(case.materials)]
            body.append("本人承诺在下列期限内补齐以下容缺材料，逾期未补齐的，本事项不予批准：")
            body.extend(owed)
            rows.append(("补齐期限", case.tolerant.deadline.isoformat()))
            rows.append(("承诺人", case.tolerant.signed_by))
        else:
            body.append(f"{NOTICE_LABELS[notice]}：{ACTION_LABELS[step.transition.action]}。")
            if step.transition.reason:
                body.append(f"理由：{step.transition.reason}")
            body.extend(f"{k}：{v}" for k, v in step.transition.details.items())
        return {
            "title": NOTICE_LABELS[notice],
            "number": case.number,
            "station_name": self.settings.station_name,
            "date": today.isoformat(),
            "body": body,
            "rows": rows,
            "addressee": case.applicant.name,
        }

    # ---- writes --------------------------------------------------------------------------
    def open(self, body: Mapping[str, Any], staff_id: str, actor: str) -> CaseDetail:
        """收件: open a case from a called ticket or directly (R-K1)."""
        item_code = text_field(body, "item_code").strip()
        if not item_code:
            raise Invalid("缺少必填项：事项编码（item_code）", "field_required")
        rules = item_rules(CatalogueService(self.db, self.clock).item(item_code))
        applicant = parse_applicant(body.get("applicant"))
        try:
            channel = Channel(body.get("channel") or "counter")
        except ValueError:
            raise Invalid("收件渠道应为 counter（现场）、online（网上）或 post（邮寄）", "bad_channel") from None
        other_raw = body.get("other_place")
        other = None
        if isinstance(other_raw, Mapping):
            try:
                other = OtherPlace(OtherPlaceKind(str(other_raw.get("kind"))), text_field(other_raw, "place"))
            except ValueError:
                raise Invalid("异地办件类型应为 cross_region（通办）或 collect（代收）", "bad_other_place") from None
        marks = parse_marks(body.get("materials"))
        ticket_id = text_field(body, "ticket_id").strip() or None
        cal = self._calendar()
        now = self.clock.now()
        today = now.astimezone(self.tz).date()
        with self.db.write() as s:
            if ticket_id is not None and s.get(Ticket, ticket_id) is None:
                raise NotFound(f"找不到号票“{ticket_id}”", "unknown_ticket")
            day = today.isoformat()
            last = s.exec(select(func.max(CaseRecord.seq)).where(CaseRecord.business_date == day)).one()
            seq = int(last or 0) + 1
            number = format_case_number(self.settings.station_code, today, seq)
            case = open_case(
                number=number, item=rules, applicant=applicant, channel=channel,
                received_at=now, received_on=today, other_place=other, marks=marks,
            )
            row = CaseRecord(
                case_number=number, business_date=day, seq=seq, item_code=rules.code,
                item_name=rules.name, state=case.state.value,
                applicant=json.dumps(applicant_json(applicant), ensure_ascii=False),
                channel=channel.value, materials="[]", data="{}", ticket_id=ticket_id,
                staff_id=staff_id, created_at=now, updated_at=now,
            )
            self._project(row, case, cal, now)
            s.add(row)
            s.flush()
            append_event(s, "case.opened", "case", row.id, {
                "case_number": number, "item_code": rules.code, "item_name": rules.name,
                "ticket_id": ticket_id, "actor": actor, "phone": mask_phone(applicant.phone),
                "state": case.state.value, "channel": channel.value, "due_on": row.due_on,
                "staff_id": staff_id, "received_on": day,
                "other_place": None if other is None else other.kind.value,
            }, now)
            return self._detail(s, row, case)

    def act(
        self, case_number: str, action_name: str, body: Mapping[str, Any], actor: str
    ) -> StepResult:
        """Perform one decision by name (R-K2–R-K6) in one write transaction."""
        action = parse_action(action_name)
        command = build_command(action, body)
        cal = self._calendar()
        now = self.clock.now()
        today = now.astimezone(self.tz).date()
        with self.db.write() as s:
            row = self._get_row(s, case_number)
            case = decode_case(row.data)
            step = perform(case, command, cmds.Context(actor=actor, at=now, today=today, calendar=cal))
            new = step.case
            self._project(row, new, cal, now)
            s.add(row)
            t = step.transition
            s.add(CaseTransitionRecord(
                case_id=row.id, seq=len(new.history), action=t.action.value,
                from_state=t.from_state.value, to_state=t.to_state.value, who=t.actor, at=t.at,
                why=t.reason, details=json.dumps(dict(t.details), ensure_ascii=False),
            ))
            jobs: list[str] = []
            for notice in step.notices:
                fields_ = self._notice_fields(new, notice, step, today)
                jobs.append(add_print_job(s, "notice", {"notice": fields_}, now, copies=2).id)
            sms = False
            kind = SMS_KINDS.get(action)
            if step.sms and kind and new.applicant.phone:
                sms = queue_sms(s, kind, new.applicant.phone, _sms_values(
                    self.settings.station_name, new, row.due_on, t.reason, today
                ), now) is not None
            append_event(s, f"case.{action.value}", "case", row.id, {
                "case_number": new.number, "from": t.from_state.value, "to": t.to_state.value,
                "actor": actor, "reason": t.reason, "notices": [n.value for n in step.notices],
                "sms": sms, "item_code": new.item.code, "due_on": row.due_on,
                "due_provisional": row.due_provisional, "staff_id": row.staff_id,
            }, now)
            s.flush()
            return StepResult(self._detail(s, row, new), [n.value for n in step.notices], jobs, sms)

    # ---- reads ---------------------------------------------------------------------------
    def list_mine(
        self, staff_id: str | None, limit: int = 200, include_done: bool = False
    ) -> list[CaseSummary]:
        """Cases (of one staff member, or all), nearest deadline first.

        Finished cases (不予受理, 已送达, 已关闭) are left out unless ``include_done``.
        ``urgency`` is ``overdue`` past the 办结期限 and ``soon`` within 2 working days.
        """
        q = select(CaseRecord)
        if staff_id is not None:
            q = q.where(CaseRecord.staff_id == staff_id)
        if not include_done:
            q = q.where(col(CaseRecord.state).not_in([s.value for s in DONE_STATES]))
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
            view = due_view(decode_case(r.data), today, cal, self.settings.case_reminder_working_days)
            out.append(CaseSummary(
                r.case_number, r.item_code, r.item_name, r.state,
                _state_label(r.state), app.get("name", ""),
                mask_phone(app.get("phone") or ""), r.due_on, r.due_provisional, r.created_at,
                view.status.value, DUE_STATUS_LABELS[view.status], view.working_days_left,
                _urgency(view),
            ))
        return out

    def get(self, case_number: str) -> CaseDetail:
        with self.db.read() as s:
            row = self._get_row(s, case_number)
            return self._detail(s, row, decode_case(row.data))


def _sms_values(
    station: str, case: CaseFile, due_on: str | None, reason: str, today: date
) -> dict[str, Any]:
    """Placeholders of a case SMS: {case} {item} {deadline} {reason} (+ legacy names)."""
    deadline = due_on or ""
    if case.state is CaseState.CORRECTION_REQUESTED and case.correction is not None:
        deadline = case.correction.deadline.isoformat()
    elif case.state is CaseState.TOLERANT_ACCEPTED and case.tolerant is not None:
        deadline = due_on or case.tolerant.deadline.isoformat()
    if deadline:
        deadline = chinese_day(date.fromisoformat(deadline))
    return {
        "station": station, "case": case.number, "number": case.number,
        "item": case.item.name, "category": case.item.name, "deadline": deadline,
        "reason": reason or "见通知书",
    }


def chinese_day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _urgency(view: DueView) -> str:
    if view.status is DueStatus.OVERDUE:
        return "overdue"
    if view.status in (DueStatus.ON_TRACK, DueStatus.DUE_SOON) and (
        view.working_days_left is not None and view.working_days_left <= SOON_WORKING_DAYS
    ):
        return "soon"
    return ""


def _state_label(value: str) -> str:
    try:
        return STATE_LABELS[CaseState(value)]
    except ValueError:
        return value
