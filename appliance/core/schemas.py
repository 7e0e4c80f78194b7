"""Wire types of the station as a whole (not of one feature): the health answer.

Pure: stdlib and msgspec only.
"""

from __future__ import annotations

import msgspec


class StationHealth(msgspec.Struct, frozen=True, kw_only=True):
    """GET /api/health: the station answers, who it is, its clock and its event log position.

    ``time`` is the station clock in ISO 8601; ``event_seq`` the newest event (the hardware
    service follows the feed from there).
    """

    ok: bool
    station_code: str
    station_name: str
    time: str
    event_seq: int


class ErrorBody(msgspec.Struct, frozen=True, kw_only=True):
    """Every refusal (4xx): a machine-readable ``error`` code, a Chinese ``message`` a clerk
    or visitor can act on, and the HTTP ``status``; a 429 adds ``retry_after`` (seconds)."""

    error: str
    message: str
    status: int
    retry_after: int | None = None
