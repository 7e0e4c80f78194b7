"""The staff terminal's calls for the fault log and emergencies (故障台账、应急处置, R-I1,
R-I2), mixed into ``StationApi``."""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import quote, urlencode

from appliance.faults.schemas import (
    EmergencyEndIn,
    EmergencyIn,
    EmergencyStepIn,
    EmergencyView,
    FaultActionIn,
    FaultCloseIn,
    FaultIn,
    FaultView,
)

T = TypeVar("T")


class FaultCalls:
    """故障台账 and 应急处置; ``_typed`` is ``StationApi``'s."""

    async def _typed(self, method: str, path: str, answer: type[T], body: Any = None) -> T:
        raise NotImplementedError

    @staticmethod
    def _fault(ref: str, tail: str = "") -> str:
        return f"/api/faults/{quote(ref)}{tail}"

    async def faults(self, status: str = "open") -> list[FaultView]:
        """处理中 (``open``), or the last 30 days (``all``)."""
        path = f"/api/faults?{urlencode({'status': status})}"
        return await self._typed("GET", path, list[FaultView])

    async def fault(self, ref: str) -> FaultView:
        return await self._typed("GET", self._fault(ref), FaultView)

    async def open_fault(self, body: FaultIn) -> FaultView:
        return await self._typed("POST", "/api/faults", FaultView, body)

    async def fault_action(self, ref: str, body: FaultActionIn) -> FaultView:
        return await self._typed("POST", self._fault(ref, "/actions"), FaultView, body)

    async def close_fault(self, ref: str, body: FaultCloseIn) -> FaultView:
        return await self._typed("POST", self._fault(ref, "/close"), FaultView, body)

    async def print_fault_sheet(self, ref: str) -> FaultView:
        """打印故障处理单 (an A4 print job)."""
        return await self._typed("POST", self._fault(ref, "/print"), FaultView)

    async def emergencies(self) -> list[EmergencyView]:
        """The latest emergency records, newest first."""
        return await self._typed("GET", "/api/emergencies", list[EmergencyView])

    async def start_emergency(self, body: EmergencyIn) -> EmergencyView:
        return await self._typed("POST", "/api/emergencies", EmergencyView, body)

    async def emergency_step(self, ref: str, step: int) -> EmergencyView:
        path = f"/api/emergencies/{quote(ref)}/steps"
        return await self._typed("POST", path, EmergencyView, EmergencyStepIn(step=step))

    async def end_emergency(self, ref: str, note: str = "") -> EmergencyView:
        path = f"/api/emergencies/{quote(ref)}/end"
        return await self._typed("POST", path, EmergencyView, EmergencyEndIn(note=note))
