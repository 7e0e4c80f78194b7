"""Applying inbox events to the dashboard projections.

A projection reads some event types and writes projection rows in the caller's
transaction. Every projection is listed once, explicitly, in ``sync.county.registry``;
nothing registers itself by being imported. Handlers must be idempotent per event and
tolerate late (out-of-order) arrival after an admin forced a backlog through: they compare
``seq`` before overwriting newer state.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

log = logging.getLogger("yizhan.county.apply")


@dataclass(frozen=True)
class StoredEvent:
    """An inbox event ready to apply."""

    station_id: str
    event_id: str
    seq: int
    type: str
    entity: str
    entity_id: str
    payload: dict[str, Any]
    occurred_at: datetime


EventHandler = Callable[[Session, StoredEvent], None]
BatchHandler = Callable[[Session, list[StoredEvent]], None]


@dataclass(frozen=True)
class Projection:
    """One dashboard projection: the event types it reads and how it writes them.

    ``apply`` gets all of a batch's events of those types, in seq order, and must give the
    same result as applying them one by one (one statement instead of one per event is what
    makes ingest fast). ``sync.county.registry.PROJECTIONS`` lists every projection.
    """

    name: str
    types: frozenset[str]
    apply: BatchHandler


def one_at_a_time(handler: EventHandler) -> BatchHandler:
    """A per-event handler as a batch handler (for projections too small to be set-based)."""

    @functools.wraps(handler)
    def apply(s: Session, events: list[StoredEvent]) -> None:
        for ev in events:
            handler(s, ev)

    return apply


def apply_one(s: Session, ev: StoredEvent, projections: Sequence[Projection]) -> None:
    """Apply one event to every projection that reads its type; other types are stored only."""
    for projection in projections:
        if ev.type in projection.types:
            projection.apply(s, [ev])


def _apply_set_based(
    s: Session, events: list[StoredEvent], projections: Sequence[Projection]
) -> None:
    for projection in projections:
        mine = [ev for ev in events if ev.type in projection.types]
        if mine:
            projection.apply(s, mine)


def apply_all(
    s: Session, events: list[StoredEvent], projections: Sequence[Projection]
) -> list[tuple[StoredEvent, str]]:
    """Apply events in order; return the ones whose handler failed, with the error.

    Fast path: one savepoint for all. If any handler fails, redo one savepoint per event so
    a bad event never blocks the events behind it.
    """
    try:
        with s.begin_nested():
            _apply_set_based(s, events, projections)
        return []
    except Exception:  # fall back to one savepoint per event
        log.warning("a handler failed; applying one by one")
    failed: list[tuple[StoredEvent, str]] = []
    for ev in events:
        try:
            with s.begin_nested():
                apply_one(s, ev, projections)
        except Exception as exc:
            log.exception("applying %s %s failed", ev.type, ev.event_id)
            failed.append((ev, f"{type(exc).__name__}: {exc}"[:250]))
    return failed
