"""The staff terminal's calls for the station figures (统计, R-M1), mixed into ``StationApi``.

The export of a period goes through ``StationApi.ledger_export("figures", …)``."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar
from urllib.parse import urlencode

from appliance.figures.schemas import FiguresView, HeadHomeView

T = TypeVar("T")


class FigureCalls:
    """站长首页 and 统计; ``_typed`` is ``StationApi``'s."""

    async def _typed(self, method: str, path: str, answer: type[T], body: Any = None) -> T:
        raise NotImplementedError

    async def head_home(self) -> HeadHomeView:
        """Today's figures, the queue per hour, the last 14 days, open follow-ups and
        complaints."""
        return await self._typed("GET", "/api/figures/home", HeadHomeView)

    async def figures(
        self, start: date, end: date, period: str = "all", by: str = "all"
    ) -> FiguresView:
        query = urlencode({"start": start, "end": end, "period": period, "by": by})
        return await self._typed("GET", f"/api/figures?{query}", FiguresView)
