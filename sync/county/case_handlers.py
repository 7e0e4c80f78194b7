"""Projection of the stations' case events (办件) into ``case_fact`` (R-M1, R-M2).

Set-based like the ticket projection: all of a batch's case events are folded per case in
seq order and written with ONE ``INSERT … ON CONFLICT DO UPDATE``; an event older than the
row (a backlog forced through) never overwrites newer state.

Events: ``case.opened``, ``case.<action>`` (every action of the case state machine),
``case.reminder`` and ``case.overdue`` (the station's sweep, once per due date) and
``case.due_recomputed``. Each carries ``case_number``, ``due_on`` and the state (``state``
or ``to``); ``item_code`` / ``item_name`` where known. Nothing personal is kept.

``overdue`` holds while the station's reported overdue date is still the case's 办结期限
and its time limit runs (受理, 容缺, 上报流转 …); a decision, an extension or a stopped
clock ends it. ``due_soon`` is the same for the reminder, when not overdue.
"""

from __future__ import annotations

from datetime import date, timedelta, timezone
from typing import Any

from sqlalchemy import ColumnElement, and_, case, false, func, or_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import Session

from appliance.cases.rules.states import RUNNING_STATES, Action
from sync.county.apply import StoredEvent
from sync.county.projections import CaseFact

BEIJING = timezone(timedelta(hours=8), "CST")  # the county's day, as the dashboard's

CASE_TYPES = (
    "case.opened",
    "case.reminder",
    "case.overdue",
    "case.due_recomputed",
    *(f"case.{a.value}" for a in Action),
)
DECISIONS = ("case.approve", "case.reject")
RUNNING = sorted(s.value for s in RUNNING_STATES)
_LATEST_TEXT = {"item_code": 64, "item_name": 200, "state": 32}
_FLAG_DATES = {"case.overdue": "overdue_for", "case.reminder": "reminded_for"}


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _fact(ev: StoredEvent) -> dict[str, Any]:
    """The columns one event knows ("" / None: it did not say)."""
    p = ev.payload
    row: dict[str, Any] = {
        "station_id": ev.station_id,
        "case_number": str(p.get("case_number") or ev.entity_id)[:64],
        "item_code": "",
        "item_name": "",
        "state": "",
        "received_on": _day(p.get("received_on")),
        "due_on": _day(p.get("due_on")),
        "decided_on": ev.occurred_at.astimezone(BEIJING).date() if ev.type in DECISIONS else None,
        "overdue_for": None,
        "reminded_for": None,
        "updated_at": ev.occurred_at,
        "last_seq": ev.seq,
    }
    values = {
        "item_code": p.get("item_code"),
        "item_name": p.get("item_name"),
        "state": p.get("state") or p.get("to"),
    }
    for name, limit in _LATEST_TEXT.items():
        if values[name]:
            row[name] = str(values[name])[:limit]
    flag = _FLAG_DATES.get(ev.type)
    if flag:
        row[flag] = row["due_on"]
    return row


def _flags(row: dict[str, Any]) -> dict[str, Any]:
    running = row["state"] in RUNNING and row["due_on"] is not None
    overdue = running and row["overdue_for"] == row["due_on"]
    due_soon = running and not overdue and row["reminded_for"] == row["due_on"]
    return {**row, "overdue": overdue, "due_soon": due_soon}


def _fold(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Several events of one case, in seq order, folded the way the upsert merges them."""
    out = dict(rows[0])
    for row in rows[1:]:
        for name in _LATEST_TEXT:
            out[name] = row[name] or out[name]
        out["due_on"] = row["due_on"]  # every case event says its current 办结期限
        for name in ("received_on", "decided_on", "overdue_for", "reminded_for"):
            out[name] = row[name] or out[name]
        out["updated_at"] = max(out["updated_at"], row["updated_at"])
        out["last_seq"] = max(out["last_seq"], row["last_seq"])
    return _flags(out)


def case_facts(s: Session, events: list[StoredEvent]) -> None:
    """One row per case (办件): the newest event (by seq) sets state and 办结期限."""
    per_case: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for ev in sorted(events, key=lambda e: (e.station_id, e.seq)):
        fact = _fact(ev)
        per_case.setdefault((fact["station_id"], fact["case_number"]), []).append(fact)
    rows = [_fold(group) for group in per_case.values()]
    table = CaseFact.__table__  # type: ignore[attr-defined]
    stmt = pg_insert(table).values(rows)
    x, t = stmt.excluded, table.c
    newer = x.last_seq > t.last_seq

    def latest_text(name: str) -> ColumnElement[Any]:
        return case((newer & (x[name] != ""), x[name]), else_=t[name])

    def latest_date(name: str) -> ColumnElement[Any]:
        return case((newer & x[name].isnot(None), x[name]), else_=func.coalesce(t[name], x[name]))

    state = latest_text("state")
    due = case((newer, x.due_on), else_=t.due_on)
    overdue_for, reminded_for = latest_date("overdue_for"), latest_date("reminded_for")
    running = and_(state.in_(RUNNING), due.isnot(None))
    overdue = case((and_(running, overdue_for == due), True), else_=false())
    due_soon = case(
        (and_(running, or_(overdue_for.is_(None), overdue_for != due), reminded_for == due), True),
        else_=false(),
    )
    update: dict[str, Any] = {name: latest_text(name) for name in _LATEST_TEXT}
    update |= {
        "due_on": due,
        "overdue_for": overdue_for,
        "reminded_for": reminded_for,
        "received_on": func.coalesce(t.received_on, x.received_on),
        "decided_on": latest_date("decided_on"),
        "overdue": overdue,
        "due_soon": due_soon,
        "updated_at": func.greatest(t.updated_at, x.updated_at),
        "last_seq": func.greatest(t.last_seq, x.last_seq),
    }
    s.execute(stmt.on_conflict_do_update(index_elements=["station_id", "case_number"], set_=update))
