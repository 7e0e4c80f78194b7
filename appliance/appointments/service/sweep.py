"""Appointment sweep (R-Q7): forfeit the slots nobody checked in to (过时作废) and queue the
reminder SMS of the day before (预约提醒). A server worker runs it every
``appointment_sweep_seconds``; each change is its own transaction judged on the row re-read
under the write lock, so a pass is idempotent and may overlap staff and another pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from appliance.appointments.rules import Status, missed
from appliance.appointments.service import store
from appliance.appointments.tables import Appointment
from appliance.core.clock import Clock
from appliance.db.database import Database
from appliance.events.log import append_event
from appliance.settings import Settings


@dataclass
class SweepReport:
    forfeited: list[str] = field(default_factory=list)
    reminded: list[str] = field(default_factory=list)


class AppointmentSweep:
    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.tz = ZoneInfo(settings.timezone)

    def run(self) -> SweepReport:
        report = SweepReport()
        now = self.clock.now()
        grace = self.settings.appointment_grace_minutes
        with self.db.read() as s:
            booked = s.exec(
                select(Appointment.id).where(
                    Appointment.status == Status.BOOKED,
                    col(Appointment.slot_end) < now - timedelta(minutes=grace),
                )
            ).all()
        for row_id in booked:
            number = self._forfeit(row_id)
            if number:
                report.forfeited.append(number)
        tomorrow = (now.astimezone(self.tz) + timedelta(days=1)).date().isoformat()
        with self.db.read() as s:
            due = s.exec(
                select(Appointment.id).where(
                    Appointment.status == Status.BOOKED,
                    Appointment.slot_date == tomorrow,
                    col(Appointment.reminded_at).is_(None),
                )
            ).all()
        for row_id in due:
            number = self._remind(row_id, tomorrow)
            if number:
                report.reminded.append(number)
        return report

    def _forfeit(self, row_id: str) -> str | None:
        now = self.clock.now()
        with self.db.write() as s:
            row = s.get(Appointment, row_id)
            grace = self.settings.appointment_grace_minutes
            if row is None or row.status != Status.BOOKED or not missed(now, row.slot_end, grace):
                return None
            row.status, row.updated_at = Status.FORFEITED.value, now
            s.add(row)
            s.flush()
            append_event(s, "appointment.forfeited", "appointment", row.id, store.payload(row), now)
            return row.number

    def _remind(self, row_id: str, day: str) -> str | None:
        now = self.clock.now()
        with self.db.write() as s:
            row = s.get(Appointment, row_id)
            if (
                row is None
                or row.status != Status.BOOKED
                or row.slot_date != day
                or row.reminded_at is not None
            ):
                return None
            row.reminded_at, row.updated_at = now, now
            s.add(row)
            sms = store.tell(s, self.settings, "appointment_reminder", row, now)
            s.flush()
            event = {**store.payload(row), "sms_id": sms}
            append_event(s, "appointment.reminded", "appointment", row.id, event, now)
            return row.number
