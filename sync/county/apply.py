"""Applying inbox events to the dashboard projections: a registry of small handlers.

Each handler takes one event type (or several) and writes projection rows in the caller's
transaction. A later issue adds its own module of handlers and imports it in ``handlers``.
Handlers must be idempotent per event and tolerate late (out-of-order) arrival after an
admin forced a backlog through: they compare ``seq`` before overwriting newer state.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
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


Handler = Callable[[Session, StoredEvent], None]
BatchHandler = Callable[[Session, list[StoredEvent]], None]
_HANDLERS: dict[str, list[Handler]] = {}
_BATCH_HANDLERS: dict[str, BatchHandler] = {}


def handles(*types: str) -> Callable[[Handler], Handler]:
    """Register a handler for one or more event types."""

    def register(fn: Handler) -> Handler:
        for t in types:
            _HANDLERS.setdefault(t, []).append(fn)
        return fn

    return register


def handles_batch(*types: str) -> Callable[[BatchHandler], BatchHandler]:
    """Register a set-based handler: it gets all of a batch's events of its types, in seq
    order, and must give the same result as applying them one by one (one statement instead
    of one per event is what makes ingest fast)."""

    def register(fn: BatchHandler) -> BatchHandler:
        for t in types:
            _BATCH_HANDLERS[t] = fn
        return fn

    return register


def handlers_for(event_type: str) -> list[Handler]:
    return list(_HANDLERS.get(event_type, ()))


def registered_types() -> list[str]:
    return sorted({*_HANDLERS, *_BATCH_HANDLERS})


def apply_one(s: Session, ev: StoredEvent) -> None:
    """Run every handler of the event's type; types nobody handles are stored only."""
    batch = _BATCH_HANDLERS.get(ev.type)
    if batch is not None:
        batch(s, [ev])
    for fn in _HANDLERS.get(ev.type, ()):
        fn(s, ev)


def _apply_set_based(s: Session, events: list[StoredEvent]) -> None:
    grouped: dict[BatchHandler, list[StoredEvent]] = {}
    for ev in events:
        batch = _BATCH_HANDLERS.get(ev.type)
        if batch is not None:
            grouped.setdefault(batch, []).append(ev)
    for fn, evs in grouped.items():
        fn(s, evs)
    for ev in events:
        for one in _HANDLERS.get(ev.type, ()):
            one(s, ev)


def apply_all(s: Session, events: list[StoredEvent]) -> list[tuple[StoredEvent, str]]:
    """Apply events in order; return the ones whose handler failed, with the error.

    Fast path: one savepoint for all. If any handler fails, redo one savepoint per event so
    a bad event never blocks the events behind it.
    """
    try:
        with s.begin_nested():
            _apply_set_based(s, events)
        return []
    except Exception:  # fall back to one savepoint per event
        log.warning("a handler failed; applying one by one")
    failed: list[tuple[StoredEvent, str]] = []
    for ev in events:
        try:
            with s.begin_nested():
                apply_one(s, ev)
        except Exception as exc:
            log.exception("applying %s %s failed", ev.type, ev.event_id)
            failed.append((ev, f"{type(exc).__name__}: {exc}"[:250]))
    return failed
