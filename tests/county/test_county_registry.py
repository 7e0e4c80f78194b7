"""The county applies every projection from one explicit list (R-M2, R-N3).

A handler that is defined but not listed in ``sync.county.registry.PROJECTIONS`` would never
run; these tests catch that, and check that events reach exactly the projections that read
their type.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from datetime import UTC, datetime
from typing import Any, cast

from sqlmodel import Session

import sync.county
from sync.county.apply import Projection, StoredEvent, apply_all, one_at_a_time
from sync.county.registry import PROJECTIONS


def _handler_functions() -> set[Any]:
    """Every public function of ``sync/county/*handlers*.py`` that takes a Session first."""
    found = set()
    for info in pkgutil.iter_modules(sync.county.__path__):
        if "handlers" not in info.name:
            continue
        module = importlib.import_module(f"sync.county.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            params = list(inspect.signature(fn).parameters)
            if (
                fn.__module__ == module.__name__
                and not name.startswith("_")
                and params[:1] == ["s"]
            ):
                found.add(fn)
    return found


def test_every_handler_is_listed() -> None:
    listed = {getattr(p.apply, "__wrapped__", p.apply) for p in PROJECTIONS}
    handlers = _handler_functions()
    assert handlers, "no handler modules found"
    assert handlers <= listed, sorted(f.__name__ for f in handlers - listed)


def test_the_station_core_events_are_projected() -> None:
    read = set().union(*(p.types for p in PROJECTIONS))
    for event_type in (
        "ticket.issued",
        "ticket.finished",
        "case.opened",
        "case.accept",
        "case.overdue",
        "device.state_changed",
        "rating.keypad_pressed",
    ):
        assert event_type in read, event_type
    assert len({p.name for p in PROJECTIONS}) == len(PROJECTIONS)


def _event(type_: str, seq: int) -> StoredEvent:
    return StoredEvent(
        "ST01", f"e{seq}", seq, type_, "x", "x1", {}, datetime(2026, 11, 23, tzinfo=UTC)
    )


class _FakeSession:
    """Enough of a Session for apply_all: savepoints that do nothing."""

    def begin_nested(self) -> _FakeSession:
        return self

    def __enter__(self) -> _FakeSession:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def test_events_reach_only_the_projections_that_read_them() -> None:
    seen: dict[str, list[int]] = {"a": [], "b": []}

    def record_a(s: Session, events: list[StoredEvent]) -> None:
        seen["a"].extend(ev.seq for ev in events)

    def record_b(s: Session, ev: StoredEvent) -> None:
        if ev.seq == 3:
            raise ValueError("bad event")
        seen["b"].append(ev.seq)

    projections = (
        Projection("a", frozenset({"t.a"}), record_a),
        Projection("b", frozenset({"t.b"}), one_at_a_time(record_b)),
    )
    events = [_event("t.a", 1), _event("t.b", 2), _event("t.b", 3), _event("t.c", 4)]
    failed = apply_all(cast(Session, _FakeSession()), events, projections)
    # the batch failed on seq 3, so every event was applied again one by one
    assert [(ev.seq, error) for ev, error in failed] == [(3, "ValueError: bad event")]
    assert seen["a"] == [1, 1] and seen["b"] == [2, 2]
