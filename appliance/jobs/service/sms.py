"""Durable SMS queue (短信队列, R-Q3): queued in the causing transaction, sent by ``yizhan hw``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from appliance.alerts.tables import Alert
from appliance.core.clock import Clock
from appliance.core.errors import Conflict, Invalid, NotFound
from appliance.core.masking import mask_phone
from appliance.db.database import Database
from appliance.events.log import append_event
from appliance.jobs.rules import sms_templates
from appliance.jobs.rules.lease import SMS, check_claim
from appliance.jobs.schemas import InboundStored, SmsClaim, SmsView, TemplateView
from appliance.jobs.service import lease
from appliance.jobs.tables import InboundSms, SmsMessage, SmsTemplate
from appliance.settings import Settings


def _view(m: SmsMessage) -> SmsView:
    return SmsView(
        id=m.id,
        kind=m.kind,
        phone_masked=mask_phone(m.phone),
        body=m.body,
        status=m.status,
        attempts=m.attempts,
        last_error=m.last_error,
        created_at=m.created_at,
        sent_at=m.sent_at,
    )


def _template(kind: str, body: str) -> TemplateView:
    return TemplateView(kind=kind, label=sms_templates.TEMPLATE_LABELS.get(kind, kind), body=body)


def queue_sms(
    s: Session,
    kind: str,
    phone: str,
    values: dict[str, Any],
    now: datetime,
    ticket_id: str | None = None,
) -> SmsMessage | None:
    """Queue one SMS inside the caller's transaction; a missing template queues nothing."""
    template = s.get(SmsTemplate, kind)
    if template is None:
        return None
    msg = SmsMessage(
        kind=kind,
        phone=phone,
        body=sms_templates.render(template.body, values),
        ticket_id=ticket_id,
        next_attempt_at=now,
        created_at=now,
    )
    s.add(msg)
    s.flush()
    append_event(
        s,
        "sms.queued",
        "sms",
        msg.id,
        {"kind": kind, "phone": mask_phone(phone), "ticket_id": ticket_id},
        now,
    )
    return msg


FAILED_ALERT = "sms_failed"


def refresh_failed_alert(s: Session, now: datetime) -> None:
    """Keep one open alert while permanently failed SMS wait for staff (shown in the TUI)."""
    failed = len(s.exec(select(SmsMessage.id).where(SmsMessage.status == SMS.failed)).all())
    alert = s.exec(
        select(Alert).where(Alert.kind == FAILED_ALERT, col(Alert.cleared_at).is_(None))
    ).first()
    message = f"有 {failed} 条短信发送失败，请核对号码后重发或取消"
    if failed and alert is None:
        alert = Alert(kind=FAILED_ALERT, message=message, raised_at=now)
        s.add(alert)
        s.flush()
        append_event(
            s, "alert.raised", "alert", alert.id, {"kind": FAILED_ALERT, "message": message}, now
        )
    elif failed and alert is not None and alert.message != message:
        alert.message = message
        s.add(alert)
    elif not failed and alert is not None:
        alert.cleared_at = now
        s.add(alert)
        s.flush()
        append_event(s, "alert.cleared", "alert", alert.id, {"kind": FAILED_ALERT}, now)


class SmsService:
    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock

    def _get(self, s: Session, sms_id: str) -> SmsMessage:
        msg = s.get(SmsMessage, sms_id)
        if msg is None:
            raise NotFound("找不到该短信", "unknown_sms")
        return msg

    def claim(self, limit: int = 5, lease_seconds: float = 120.0) -> list[SmsClaim]:
        """Lease due messages to the sender; an expired lease makes them claimable again."""
        check_claim(limit, "短信")
        now = self.clock.now()
        with self.db.write() as s:
            due = lease.claim(
                s,
                SmsMessage,
                SMS,
                now,
                limit,
                lease_seconds,
                ready=col(SmsMessage.next_attempt_at) <= now,
            )
            return [SmsClaim(id=m.id, phone=m.phone, body=m.body, attempts=m.attempts) for m in due]

    def mark_sent(self, sms_id: str, references: list[int]) -> SmsView:
        now = self.clock.now()
        with self.db.write() as s:
            msg = self._get(s, sms_id)
            if not SMS.can_report(msg.status):
                raise Conflict(f"该短信状态为 {msg.status}，不能标记为已发送", "illegal_sms_state")
            msg.sent_at = now
            msg.references = ",".join(str(r) for r in references)
            lease.complete(s, msg, SMS)
            append_event(
                s, "sms.sent", "sms", msg.id, {"kind": msg.kind, "parts": len(references)}, now
            )
            return _view(msg)

    def mark_failed(self, sms_id: str, error: str, permanent: bool) -> SmsView:
        """A temporary failure retries with backoff (no cap); a permanent one waits for staff."""
        now = self.clock.now()
        with self.db.write() as s:
            msg = self._get(s, sms_id)
            if not SMS.can_report(msg.status):
                raise Conflict(f"该短信状态为 {msg.status}，不能标记为失败", "illegal_sms_state")
            lease.fail(s, msg, SMS, error, permanent)
            if not permanent:
                msg.next_attempt_at = now + sms_templates.retry_delay(msg.attempts)
                s.add(msg)
            append_event(
                s,
                "sms.failed",
                "sms",
                msg.id,
                {"kind": msg.kind, "permanent": permanent, "error": msg.last_error},
                now,
            )
            if permanent:
                refresh_failed_alert(s, now)
            return _view(msg)

    def cancel(self, sms_id: str, staff_id: str) -> SmsView:
        now = self.clock.now()
        with self.db.write() as s:
            msg = self._get(s, sms_id)
            if not SMS.can_cancel(msg.status):
                raise Conflict("该短信已发送或已取消，不能再取消", "illegal_sms_state")
            lease.cancel(s, msg, SMS, staff_id)
            append_event(s, "sms.cancelled", "sms", msg.id, {"by": staff_id}, now)
            refresh_failed_alert(s, now)
            return _view(msg)

    def retry(self, sms_id: str, staff_id: str) -> SmsView:
        """Staff send a permanently failed message again (e.g. after fixing the SIM)."""
        now = self.clock.now()
        with self.db.write() as s:
            msg = self._get(s, sms_id)
            if msg.status != SMS.failed:
                raise Conflict("只有发送失败的短信可以重发", "illegal_sms_state")
            msg.status, msg.next_attempt_at = SMS.pending, now
            s.add(msg)
            s.flush()
            append_event(s, "sms.retried", "sms", msg.id, {"by": staff_id}, now)
            refresh_failed_alert(s, now)
            return _view(msg)

    def list_messages(self, status: str | None = None, limit: int = 100) -> list[SmsView]:
        with self.db.read() as s:
            q = select(SmsMessage).order_by(col(SmsMessage.created_at).desc()).limit(limit)
            if status:
                q = q.where(SmsMessage.status == status)
            return [_view(m) for m in s.exec(q)]

    def store_inbound(self, phone: str, body: str, received_at: str) -> InboundStored:
        phone, body = (phone or "").strip(), (body or "").strip()
        if not phone:
            raise Invalid("来信号码不能为空", "bad_phone")
        now = self.clock.now()
        with self.db.write() as s:
            row = InboundSms(phone=phone, body=body[:1000], received_at=received_at, stored_at=now)
            s.add(row)
            s.flush()
            append_event(
                s,
                "sms.inbound",
                "inbound_sms",
                row.id,
                {"phone": mask_phone(phone), "body": body[:1000]},
                now,
            )
            return InboundStored(id=row.id)

    # ---- templates -----------------------------------------------------------------------
    def templates(self) -> list[TemplateView]:
        with self.db.read() as s:
            return [
                _template(t.kind, t.body)
                for t in s.exec(select(SmsTemplate).order_by(col(SmsTemplate.kind)))
            ]

    def set_template(self, kind: str, body: str) -> TemplateView:
        body = sms_templates.check_template(body)
        now = self.clock.now()
        with self.db.write() as s:
            t = s.get(SmsTemplate, kind)
            if t is None:
                raise NotFound(f"没有“{kind}”这种短信模板", "unknown_template")
            t.body, t.updated_at = body, now
            s.add(t)
            s.flush()
            append_event(s, "sms_template.updated", "sms_template", kind, {"body": body}, now)
            return _template(kind, body)
