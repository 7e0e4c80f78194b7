"""Complaints service (投诉受理, R-P2): register, verify, handle or transfer and follow,
answer, close; read (confidential ones only by the 投诉受理 role and the head), export, count.

Every public write is one transaction that changes the complaint, records its step (who,
when, the text) and appends its ``complaint.*`` event. A refusal (a promise before 核实, a
close without an answer, an SMS answer without a mobile number …) raises a Chinese
``DomainError`` before anything is committed.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from appliance.complaints.rules import (
    SMS_KIND,
    AnswerVia,
    State,
    Step,
    check_answer_via,
    check_readable,
    complaint_number,
    next_state,
    step_text,
)
from appliance.complaints.schemas import (
    AnswerIn,
    CloseIn,
    ComplaintCount,
    ComplaintIn,
    ComplaintView,
    StepTextIn,
    TransferIn,
    VerifyIn,
)
from appliance.complaints.service import query
from appliance.complaints.service.store import (
    find,
    next_seq,
    record_step,
    safe_text,
    steps_of,
    view,
)
from appliance.complaints.tables import Complaint
from appliance.core.clock import Clock
from appliance.core.errors import Conflict, Invalid
from appliance.core.identity import is_mobile, normalise_mobile
from appliance.core.roles import Principal
from appliance.db.database import Database
from appliance.documents.exports import ExportFile
from appliance.jobs.service.sms import queue_sms
from appliance.settings import Settings


def _clean(text: str) -> str:
    return " ".join(text.split())


class ComplaintService:
    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.tz = ZoneInfo(settings.timezone)

    def today(self) -> date:
        return self.clock.now().astimezone(self.tz).date()

    # ---- write ---------------------------------------------------------------------------
    def register(self, body: ComplaintIn, actor: Principal) -> ComplaintView:
        """投诉登记 from any channel, confidential on request; it waits for 核实."""
        content = body.content.strip()
        if not content:
            raise Invalid("请如实记录投诉事项（投诉内容）", "content_required")
        phone = normalise_mobile(body.complainant_phone)
        now, today = self.clock.now(), self.today()
        with self.db.write() as s:
            business_date = today.isoformat()
            seq = next_seq(s, business_date)
            row = Complaint(
                number=complaint_number(today, seq),
                business_date=business_date,
                seq=seq,
                received_at=now,
                channel=body.channel.value,
                confidential=body.confidential,
                complainant_name=_clean(body.complainant_name),
                complainant_phone=phone,
                complainant_contact=body.complainant_contact.strip(),
                about=_clean(body.about),
                content=content,
                state=State.VERIFY.value,
                staff_id=actor.staff_id,
                staff_name=actor.name,
                updated_at=now,
            )
            s.add(row)
            s.flush()
            record_step(s, row, Step.REGISTER, actor, content, now)
            return view(row, steps_of(s, row.id))

    def verify(self, ref: str, body: VerifyIn, actor: Principal) -> ComplaintView:
        """核实: the facts checked and the finding; only now may anything be promised."""
        text = step_text(body.text, Step.VERIFY)
        with self.db.write() as s:
            row = self._step(s, ref, Step.VERIFY, actor)
            row.finding = body.finding.value
            return self._done(s, row, Step.VERIFY, actor, text)

    def handle(self, ref: str, body: StepTextIn, actor: Principal) -> ComplaintView:
        """当场处理: settled on the spot; the answer comes next."""
        text = step_text(body.text, Step.HANDLE)
        with self.db.write() as s:
            row = self._step(s, ref, Step.HANDLE, actor)
            return self._done(s, row, Step.HANDLE, actor, text)

    def transfer(self, ref: str, body: TransferIn, actor: Principal) -> ComplaintView:
        """转办 to a department; the complaint is followed until its result comes back."""
        dept = _clean(body.dept)
        if not dept:
            raise Invalid("请填写转办的部门", "dept_required")
        handler = _clean(body.handler)
        note = body.text.strip()
        text = f"转办{dept}" + (f"（{handler}）" if handler else "") + (f"：{note}" if note else "")
        with self.db.write() as s:
            row = self._step(s, ref, Step.TRANSFER, actor)
            row.transferred_to, row.transfer_handler = dept, handler
            return self._done(s, row, Step.TRANSFER, actor, text)

    def follow(self, ref: str, body: StepTextIn, actor: Principal) -> ComplaintView:
        """跟踪: a line of follow-up while the department handles it."""
        text = step_text(body.text, Step.FOLLOW)
        with self.db.write() as s:
            row = self._step(s, ref, Step.FOLLOW, actor)
            return self._done(s, row, Step.FOLLOW, actor, text)

    def result(self, ref: str, body: StepTextIn, actor: Principal) -> ComplaintView:
        """转办结果: what the department did; the answer comes next."""
        text = step_text(body.text, Step.RESULT)
        with self.db.write() as s:
            row = self._step(s, ref, Step.RESULT, actor)
            return self._done(s, row, Step.RESULT, actor, text)

    def answer(self, ref: str, body: AnswerIn, actor: Principal) -> ComplaintView:
        """答复投诉人 (in person, phone, SMS, letter, e-mail, or posted when anonymous)."""
        text = step_text(body.text, Step.ANSWER)
        now = self.clock.now()
        with self.db.write() as s:
            row = self._step(s, ref, Step.ANSWER, actor)
            self._answer(s, row, text, body.via, actor, now)
            return view(row, steps_of(s, row.id))

    def close(self, ref: str, body: CloseIn, actor: Principal) -> ComplaintView:
        """办结, with the answer: an answered complaint closes; one waiting for its answer
        closes when the answer comes in the same request; otherwise it is refused."""
        now = self.clock.now()
        answer = body.answer.strip()
        if answer and body.via is None:
            raise Invalid("请选择答复方式（当面、电话、短信、书面、邮件或公示）", "via_required")
        with self.db.write() as s:
            row = find(s, ref)
            check_readable(actor.role, row.confidential, row.number)
            if answer and body.via is not None:
                next_state(State(row.state), Step.ANSWER)
                self._answer(s, row, answer, body.via, actor, now)
            row.state = next_state(State(row.state), Step.CLOSE).value
            row.closed_at, row.closed_by_id, row.closed_by_name = now, actor.staff_id, actor.name
            text = body.text.strip() or f"已答复投诉人（{row.answer[:60]}），办结"
            record_step(s, row, Step.CLOSE, actor, text, now)
            return view(row, steps_of(s, row.id))

    def _step(self, s: Session, ref: str, step: Step, actor: Principal) -> Complaint:
        row = find(s, ref)
        check_readable(actor.role, row.confidential, row.number)
        row.state = next_state(State(row.state), step).value
        return row

    def _done(
        self, s: Session, row: Complaint, step: Step, actor: Principal, text: str
    ) -> ComplaintView:
        record_step(s, row, step, actor, text, self.clock.now())
        return view(row, steps_of(s, row.id))

    def _answer(
        self, s: Session, row: Complaint, text: str, via: AnswerVia, actor: Principal, now: datetime
    ) -> None:
        mobile = is_mobile(row.complainant_phone)
        check_answer_via(via, mobile, bool(row.complainant_contact))
        row.state = State.ANSWERED.value
        row.answer, row.answer_via = text, via.value
        row.answered_at, row.answered_by_name = now, actor.name
        if via is AnswerVia.SMS:
            values = {
                "station": self.settings.station_name,
                "ref": row.number,
                "answer": safe_text(row, text),
            }
            msg = queue_sms(s, SMS_KIND, row.complainant_phone, values, now)
            if msg is None:
                raise Conflict(
                    "短信模板“投诉答复”缺失，无法短信答复；请改用其他方式", "no_template"
                )
            row.sms_id = msg.id
        record_step(s, row, Step.ANSWER, actor, text, now)

    # ---- read ----------------------------------------------------------------------------
    def get(self, ref: str, actor: Principal) -> ComplaintView:
        """One complaint; a confidential one only for the 投诉受理 role and the head (403)."""
        with self.db.read() as s:
            row = find(s, ref)
            check_readable(actor.role, row.confidential, row.number)
            return view(row, steps_of(s, row.id))

    def ledger(
        self,
        actor: Principal,
        status: str = "open",
        start: date | None = None,
        end: date | None = None,
    ) -> list[ComplaintView]:
        """``open`` (oldest first), ``closed`` or ``all`` (received in the period, newest
        first); confidential complaints only for those who may read them."""
        with self.db.read() as s:
            return query.listing(s, actor.role, status, start, end, self.today())

    def export(self, start: date | None, end: date | None, fmt: str) -> ExportFile:
        """投诉台账导出 (R-M3): confidential complainants withheld, never named."""
        with self.db.read() as s:
            return query.export(s, start, end, fmt, self.today(), self.tz)

    def counts(self, start: date, end: date) -> list[ComplaintCount]:
        """Complaints received per day and staff member in [start, end] (station figures)."""
        with self.db.read() as s:
            return query.counts(s, start, end)


__all__ = ["ComplaintService"]
