"""隔离与冲突: quarantined and conflicting events, and each station's held-back backlog."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from sync.county.models import BACKLOG, InboxEvent, Quarantine, Station, StationProgress

REASON_LABELS = {
    "hash_mismatch": "校验值不符",
    "bad_time": "时间格式错误",
    "hash_conflict": "冲突：同一编号内容不同",
    "seq_taken": "冲突：序号被占用",
    "apply_failed": "无法入账",
}
CONFLICTS = ("hash_conflict", "seq_taken")


@dataclass(frozen=True)
class QuarantineItem:
    id: int
    station_id: str
    event_id: str
    seq: int
    reason: str
    message: str
    event_type: str
    at: datetime

    @property
    def conflict(self) -> bool:
        return self.reason in CONFLICTS

    @property
    def reason_label(self) -> str:
        return REASON_LABELS.get(self.reason, self.reason)


@dataclass(frozen=True)
class BacklogItem:
    """Events a station sent after a gap, waiting for the missing ones (积压)."""

    station_id: str
    name: str
    count: int
    applied_through_seq: int
    first_waiting_seq: int | None
    gap_alert: str | None
    gap_since: datetime | None


def open_quarantine(s: Session, limit: int = 500) -> list[QuarantineItem]:
    rows = s.exec(
        select(Quarantine)
        .where(col(Quarantine.resolved).is_(False))
        .order_by(col(Quarantine.at).desc(), col(Quarantine.id).desc())
        .limit(limit)
    )
    return [
        QuarantineItem(
            int(q.id or 0),
            q.station_id,
            q.event_id,
            q.seq,
            q.reason,
            q.message,
            str(q.body.get("type", "")) if isinstance(q.body, dict) else "",
            q.at,
        )
        for q in rows
    ]


def backlogs(s: Session) -> list[BacklogItem]:
    names = {st.id: st.name for st in s.exec(select(Station))}
    first = dict(
        s.execute(
            select(InboxEvent.station_id, func.min(InboxEvent.seq))
            .where(col(InboxEvent.status) == BACKLOG)
            .group_by(col(InboxEvent.station_id))
        ).all()
    )
    rows = s.exec(
        select(StationProgress)
        .where(
            (col(StationProgress.backlog_count) > 0) | col(StationProgress.gap_alert).is_not(None)
        )
        .order_by(col(StationProgress.station_id))
    )
    return [
        BacklogItem(
            p.station_id,
            names.get(p.station_id, p.station_id),
            p.backlog_count,
            p.applied_through_seq,
            first.get(p.station_id),
            p.gap_alert,
            p.gap_since,
        )
        for p in rows
    ]
