"""Tables of the station's sync with the county centre (县级中心同步).

The ``event`` table is the outbox; these tables only hold the cursor, the quarantine of
events the county refused, and the reference data that flows back down.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from appliance.db.types import UtcDateTime

SYNC_STATE_ID = 1


class SyncState(SQLModel, table=True):
    """同步状态: one row, written at enrolment; the cursors move only on county replies."""

    __tablename__ = "sync_state"
    id: int = Field(default=SYNC_STATE_ID, primary_key=True)
    station_id: str
    key_id: str
    county_url: str
    county_public_key: str  # Ed25519, pinned at enrolment: pages must verify with it
    county_box_key: str = ""  # X25519, for sealed USB batches
    acked_through_seq: int = 0  # every event ≤ this seq is stored at the county
    ref_rev: int = 0  # down-sync cursor (since=)
    max_batch_bytes: int = 0  # advertised by the county; 0 = not known yet
    failures: int = 0  # consecutive failed rounds (backoff exponent)
    last_success_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_attempt_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_error: str | None = None
    last_error_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    next_attempt_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    drift_tables: str | None = None  # tables whose (id, rev) hash differed from the county's
    drift_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    enrolled_at: datetime = Field(sa_type=UtcDateTime)


class SyncQuarantine(SQLModel, table=True):
    """隔离区: an event the county rejected or found conflicting; it never blocks the rest."""

    __tablename__ = "sync_quarantine"
    seq: int = Field(primary_key=True)
    event_id: str = Field(index=True)
    status: str  # conflict | rejected
    reason: str = ""
    at: datetime = Field(sa_type=UtcDateTime)


class ReferenceRow(SQLModel, table=True):
    """参考数据: one row of a county reference table (catalogue, holidays, staff, bookings…)."""

    __tablename__ = "reference_row"
    table_name: str = Field(primary_key=True)
    id: str = Field(primary_key=True)
    rev: int
    deleted: bool = False  # a tombstone keeps its rev so a replayed older page cannot revive it
    data: str = "{}"  # JSON text
    updated_at: datetime = Field(sa_type=UtcDateTime)
