"""The "办不成事" desk and complaint calls of ``StationApi`` (R-P1, R-P2), kept beside it as a
mixin so that ``tui/api_client.py`` stays one screenful per feature. Exports go through
``StationApi.ledger_export("desk" | "complaints", …)``."""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import quote, urlencode

import msgspec

from appliance.complaints.schemas import ComplaintIn, ComplaintView
from appliance.desk.rules import NotifyBy
from appliance.desk.schemas import (
    DeskCloseIn,
    DeskEntryIn,
    DeskEntryView,
    DeskNoteIn,
    DeskNotifyIn,
)

T = TypeVar("T")


class DeskCalls:
    """Mixed into ``StationApi``, which provides ``_typed``."""

    async def _typed(self, method: str, path: str, answer: type[T], body: Any = None) -> T:
        raise NotImplementedError  # StationApi._typed

    # ---- 办不成事 (R-P1) ---------------------------------------------------------------------
    async def register_desk(self, body: DeskEntryIn) -> DeskEntryView:
        return await self._typed("POST", "/api/desk", DeskEntryView, body)

    async def desk_entries(self, status: str = "open") -> list[DeskEntryView]:
        """Open entries (overdue first), or ``all`` of the last 30 days."""
        path = f"/api/desk?{urlencode({'status': status})}"
        return await self._typed("GET", path, list[DeskEntryView])

    async def desk_entry(self, ref: str) -> DeskEntryView:
        return await self._typed("GET", f"/api/desk/{quote(ref)}", DeskEntryView)

    async def close_desk(self, ref: str, result: str) -> DeskEntryView:
        path = f"/api/desk/{quote(ref)}/close"
        return await self._typed("POST", path, DeskEntryView, DeskCloseIn(result=result))

    async def note_desk(self, ref: str, text: str) -> DeskEntryView:
        path = f"/api/desk/{quote(ref)}/notes"
        return await self._typed("POST", path, DeskEntryView, DeskNoteIn(text=text))

    async def notify_desk(self, ref: str, by: NotifyBy) -> DeskEntryView:
        path = f"/api/desk/{quote(ref)}/notify"
        return await self._typed("POST", path, DeskEntryView, DeskNotifyIn(by=by))

    # ---- 投诉 (R-P2) -------------------------------------------------------------------------
    async def register_complaint(self, body: ComplaintIn) -> ComplaintView:
        return await self._typed("POST", "/api/complaints", ComplaintView, body)

    async def complaints(self, status: str = "open") -> list[ComplaintView]:
        """Open complaints (oldest first), or ``all`` of the last 30 days."""
        path = f"/api/complaints?{urlencode({'status': status})}"
        return await self._typed("GET", path, list[ComplaintView])

    async def complaint(self, ref: str) -> ComplaintView:
        return await self._typed("GET", f"/api/complaints/{quote(ref)}", ComplaintView)

    async def complaint_step(self, ref: str, step: str, body: msgspec.Struct) -> ComplaintView:
        """One step (verify, handle, transfer, follow, result, answer, close) with its body."""
        path = f"/api/complaints/{quote(ref)}/{quote(step)}"
        return await self._typed("POST", path, ComplaintView, body)
