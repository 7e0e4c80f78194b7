"""Who is working on a case right now, to say so when two clerks collide (R-K2).

A decision is worked out from a read of the case and written with a compare-and-set; when
another clerk's decision lands in between, the write starts again on the new state. If the
decision is then refused, or keeps colliding, the clerk is told who changed the case and
with which action (``who_changed``), or who is deciding on it at this moment
(``Holders.holder``), instead of a bare "busy".
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import select as sa_select
from sqlmodel import col

from appliance.cases.rules.states import ACTION_LABELS, Action
from appliance.cases.tables import CaseRecord, CaseTransitionRecord
from appliance.db.database import Database
from appliance.staff.tables import Staff


@dataclass(frozen=True)
class Holder:
    actor: str  # staff code (工号)
    action: Action


class Holders:
    """Decisions in progress in this server process, by case number."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_case: dict[str, list[Holder]] = {}

    @contextmanager
    def holding(self, case_number: str, actor: str, action: Action) -> Iterator[None]:
        me = Holder(actor, action)
        with self._lock:
            self._by_case.setdefault(case_number, []).append(me)
        try:
            yield
        finally:
            with self._lock:
                held = self._by_case.get(case_number, [])
                if me in held:
                    held.remove(me)
                if not held:
                    self._by_case.pop(case_number, None)

    def holder(self, case_number: str, actor: str) -> Holder | None:
        """Another clerk deciding on the case now (not ``actor``)."""
        with self._lock:
            others = [h for h in self._by_case.get(case_number, []) if h.actor != actor]
        return others[0] if others else None


def staff_label(db: Database, code: str) -> str:
    """``王秀英（ck01）`` for a staff code; the code alone when unknown (the system)."""
    with db.read() as s:
        name = s.execute(sa_select(col(Staff.name)).where(col(Staff.code) == code)).scalar()
    return f"{name}（{code}）" if name else code


def who_changed(db: Database, case_number: str) -> str:
    """``王秀英（ck01）刚作出“受理”`` from the case's latest decision, or "" when none."""
    with db.read() as s:
        row = s.execute(
            sa_select(col(CaseTransitionRecord.who), col(CaseTransitionRecord.action))
            .join(CaseRecord, col(CaseRecord.id) == col(CaseTransitionRecord.case_id))
            .where(col(CaseRecord.case_number) == case_number)
            .order_by(col(CaseTransitionRecord.seq).desc())
            .limit(1)
        ).first()
    if row is None:
        return ""
    who, action = row
    try:
        label = ACTION_LABELS[Action(action)]
    except ValueError:
        label = action
    return f"{staff_label(db, who)}刚作出“{label}”"


def busy_message(db: Database, holders: Holders, case_number: str, actor: str) -> str:
    """The Chinese 409 of a decision that kept colliding: who holds the case, doing what."""
    held = holders.holder(case_number, actor)
    if held is not None:
        who = staff_label(db, held.actor)
        return f"该办件正由{who}办理“{ACTION_LABELS[held.action]}”，请稍后刷新重试"
    changed = who_changed(db, case_number)
    if changed:
        return f"该办件{changed}，请刷新后重试"
    return "该办件正被他人同时处理，请刷新后重试"
