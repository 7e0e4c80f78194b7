"""The staff terminal's calls for 帮办代办 (R-D1, R-D2), mixed into ``StationApi``; the
ledger's export goes through ``StationApi.ledger_export("delegations", …)``."""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import quote, urlencode

import httpx

from appliance.delegation.schemas import (
    CompleteIn,
    DelegationIn,
    DelegationView,
    FeeIn,
    HelpIn,
    ProgressIn,
    ReasonView,
    ResumeIn,
    SuspendIn,
    VisitDoneIn,
    VisitIn,
)

T = TypeVar("T")


def _path(ref: str, tail: str = "") -> str:
    return f"/api/delegations/{quote(ref)}{tail}"


class DelegationCalls:
    """Mixed into ``StationApi``, which provides ``_typed``, ``_client`` and ``token``."""

    _client: httpx.AsyncClient
    token: str | None

    async def _typed(self, method: str, path: str, answer: type[T], body: Any = None) -> T:
        raise NotImplementedError  # StationApi._typed

    async def delegations(self, status: str = "open") -> list[DelegationView]:
        """Open delegations (past their period first), or ``all`` / ``completed``."""
        path = f"/api/delegations?{urlencode({'status': status})}"
        return await self._typed("GET", path, list[DelegationView])

    async def delegation(self, ref: str) -> DelegationView:
        return await self._typed("GET", _path(ref), DelegationView)

    async def log_help(self, body: HelpIn) -> DelegationView:
        """帮办: logged and assigned at once."""
        return await self._typed("POST", "/api/delegations/help", DelegationView, body)

    async def agree_delegation(self, body: DelegationIn) -> DelegationView:
        """代办: the 委托书 (kept as PDF)."""
        return await self._typed("POST", "/api/delegations", DelegationView, body)

    async def suspend_reasons(self) -> list[ReasonView]:
        return await self._typed("GET", "/api/delegations/reasons", list[ReasonView])

    async def delegation_progress(self, ref: str, body: ProgressIn) -> DelegationView:
        return await self._typed("POST", _path(ref, "/progress"), DelegationView, body)

    async def suspend_delegation(self, ref: str, body: SuspendIn) -> DelegationView:
        return await self._typed("POST", _path(ref, "/suspend"), DelegationView, body)

    async def resume_delegation(self, ref: str, body: ResumeIn) -> DelegationView:
        return await self._typed("POST", _path(ref, "/resume"), DelegationView, body)

    async def complete_delegation(self, ref: str, body: CompleteIn) -> DelegationView:
        return await self._typed("POST", _path(ref, "/complete"), DelegationView, body)

    async def schedule_visit(self, ref: str, body: VisitIn) -> DelegationView:
        return await self._typed("POST", _path(ref, "/visits"), DelegationView, body)

    async def visit_done(self, ref: str, visit_id: str, body: VisitDoneIn) -> DelegationView:
        path = _path(ref, f"/visits/{quote(visit_id)}/done")
        return await self._typed("POST", path, DelegationView, body)

    async def record_fee(self, ref: str, body: FeeIn) -> DelegationView:
        """A fee the applicant paid themselves (never the agent)."""
        return await self._typed("POST", _path(ref, "/fees"), DelegationView, body)

    async def delegation_pdf(self, url: str) -> bytes:
        """A kept paper (委托书, 中止单, 续办委托书, 办结单) by the ``url`` of its view."""
        from tui.api_client import Offline, _error_from

        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            response = await self._client.get(url, headers=headers)
        except httpx.TransportError as exc:
            raise Offline() from exc
        if not response.is_success:
            raise _error_from(response)
        return response.content
