"""帮办代办 service (R-D1, R-D2): log and assign 帮办, sign 代办 under a 委托书, feed progress
back (optionally by SMS), suspend for one of JC's seven grounds, continue, complete, schedule
home visits, record what the applicant paid.

Every public write is one transaction that changes the rows and appends its event; the
papers (委托书, 中止单, 续办委托书, 办结单) are rendered and kept byte for byte in the same
transaction. A refusal raises a Chinese ``DomainError`` before anything is committed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from appliance.core.clock import Clock
from appliance.core.errors import Conflict, Invalid, NotFound
from appliance.core.roles import Principal
from appliance.db.database import Database
from appliance.delegation.rules import (
    DEFAULT_RESPONSIBILITIES,
    SUSPEND_REASON_LABELS,
    Kind,
    Status,
    check_completable,
    check_delegate,
    check_open,
    check_period,
    check_resumable,
    check_suspendable,
    need_text,
    parse_reason,
    yuan,
)
from appliance.delegation.schemas import (
    CompleteIn,
    DelegationIn,
    DelegationView,
    FeeIn,
    HelpIn,
    ProgressIn,
    ResumeIn,
    SuspendIn,
    VisitDoneIn,
    VisitIn,
)
from appliance.delegation.service.query import DelegationReads
from appliance.delegation.service.store import (
    add_entry,
    assignee,
    draft_row,
    find,
    keep_document,
    next_seq,
    paper,
    paper_seq,
    payload,
    staff_by_code,
    view,
)
from appliance.delegation.tables import Delegation, DelegationVisit
from appliance.documents import delegation as papers
from appliance.documents.rating_link import rating_url
from appliance.events.log import append_event
from appliance.jobs.service.sms import queue_sms
from appliance.settings import Settings

PROGRESS_SMS = "delegation_progress"
ATTEMPTS = 3
BUSY = "这件帮办代办刚被其他工作人员修改，请刷新后重试"


class DelegationService(DelegationReads):
    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.tz = ZoneInfo(settings.timezone)

    def today(self) -> date:
        return self.clock.now().astimezone(self.tz).date()

    def _local_day(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()

    # ---- open ----------------------------------------------------------------------------
    def help(self, body: HelpIn, actor: Principal) -> DelegationView:
        """帮办 (R-D1): logged and assigned at once; free, nothing to sign."""
        name = need_text(body.applicant_name, "服务对象姓名")
        item = need_text(body.item_name, "帮办事项")
        content = need_text(body.content, "需要帮助的内容")
        now, today = self.clock.now(), self.today()
        with self.db.write() as s:
            agent = assignee(s, body.agent_code, actor)
            seq = next_seq(s, today.isoformat())
            row = draft_row(
                Kind.HELP,
                seq,
                agent,
                actor,
                now,
                today,
                applicant_name=name,
                applicant_phone=body.applicant_phone.strip(),
                item_name=item,
                content=content,
            )
            s.add(row)
            s.flush()
            text = f"受理帮办，分派给 {row.agent_name}"
            add_entry(s, row, "assigned", text, (actor.staff_id, actor.name), now)
            append_event(s, "delegation.help_logged", "delegation", row.id, payload(row), now)
            return view(s, row, self.today())

    def delegate(self, body: DelegationIn, actor: Principal) -> DelegationView:
        """代办 (R-D1): the 代办服务委托书 naming agent, content, period and responsibilities."""
        today, now = self.today(), self.clock.now()
        name = need_text(body.applicant_name, "委托人姓名")
        item = need_text(body.item_name, "代办事项")
        content = need_text(body.content, "委托内容")
        start = body.period_start or today
        check_period(start, body.period_end, today)
        fields: dict[str, str | None] = {
            "applicant_name": name,
            "applicant_id_number": body.applicant_id_number.strip().upper(),
            "applicant_phone": body.applicant_phone.strip(),
            "applicant_address": body.applicant_address.strip(),
            "item_name": item,
            "content": content,
            "responsibilities": body.responsibilities.strip() or DEFAULT_RESPONSIBILITIES,
            "period_start": start.isoformat(),
            "period_end": body.period_end.isoformat(),
        }
        for _ in range(ATTEMPTS):  # the 委托书 is rendered outside the write lock
            with self.db.read() as s:
                agent = assignee(s, body.agent_code, actor)
                seq = next_seq(s, today.isoformat())
            draft = draft_row(Kind.DELEGATE, seq, agent, actor, now, today, **fields)
            data = paper(draft, self.settings.station_name, today, 1)
            pdf = papers.agreement_pdf(data)
            with self.db.write() as s:
                if next_seq(s, today.isoformat()) != seq:
                    continue  # another delegation took the number meanwhile: again
                assignee(s, body.agent_code, actor)  # still active
                s.add(draft)
                s.flush()
                keep_document(s, draft, "agreement", data.number, pdf, now)
                text = f"签订代办服务委托书，代办员 {draft.agent_name}，期限至 {draft.period_end}"
                add_entry(s, draft, "assigned", text, (actor.staff_id, actor.name), now)
                append_event(s, "delegation.agreed", "delegation", draft.id, payload(draft), now)
                return view(s, draft, today)
        raise Conflict(BUSY, "busy")

    # ---- the ledger ----------------------------------------------------------------------
    def _change(
        self, ref: str, event: str, step: Callable[[Session, Delegation, datetime], None]
    ) -> DelegationView:
        """One write: find the row, apply ``step`` (which checks first), append the event."""
        now = self.clock.now()
        with self.db.write() as s:
            row = find(s, ref)
            step(s, row, now)
            row.updated_at = now
            s.add(row)
            s.flush()
            append_event(s, event, "delegation", row.id, payload(row), now)
            return view(s, row, self.today())

    def _paper_change(
        self,
        ref: str,
        event: str,
        kind: str,
        apply: Callable[[Delegation, datetime], None],
        render: Callable[[papers.DelegationPaper], bytes] | None,
        record: Callable[[Session, Delegation, datetime], None],
    ) -> DelegationView:
        """A change that prints a paper: ``apply`` checks and changes the row (no storage),
        the paper is rendered from the changed row OUTSIDE the write lock, then the write
        transaction re-reads the row, applies the change again, keeps the paper, adds the
        ledger lines (``record``) and the event — unless the row changed meanwhile (then all
        again, at most ``ATTEMPTS`` times)."""
        for _ in range(ATTEMPTS):
            now = self.clock.now()
            with self.db.read() as s:
                draft = find(s, ref)
                seq, stamp = paper_seq(s, draft), draft.updated_at
            apply(draft, now)
            data = paper(draft, self.settings.station_name, self._local_day(now), seq)
            pdf = render(data) if render is not None else None
            with self.db.write() as s:
                row = find(s, ref)
                if row.updated_at != stamp or paper_seq(s, row) != seq:
                    continue
                apply(row, now)
                if pdf is not None:
                    keep_document(s, row, kind, data.number, pdf, now)
                record(s, row, now)
                row.updated_at = now
                s.add(row)
                s.flush()
                append_event(s, event, "delegation", row.id, payload(row), now)
                return view(s, row, self.today())
        raise Conflict(BUSY, "busy")

    def progress(self, ref: str, body: ProgressIn, actor: Principal) -> DelegationView:
        """进展反馈 (R-D2): a ledger line; with ``sms`` also queued to the applicant."""
        text = need_text(body.text, "反馈内容")

        def step(s: Session, row: Delegation, now: datetime) -> None:
            check_open(Status(row.status), row.number, "反馈进展")
            sms_id = None
            if body.sms:
                if not row.applicant_phone or not row.applicant_phone.startswith("1"):
                    raise Invalid(
                        "没有服务对象的手机号码，不能短信反馈；请电话或当面告知", "no_phone"
                    )
                values = {"station": self.settings.station_name, "ref": row.number, "answer": text}
                msg = queue_sms(s, PROGRESS_SMS, row.applicant_phone, values, now)
                sms_id = msg.id if msg is not None else None
            add_entry(s, row, "progress", text, (actor.staff_id, actor.name), now, sms_id=sms_id)

        return self._change(ref, "delegation.progress", step)

    def suspend(self, ref: str, body: SuspendIn, actor: Principal) -> DelegationView:
        """中止 (R-D2): only for one of JC 附件5's seven grounds, with a printed 中止单."""
        reason = parse_reason(body.reason)
        note = body.note.strip()
        if reason.value == "other" and not note:
            raise Invalid("“其他确需中止代办的客观情况”须写明具体情况", "note_required")

        label = SUSPEND_REASON_LABELS[reason]

        def apply(row: Delegation, now: datetime) -> None:
            check_delegate(Kind(row.kind), row.number, "中止")
            check_suspendable(Status(row.status), row.number)
            row.status, row.suspend_reason = Status.SUSPENDED.value, reason.value
            row.suspend_note, row.suspended_at = note, now

        def record(s: Session, row: Delegation, now: datetime) -> None:
            text = label + (f"：{note}" if note else "")
            add_entry(s, row, "suspended", text, (actor.staff_id, actor.name), now)

        def render(data: papers.DelegationPaper) -> bytes:
            return papers.suspension_pdf(data, label, note)

        return self._paper_change(ref, "delegation.suspended", "suspension", apply, render, record)

    def resume(self, ref: str, body: ResumeIn, actor: Principal) -> DelegationView:
        """续办 (R-D2): a 续办委托书 with the new period end; the delegation is active again."""
        note = need_text(body.note, "续办说明（中止原因如何消除）")

        def apply(row: Delegation, now: datetime) -> None:
            check_delegate(Kind(row.kind), row.number, "续办")
            check_resumable(Status(row.status), row.number)
            today = self._local_day(now)
            check_period(today, body.period_end, today)
            row.period_start, row.period_end = today.isoformat(), body.period_end.isoformat()
            row.status, row.suspend_reason, row.suspend_note = Status.ACTIVE.value, None, ""
            row.continuations += 1

        def record(s: Session, row: Delegation, now: datetime) -> None:
            text = f"签订续办委托书，期限至 {row.period_end}：{note}"
            add_entry(s, row, "resumed", text, (actor.staff_id, actor.name), now)

        def render(data: papers.DelegationPaper) -> bytes:
            return papers.continuation_pdf(data, note)

        return self._paper_change(ref, "delegation.resumed", "continuation", apply, render, record)

    def complete(self, ref: str, body: CompleteIn, actor: Principal) -> DelegationView:
        """办结 (R-D2): a 代办 prints its 办结单 with the satisfaction form; both kinds are then
        open for the applicant's rating (一事一评), recorded as ``rating_open``."""
        result = need_text(body.result, "办理结果")

        with self.db.read() as s:
            found = find(s, ref)
            kind, number = Kind(found.kind), found.number

        def apply(row: Delegation, now: datetime) -> None:
            check_completable(Status(row.status), row.number)
            row.status, row.result, row.completed_at = Status.COMPLETED.value, result, now
            row.rating_open = True

        def record(s: Session, row: Delegation, now: datetime) -> None:
            visits = s.exec(
                select(DelegationVisit).where(
                    DelegationVisit.delegation_id == row.id, DelegationVisit.status == "scheduled"
                )
            ).all()
            if visits:  # raised before the commit: nothing is written
                raise Invalid(
                    f"还有 {len(visits)} 次上门服务未完成，请先登记上门结果再办结", "visits_open"
                )
            add_entry(s, row, "completed", result, (actor.staff_id, actor.name), now)

        rate = self.settings.rating_qr  # the 办结单's QR: rate this delegation once (R-E2)
        link = rating_url(self.settings, "delegation", number) if rate else None

        def render(data: papers.DelegationPaper) -> bytes:
            return papers.completion_pdf(replace(data, rating_url=link), result)

        printed = render if kind == Kind.DELEGATE else None
        return self._paper_change(ref, "delegation.completed", "completion", apply, printed, record)

    def schedule_visit(self, ref: str, body: VisitIn, actor: Principal) -> DelegationView:
        """上门服务 (R-D2): a home visit scheduled as a task of the delegation."""
        address = need_text(body.address, "上门地址")
        purpose = need_text(body.purpose, "上门事由")
        if body.scheduled_for.tzinfo is None:
            raise Invalid("上门时间须带时区，如 2026-11-24T09:30:00+08:00", "naive_time")

        def step(s: Session, row: Delegation, now: datetime) -> None:
            check_open(Status(row.status), row.number, "安排上门服务")
            if body.scheduled_for < now:
                raise Invalid("上门时间已经过去，请填写今后的时间", "visit_in_past")
            who = staff_by_code(s, body.staff_code) if body.staff_code.strip() else None
            staff_id, staff_name = (who.id, who.name) if who else (row.agent_id, row.agent_name)
            visit = DelegationVisit(
                delegation_id=row.id,
                scheduled_for=body.scheduled_for,
                address=address,
                purpose=purpose,
                staff_id=staff_id,
                staff_name=staff_name,
                status="scheduled",
                created_at=now,
            )
            s.add(visit)
            when = body.scheduled_for.astimezone(self.tz).strftime("%Y-%m-%d %H:%M")
            text = f"安排上门服务：{when} {address}（{purpose}），{staff_name} 前往"
            add_entry(s, row, "visit", text, (actor.staff_id, actor.name), now)

        return self._change(ref, "delegation.visit_scheduled", step)

    def visit_done(
        self, ref: str, visit_id: str, body: VisitDoneIn, actor: Principal
    ) -> DelegationView:
        outcome = need_text(body.outcome, "上门服务结果")

        def step(s: Session, row: Delegation, now: datetime) -> None:
            visit = s.get(DelegationVisit, visit_id)
            if visit is None or visit.delegation_id != row.id:
                raise NotFound(f"{row.number} 没有这次上门服务", "unknown_visit")
            if visit.status == "done":
                raise Invalid("这次上门服务已经登记过结果", "visit_done")
            visit.status, visit.outcome, visit.done_at = "done", outcome, now
            s.add(visit)
            add_entry(
                s, row, "visit", f"上门服务完成：{outcome}", (actor.staff_id, actor.name), now
            )

        return self._change(ref, "delegation.visit_done", step)

    def record_fee(self, ref: str, body: FeeIn, actor: Principal) -> DelegationView:
        """A fee the applicant paid themselves (R-D1): the agent never collects money."""
        item = need_text(body.item, "收费项目")
        paid_to = need_text(body.paid_to, "收费单位或缴费渠道")

        def step(s: Session, row: Delegation, now: datetime) -> None:
            check_open(Status(row.status), row.number, "登记缴费")
            text = f"申请人本人向{paid_to}缴纳{item} {yuan(body.amount_fen)}（代办员未经手）"
            add_entry(
                s, row, "fee", text, (actor.staff_id, actor.name), now, amount_fen=body.amount_fen
            )

        return self._change(ref, "delegation.fee_paid_by_applicant", step)


__all__ = ["DelegationService"]
