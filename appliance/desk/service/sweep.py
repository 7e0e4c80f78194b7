"""Overdue complex entries raise alerts (逾期未办结提醒, R-P1): a periodic check.

The server runs :meth:`DeskSweep.run` every ``desk_check_seconds``
(``appliance.workers.desk_watch``). An open entry past its 办结期限 (5 working days for a
complex matter) gets one staff alert (``desk_overdue``, with its ``alert.raised`` event)
and, once per entry, a ``desk.overdue`` event that tells the county. Closing the entry
clears the alert (``DeskService.close``).

Each entry is judged again on the row re-read under the write lock and changed in its own
transaction, so a pass is idempotent and overlaps safely with staff closing entries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from appliance.alerts.tables import Alert
from appliance.core.clock import Clock
from appliance.db.database import Database
from appliance.desk.rules import ALERT_KIND, PROBLEM_LABELS, DeskStatus, ProblemType, is_overdue
from appliance.desk.service.store import due_of, event
from appliance.desk.tables import DeskEntry
from appliance.events.log import append_event


def overdue_message(row: DeskEntry) -> str:
    """The alert text: the number and the kind of problem, no personal data (alerts reach
    the county as events)."""
    kind = PROBLEM_LABELS[ProblemType(row.problem_type)]
    return (
        f"办不成事 {row.number}（{kind}）办结期限 {row.due_on}，已逾期未办结，"
        "请尽快办结或反馈服务对象并在登记台账记录"
    )


@dataclass
class OverdueReport:
    """What one pass did: the numbers of the entries it raised an alert for."""

    looked_at: int = 0
    raised: list[str] = field(default_factory=list)


class DeskSweep:
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
                select(DeskEntry.id).where(
                    DeskEntry.status == DeskStatus.OPEN,
                    col(DeskEntry.alert_id).is_(None),
                    col(DeskEntry.due_on) < today.isoformat(),
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
        row = s.get(DeskEntry, entry_id)
        if row is None or row.alert_id is not None:
            return None
        if not is_overdue(DeskStatus(row.status), due_of(row), today):
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
            event(s, "overdue", row, now)
        s.add(row)
        return row.number
