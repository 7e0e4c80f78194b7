"""Outage register (停电断网登记, R-Q8): after a power or network outage, staff list the
visitors who could not be served; each gets a priority appointment (优先补约) on the next
open day, told by SMS. One transaction writes the outage, every offer and their events.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlmodel import col, func, select

from appliance.appointments.rules import (
    OUTAGE_LABELS,
    Channel,
    OutageKind,
    check_phone,
    day_slots,
    next_open_day,
)
from appliance.appointments.schemas import OutageIn, OutageView
from appliance.appointments.service import store
from appliance.appointments.tables import Appointment, Outage
from appliance.calendar.service import CalendarService
from appliance.catalogue.service.catalogue import CatalogueService
from appliance.core.clock import Clock
from appliance.core.errors import Invalid, NotFound
from appliance.core.roles import Principal
from appliance.db.database import Database
from appliance.events.log import append_event
from appliance.queue.rules.wait_estimate import parse_hhmm
from appliance.queue.service import repo
from appliance.settings import Settings

MAX_LIST = 200


class OutageService:
    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.tz = ZoneInfo(settings.timezone)
        self.calendar = CalendarService(db, clock)

    def today(self) -> date:
        return self.clock.now().astimezone(self.tz).date()

    def _view(self, row: Outage, offers: list[Appointment]) -> OutageView:
        return OutageView(
            id=row.id,
            number=row.number,
            kind=OutageKind(row.kind),
            kind_label=OUTAGE_LABELS[OutageKind(row.kind)],
            started_at=row.started_at,
            ended_at=row.ended_at,
            note=row.note,
            offer_day=date.fromisoformat(row.offer_date),
            recorded_by=row.recorded_by,
            recorded_at=row.recorded_at,
            offers=[store.view(a, self.tz) for a in offers],
        )

    def register(self, body: OutageIn, actor: Principal) -> OutageView:
        """登记 the outage and offer every visitor listed the first slot of the next open day."""
        now, today = self.clock.now(), self.today()
        if body.started_at > now:
            raise Invalid("停电断网开始时间不能晚于现在", "future_outage")
        if body.ended_at is not None and body.ended_at < body.started_at:
            raise Invalid("恢复时间不能早于开始时间", "bad_outage_end")
        phones = [check_phone(v.phone) for v in body.visitors]
        items = {
            v.item_code: CatalogueService(self.db, self.clock).item(v.item_code).name
            for v in body.visitors
            if v.item_code
        }
        offer_day = next_open_day(self.calendar.calendar(), today)
        slot = day_slots(
            parse_hhmm(self.settings.open_time),
            parse_hhmm(self.settings.close_time),
            self.settings.appointment_slot_minutes,
        )[0]
        reason = OUTAGE_LABELS[body.kind]
        with self.db.write() as s:
            cats = [repo.get_category(s, v.category) for v in body.visitors]
            top = s.exec(
                select(func.count(col(Outage.id))).where(
                    col(Outage.number).startswith(f"TD-{today:%Y%m%d}-")
                )
            ).one()
            outage = Outage(
                number=f"TD-{today:%Y%m%d}-{int(top) + 1:02d}",
                kind=body.kind.value,
                started_at=body.started_at,
                ended_at=body.ended_at,
                note=body.note.strip(),
                offer_date=offer_day.isoformat(),
                visitors=len(body.visitors),
                recorded_by=actor.code,
                recorded_at=now,
            )
            s.add(outage)
            s.flush()
            offers = []
            for visitor, phone, cat in zip(body.visitors, phones, cats, strict=True):
                row = store.new_row(
                    s, today=today, now=now, channel=Channel.OUTAGE, category=cat,
                    item=(visitor.item_code, items.get(visitor.item_code, "")), day=offer_day,
                    slot=slot, tz=self.tz, visitor_name=visitor.visitor_name, phone=phone,
                    created_by=actor.code, priority=True, outage_id=outage.id,
                )  # fmt: skip
                store.tell(s, self.settings, "appointment_offer", row, now, reason=reason)
                offers.append(row)
            append_event(
                s,
                "outage.registered",
                "outage",
                outage.id,
                {
                    "number": outage.number,
                    "kind": outage.kind,
                    "started_at": outage.started_at.isoformat(),
                    "ended_at": outage.ended_at.isoformat() if outage.ended_at else None,
                    "visitors": outage.visitors,
                    "offer_date": outage.offer_date,
                    "by": actor.code,
                },
                now,
            )
            return self._view(outage, offers)

    def list(self) -> list[OutageView]:
        with self.db.read() as s:
            rows = s.exec(select(Outage).order_by(col(Outage.recorded_at).desc())).all()
            return [self._view(r, []) for r in rows[:MAX_LIST]]

    def get(self, ref: str) -> OutageView:
        with self.db.read() as s:
            row = (
                s.get(Outage, ref)
                or s.exec(select(Outage).where(Outage.number == ref.strip().upper())).first()
            )
            if row is None:
                raise NotFound(f"找不到停电断网登记“{ref}”", "unknown_outage")
            offers = s.exec(
                select(Appointment)
                .where(Appointment.outage_id == row.id)
                .order_by(col(Appointment.number))
            ).all()
            return self._view(row, list(offers))
