"""Overdue replies raise alerts (逾期未答复提醒, R-C2): a periodic check over open entries.

The server runs :meth:`ConsultationSweep.run` every ``consultation_check_seconds``
(``appliance.workers.consultation_watch``). An open entry whose agreed reply date has passed
gets one staff alert (``consultation_overdue``, with its ``alert.raised`` event) and, once
per entry, a ``consultation.overdue`` event that tells the county. Recording the reply
clears the alert (``ConsultationService.close``).

Each entry is judged again on the row re-read under the write lock and changed in its own
transaction, so a pass is idempotent and overlaps safely with staff replying.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from appliance.alerts.tables import Alert
from appliance.consultations.rules import CHANNEL_LABELS, ConsultChannel, ConsultStatus, is_overdue
from appliance.consultations.service.store import payload
from appliance.consultations.tables import ConsultationRecord
from appliance.core.clock import Clock
from appliance.db.database import Database
from appliance.events.log import append_event

ALERT_KIND = "consultation_overdue"


def overdue_message(row: ConsultationRecord) -> str:
    """The alert text: no personal data (alerts reach the county as events)."""
    channel = CHANNEL_LABELS[ConsultChannel(row.channel)]
    return (
        f"咨询 {row.number}（{channel}）约定 {row.reply_due} 答复，已逾期未答复，"
        "请尽快答复服务对象并在咨询台账记录"
    )


@dataclass
class OverdueReport:
    """What one pass did: the numbers of the entries it raised an alert for."""

    looked_at: int = 0
    raised: list[str] = field(default_factory=list)


class ConsultationSweep:
    def __init__(self, db: Database, timezone: str, clock: Clock) -> None:
        self.db = db
        self.tz = ZoneInfo(timezone)
        self.clock = clock

    def run(self) -> OverdueReport:
        report = OverdueReport()
        now = self.clock.now()
        today = now.astimezone(self.tz).date()
        with self.db.read() as s:
            ids = s.exec(
                select(ConsultationRecord.id).where(
                    ConsultationRecord.status == ConsultStatus.OPEN,
                    col(ConsultationRecord.alert_id).is_(None),
                    col(ConsultationRecord.reply_due) < today.isoformat(),
                )
            ).all()
        report.looked_at = len(ids)
        for entry_id in ids:
            with self.db.write() as s:
                number = self._raise_one(s, entry_id, today, now)
            if number:
                report.raised.append(number)
        return report

    def _raise_one(self, s: Session, entry_id: str, today: date, now: datetime) -> str | None:
        row = s.get(ConsultationRecord, entry_id)
        if row is None or row.alert_id is not None:
            return None
        due = date.fromisoformat(row.reply_due) if row.reply_due else None
        if not is_overdue(ConsultStatus(row.status), due, today):
            return None
        alert = Alert(kind=ALERT_KIND, message=overdue_message(row), raised_at=now)
        s.add(alert)
        s.flush()
        row.alert_id = alert.id
        append_event(
            s,
            "alert.raised",
            "alert",
            alert.id,
            {"kind": alert.kind, "message": alert.message},
            now,
        )
        if not row.overdue_reported:
            row.overdue_reported = True
            append_event(s, "consultation.overdue", "consultation", row.id, payload(row), now)
        s.add(row)
        return row.number
