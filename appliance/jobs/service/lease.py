"""One leased-job queue over a table: claim, report done or failed, cancel.

Print jobs and SMS both use it (``appliance.jobs.rules.lease`` holds their lifecycles).
Every function works inside the caller's write transaction; the caller writes its events.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import ColumnElement, true
from sqlmodel import Session, col, select

from appliance.jobs.rules.lease import Lifecycle, lease_until


class LeasedRow(Protocol):
    """The columns every leased-job table has."""

    id: str
    status: str
    attempts: int
    claimed_until: datetime | None
    last_error: str | None
    cancelled_by: str | None
    created_at: datetime


R = TypeVar("R", bound=LeasedRow)


def claim(
    s: Session,
    table: type[R],
    life: Lifecycle[Any],
    now: datetime,
    limit: int,
    lease_seconds: float,
    *,
    where: ColumnElement[bool] | None = None,
    ready: ColumnElement[bool] | None = None,
) -> Sequence[R]:
    """Lease the oldest claimable rows: pending and ``ready``, or leased past their lease.

    ``where`` narrows the queue (e.g. the print job kinds a worker handles).
    """
    status, until = col(table.status), col(table.claimed_until)
    pending = (status == life.pending) & (ready if ready is not None else true())
    expired = (status == life.leased) & (until < now)
    query = select(table).where(pending | expired)
    if where is not None:
        query = query.where(where)
    rows = s.exec(query.order_by(col(table.created_at), col(table.id)).limit(limit)).all()
    for row in rows:
        lease(s, row, life, now, lease_seconds)
    return rows


def lease(s: Session, row: R, life: Lifecycle[Any], now: datetime, lease_seconds: float) -> R:
    """Lease one row to the caller until ``now + lease_seconds``."""
    row.status, row.claimed_until = life.leased, lease_until(now, lease_seconds)
    s.add(row)
    return row


def complete(s: Session, row: R, life: Lifecycle[Any]) -> R:
    """The worker did the job (printed, sent)."""
    row.status, row.claimed_until = life.done, None
    row.attempts += 1
    s.add(row)
    s.flush()
    return row


def fail(s: Session, row: R, life: Lifecycle[Any], error: str, permanent: bool) -> bool:
    """The worker could not do the job: back to pending, or parked as failed for staff.

    Returns whether the reason changed (callers write an event only then, so a printer that
    stays out of paper does not flood the log).
    """
    error = (error or "未知错误")[:300]
    changed = row.last_error != error
    row.status = life.failed if permanent else life.pending
    row.claimed_until, row.last_error = None, error
    row.attempts += 1
    s.add(row)
    s.flush()
    return changed


def cancel(s: Session, row: R, life: Lifecycle[Any], staff_id: str) -> R:
    """Staff withdraw a job that is not done."""
    row.status, row.cancelled_by, row.claimed_until = life.cancelled, staff_id, None
    s.add(row)
    s.flush()
    return row
