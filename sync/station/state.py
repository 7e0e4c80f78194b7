"""The one ``sync_state`` row: loading it, and recording failures with backoff (退避重试)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from appliance.core.clock import Clock
from appliance.db.database import Database
from appliance.uplink.tables import SYNC_STATE_ID, SyncState

BACKOFF_BASE_S = 5.0
MAX_ERROR_CHARS = 500


class NotEnrolled(Exception):
    """The station has not been enrolled at the county (no pinned county key)."""

    def __init__(self) -> None:
        super().__init__("本站尚未登记到县级中心，请先运行 yizhan sync enrol <登记码>")


def load_state(db: Database) -> SyncState | None:
    with db.read() as s:
        return s.get(SyncState, SYNC_STATE_ID)


def require_state(db: Database) -> SyncState:
    state = load_state(db)
    if state is None:
        raise NotEnrolled()
    return state


def backoff_seconds(failures: int, cap: float, rng: random.Random) -> float:
    """Exponential backoff with "equal jitter": between half and all of min(cap, base·2^n)."""
    ceiling = min(cap, BACKOFF_BASE_S * (2 ** min(max(failures - 1, 0), 30)))
    return float(ceiling / 2 + rng.uniform(0, ceiling / 2))


def record_attempt(db: Database, at: datetime) -> None:
    with db.write() as s:
        state = s.get(SyncState, SYNC_STATE_ID)
        if state is not None:
            state.last_attempt_at = at
            s.add(state)


def record_failure(
    db: Database, clock: Clock, message: str, backoff_max: float, rng: random.Random
) -> datetime:
    """Remember the error (shown to staff) and when to try again; returns that time."""
    now = clock.now()
    with db.write() as s:
        state = s.get(SyncState, SYNC_STATE_ID)
        if state is None:
            return now
        state.failures += 1
        state.last_error = message[:MAX_ERROR_CHARS]
        state.last_error_at = now
        state.next_attempt_at = now + timedelta(
            seconds=backoff_seconds(state.failures, backoff_max, rng)
        )
        s.add(state)
        return state.next_attempt_at


def record_success(db: Database, clock: Clock) -> None:
    """A round that reached the county and finished: clear the error and the backoff."""
    with db.write() as s:
        state = s.get(SyncState, SYNC_STATE_ID)
        if state is None:
            return
        state.failures = 0
        state.last_success_at = clock.now()
        state.last_error = None
        state.next_attempt_at = None
        s.add(state)
