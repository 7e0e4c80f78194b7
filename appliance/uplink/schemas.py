"""Wire types of the sync status API (同步状态): what staff see about the county sync.

Pure: stdlib and msgspec only.
"""

from __future__ import annotations

from datetime import datetime

import msgspec


class SyncStatusView(msgspec.Struct, frozen=True, kw_only=True):
    """Backlog, oldest unsent, last success and error; ``summary`` and ``problems`` are the
    Chinese lines the staff terminal's status bar and ``yizhan sync status`` show."""

    enrolled: bool
    configured: bool  # a county_url is set (enrolled or not)
    backlog: int  # events the county has not acknowledged
    oldest_unacked_at: datetime | None
    oldest_age_s: float | None
    last_success_at: datetime | None
    last_attempt_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    next_attempt_at: datetime | None
    quarantined: int
    acked_through_seq: int
    ref_rev: int
    drift_tables: str | None
    summary: str = ""  # one line for the status bar; empty = nothing to show
    problems: list[str] = msgspec.field(default_factory=list)  # shown as alerts (⚠)
