"""Fault rows inside the caller's transaction: find, number, view, event payload (R-I1)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from appliance.core.errors import NotFound
from appliance.events.log import append_event
from appliance.faults.rules import (
    ACTION_LABELS,
    KIND_LABELS,
    LEVEL_LABELS,
    SOURCE_LABELS,
    STATUS_LABELS,
    ActionKind,
    FaultKind,
    FaultSource,
    FaultStatus,
    NetworkScope,
    duration_text,
    fault_level,
    fault_number,
)
from appliance.faults.schemas import FaultActionView, FaultView
from appliance.faults.tables import FaultAction, FaultRecord

TEXT_IN_EVENT = 300


def find(s: Session, ref: str) -> FaultRecord:
    """A fault by its id or its number (GZ-20261123-001)."""
    row = s.get(FaultRecord, ref)
    if row is None:
        number = ref.strip().upper()
        row = s.exec(select(FaultRecord).where(FaultRecord.number == number)).first()
    if row is None:
        raise NotFound(f"找不到故障“{ref}”，请检查编号", "unknown_fault")
    return row


def next_number(s: Session, day: str) -> tuple[int, str]:
    last = s.exec(select(func.max(FaultRecord.seq)).where(FaultRecord.business_date == day)).one()
    seq = int(last or 0) + 1
    return seq, fault_number(day, seq)


def actions_of(s: Session, fault_id: str) -> list[FaultAction]:
    return list(
        s.exec(
            select(FaultAction)
            .where(FaultAction.fault_id == fault_id)
            .order_by(col(FaultAction.at), col(FaultAction.id))
        )
    )


def step_count(s: Session, fault_id: str) -> int:
    return int(
        s.exec(
            select(func.count()).where(
                FaultAction.fault_id == fault_id, FaultAction.kind == ActionKind.STEP.value
            )
        ).one()
    )


def level_now(row: FaultRecord, now: datetime) -> str:
    """The stored level once closed; else the level the fault has so far."""
    if row.level:
        return row.level
    scope = NetworkScope(row.scope) if row.scope else None
    return fault_level(FaultKind(row.kind), scope, row.opened_at, row.ended_at or now)


def view(row: FaultRecord, actions: list[FaultAction], now: datetime) -> FaultView:
    status = FaultStatus(row.status)
    level = level_now(row, now)
    end = row.ended_at or row.closed_at or now
    seconds = max(0.0, (end - row.opened_at).total_seconds())
    source = FaultSource(row.source)
    return FaultView(
        id=row.id,
        number=row.number,
        business_date=row.business_date,
        kind=FaultKind(row.kind),
        kind_label=KIND_LABELS[FaultKind(row.kind)],
        scope=NetworkScope(row.scope) if row.scope else None,
        source=source,
        source_label=SOURCE_LABELS[source],
        automatic=source is not FaultSource.MANUAL,
        title=row.title,
        detail=row.detail,
        status=status,
        status_label=STATUS_LABELS[status],
        level=level,
        level_label=LEVEL_LABELS[level] + ("" if status is FaultStatus.CLOSED else "（暂定）"),
        opened_at=row.opened_at,
        opened_by=row.opened_by_name,
        duration_s=round(seconds, 1),
        duration_text=duration_text(seconds),
        ended_at=row.ended_at,
        closed_at=row.closed_at,
        closed_by=row.closed_by_name,
        cause=row.cause,
        result=row.result,
        actions=[
            FaultActionView(
                kind=ActionKind(a.kind),
                kind_label=ACTION_LABELS[ActionKind(a.kind)],
                text=a.text,
                at=a.at,
                staff=a.staff_name,
            )
            for a in actions
        ],
    )


def payload(row: FaultRecord, now: datetime) -> dict[str, Any]:
    """The event payload: the ledger line, no personal data (staff by id)."""
    return {
        "number": row.number,
        "business_date": row.business_date,
        "kind": row.kind,
        "scope": row.scope,
        "source": row.source,
        "status": row.status,
        "level": level_now(row, now),
        "title": row.title[:TEXT_IN_EVENT],
        "opened_at": row.opened_at.isoformat(),
        "ended_at": row.ended_at.isoformat() if row.ended_at else None,
        "closed_at": row.closed_at.isoformat() if row.closed_at else None,
        "opened_by": row.opened_by_id,
        "closed_by": row.closed_by_id,
    }


def add_action(
    s: Session,
    row: FaultRecord,
    kind: ActionKind,
    text: str,
    staff: tuple[str | None, str],
    now: datetime,
) -> FaultAction:
    action = FaultAction(
        fault_id=row.id, kind=kind.value, text=text, at=now, staff_id=staff[0], staff_name=staff[1]
    )
    s.add(action)
    row.updated_at = now
    s.add(row)
    s.flush()
    event = {
        "number": row.number,
        "kind": kind.value,
        "text": text[:TEXT_IN_EVENT],
        "by": staff[0],
    }
    append_event(s, "fault.action_added", "fault", row.id, event, now)
    return action


def open_fault(
    s: Session,
    *,
    day: str,
    kind: FaultKind,
    scope: NetworkScope | None,
    source: FaultSource,
    title: str,
    detail: str,
    staff: tuple[str | None, str],
    now: datetime,
) -> FaultRecord:
    seq, number = next_number(s, day)
    row = FaultRecord(
        number=number,
        business_date=day,
        seq=seq,
        kind=kind.value,
        scope=scope.value if scope else None,
        source=source.value,
        title=title,
        detail=detail,
        status=FaultStatus.OPEN.value,
        opened_at=now,
        opened_by_id=staff[0],
        opened_by_name=staff[1],
        updated_at=now,
    )
    s.add(row)
    s.flush()
    append_event(s, "fault.opened", "fault", row.id, payload(row, now), now)
    return row


def close_fault(
    s: Session,
    row: FaultRecord,
    *,
    cause: str,
    result: str,
    staff: tuple[str | None, str],
    now: datetime,
) -> None:
    """Fix the level (from the scope, or the duration up to its end) and close."""
    row.ended_at = row.ended_at or now
    row.level = level_now(row, now)
    row.status = FaultStatus.CLOSED.value
    row.closed_at, row.closed_by_id, row.closed_by_name = now, staff[0], staff[1]
    row.cause, row.result, row.updated_at = cause, result, now
    s.add(row)
    s.flush()
    append_event(s, "fault.closed", "fault", row.id, payload(row, now), now)
