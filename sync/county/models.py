"""County tables (SQLModel on PostgreSQL), kept in their own metadata apart from the station's.

Uniqueness is the database's job: ``inbox_event`` is unique on (station_id, event_id) and on
(station_id, seq); enrolment codes are consumed with ``UPDATE … WHERE used_at IS NULL``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    MetaData,
    Sequence,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

county_metadata = MetaData()
county_registry = registry(metadata=county_metadata)
REFERENCE_REV = Sequence("reference_rev", metadata=county_metadata)
TZ = DateTime(timezone=True)

# inbox_event.status: applied, waiting behind a gap, or stored but its handler failed
APPLIED, BACKLOG, FAILED = "applied", "backlog", "failed"
REFERENCE_TABLES = (
    "catalogue",
    "holiday",
    "staff",
    "station_settings",
    "booking",
    "knowledge",
    "update",
)


class CountyBase(SQLModel, registry=county_registry):
    """Base of every county table (own metadata; never mixed with the station schema)."""


def _json() -> Any:
    return Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))


class Station(CountyBase, table=True):
    """A village service station (便民服务站); ``id`` is the station code issued by the county."""

    __tablename__ = "station"
    id: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=100)
    public_key: str | None = Field(default=None, max_length=64)
    key_id: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(sa_type=TZ)
    enrolled_at: datetime | None = Field(default=None, sa_type=TZ)
    revoked_at: datetime | None = Field(default=None, sa_type=TZ)
    last_batch_at: datetime | None = Field(default=None, sa_type=TZ)
    last_error: str | None = Field(default=None, max_length=300)
    last_error_at: datetime | None = Field(default=None, sa_type=TZ)
    clock_offset_s: float | None = None


class EnrolmentCode(CountyBase, table=True):
    """A one-time enrolment code (入网码), stored only as its SHA-256."""

    __tablename__ = "enrolment_code"
    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(max_length=64, unique=True)
    station_id: str = Field(foreign_key="station.id", index=True, max_length=32)
    created_at: datetime = Field(sa_type=TZ)
    expires_at: datetime = Field(sa_type=TZ)
    used_at: datetime | None = Field(default=None, sa_type=TZ)


class InboxEvent(CountyBase, table=True):
    """One station event as received (收件箱); ``status`` is applied, backlog or failed."""

    __tablename__ = "inbox_event"
    __table_args__ = (
        UniqueConstraint("station_id", "event_id", name="uq_inbox_station_event"),
        UniqueConstraint("station_id", "seq", name="uq_inbox_station_seq"),
        Index("ix_inbox_station_status_seq", "station_id", "status", "seq"),
    )
    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    station_id: str = Field(foreign_key="station.id", max_length=32)
    event_id: str = Field(max_length=64)
    seq: int = Field(sa_type=BigInteger)
    hash: str = Field(max_length=64)
    type: str = Field(max_length=64)
    entity: str = Field(max_length=64)
    entity_id: str = Field(max_length=64)
    payload: dict[str, Any] = _json()
    occurred_at: datetime = Field(sa_type=TZ)
    received_at: datetime = Field(sa_type=TZ)
    batch_id: str = Field(max_length=64)
    status: str = Field(max_length=16)
    applied_at: datetime | None = Field(default=None, sa_type=TZ)


class StationProgress(CountyBase, table=True):
    """Per-station cursors: what is stored without a gap, and what is applied."""

    __tablename__ = "station_progress"
    station_id: str = Field(primary_key=True, foreign_key="station.id", max_length=32)
    received_through_seq: int = Field(default=0, sa_type=BigInteger)
    applied_through_seq: int = Field(default=0, sa_type=BigInteger)
    backlog_count: int = 0
    gap_alert: str | None = Field(default=None, max_length=300)
    gap_since: datetime | None = Field(default=None, sa_type=TZ)
    forced_at: datetime | None = Field(default=None, sa_type=TZ)
    updated_at: datetime | None = Field(default=None, sa_type=TZ)


class Quarantine(CountyBase, table=True):
    """An event the county will not apply (隔离区): a conflict or a rejected event."""

    __tablename__ = "quarantine"
    __table_args__ = (
        UniqueConstraint("station_id", "event_id", "hash", name="uq_quarantine_event_hash"),
    )
    id: int | None = Field(default=None, primary_key=True)
    station_id: str = Field(foreign_key="station.id", index=True, max_length=32)
    event_id: str = Field(max_length=64)
    seq: int = Field(sa_type=BigInteger)
    reason: str = Field(max_length=32)
    message: str = Field(max_length=300)
    hash: str = Field(max_length=64)
    body: dict[str, Any] = _json()
    batch_id: str = Field(max_length=64)
    at: datetime = Field(sa_type=TZ)
    resolved: bool = False
    resolved_at: datetime | None = Field(default=None, sa_type=TZ)
    resolved_by: str | None = Field(default=None, max_length=64)


class BatchLog(CountyBase, table=True):
    """One received batch and its outcome (ok or refused with a reason)."""

    __tablename__ = "batch_log"
    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    station_id: str = Field(index=True, max_length=32)
    batch_id: str = Field(max_length=64)
    received_at: datetime = Field(sa_type=TZ)
    first_seq: int = Field(default=0, sa_type=BigInteger)
    last_seq: int = Field(default=0, sa_type=BigInteger)
    count: int = 0
    bytes: int = 0
    accepted: int = 0
    duplicates: int = 0
    conflicts: int = 0
    rejected: int = 0
    acked_through_seq: int = Field(default=0, sa_type=BigInteger)
    outcome: str = Field(default="ok", max_length=16)
    reason: str = Field(default="", max_length=300)


class ReferenceRowRecord(CountyBase, table=True):
    """A row of county reference data (下发数据); ``deleted`` rows are tombstones."""

    __tablename__ = "reference_row"
    table_name: str = Field(primary_key=True, max_length=32)
    id: str = Field(primary_key=True, max_length=64)
    rev: int = Field(
        sa_column=Column(
            BigInteger,
            REFERENCE_REV,
            server_default=text("nextval('reference_rev')"),
            nullable=False,
            unique=True,
        )
    )
    deleted: bool = False
    data: dict[str, Any] = _json()
    updated_at: datetime = Field(sa_type=TZ)


class CountyAdmin(CountyBase, table=True):
    """A dashboard user (县级管理员); role is county_admin or viewer."""

    __tablename__ = "county_admin"
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True)
    display_name: str = Field(default="", max_length=100)
    password_hash: str = Field(max_length=200)
    role: str = Field(max_length=32)
    created_at: datetime = Field(sa_type=TZ)
    disabled_at: datetime | None = Field(default=None, sa_type=TZ)
