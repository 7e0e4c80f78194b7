"""The appointment and outage calls of ``StationApi`` (预约, R-Q7; 停电断网登记, R-Q8), kept
beside it as a mixin. Exports go through ``StationApi.ledger_export("appointments", …)``."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

from appliance.appointments.schemas import (
    AppointmentView,
    BookIn,
    CancelIn,
    CheckInView,
    DayStats,
    DayView,
    MoveIn,
    OutageIn,
    OutageView,
)

T = TypeVar("T")


class AppointmentCalls:
    """Mixed into ``StationApi``, which provides ``_typed``."""

    async def _typed(self, method: str, path: str, answer: type[T], body: Any = None) -> T:
        raise NotImplementedError  # StationApi._typed

    async def appointments(self, day: date, status: str = "all") -> list[AppointmentView]:
        query = urlencode({"day": day.isoformat(), "status": status})
        return await self._typed("GET", f"/api/appointments?{query}", list[AppointmentView])

    async def appointment(self, ref: str) -> AppointmentView:
        return await self._typed("GET", f"/api/appointments/{quote(ref)}", AppointmentView)

    async def appointment_slots(self, category: str, day: date) -> DayView:
        query = urlencode({"category": category, "day": day.isoformat()})
        return await self._typed("GET", f"/api/appointments/slots?{query}", DayView)

    async def appointment_stats(self, day: date) -> DayStats:
        query = urlencode({"day": day.isoformat()})
        return await self._typed("GET", f"/api/appointments/stats?{query}", DayStats)

    async def book(self, body: BookIn) -> AppointmentView:
        return await self._typed("POST", "/api/appointments", AppointmentView, body)

    async def check_in(self, ref: str) -> CheckInView:
        path = f"/api/appointments/{quote(ref)}/check-in"
        return await self._typed("POST", path, CheckInView)

    async def cancel_appointment(self, ref: str, reason: str) -> AppointmentView:
        path = f"/api/appointments/{quote(ref)}/cancel"
        return await self._typed("POST", path, AppointmentView, CancelIn(reason=reason))

    async def move_appointment(self, ref: str, body: MoveIn) -> AppointmentView:
        path = f"/api/appointments/{quote(ref)}/move"
        return await self._typed("POST", path, AppointmentView, body)

    async def register_outage(self, body: OutageIn) -> OutageView:
        return await self._typed("POST", "/api/outages", OutageView, body)
