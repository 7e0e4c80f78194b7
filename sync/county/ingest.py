"""The county inbox (收件箱): store a signed batch once, apply per station in seq order.

One PostgreSQL transaction per batch, serialised per station by a row lock on ``station``:
  1. ``INSERT … ON CONFLICT DO NOTHING RETURNING`` stores new events; the unique constraints
     on (station_id, event_id) and (station_id, seq) decide, never a prior SELECT.
  2. Not inserted + same hash = duplicate; different hash (or seq taken) = conflict,
     quarantined. A body whose hash does not match is rejected into quarantine.
  3. ``received_through_seq`` = highest seq with every seq ≤ it stored or quarantined;
     backlog events up to it are applied in seq order; events behind a gap wait (backlog).
A refused batch (see ``BatchRejected`` and ``DomainError``) writes nothing to the inbox; one
refused before its signature verified writes nothing at all (``refusals``). An event whose
text holds control characters (NUL …) is rejected into quarantine, stored escaped
(``screening``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import Session, col, select

from appliance.core.errors import DomainError, Invalid, NotFound, Unauthenticated
from sync import crypto
from sync.county.apply import StoredEvent, apply_all
from sync.county.enrolment import usable_station
from sync.county.models import (
    APPLIED,
    BACKLOG,
    FAILED,
    BatchLog,
    InboxEvent,
    Quarantine,
    Station,
    StationProgress,
)
from sync.county.refusals import refusal_log_row
from sync.county.registry import PROJECTIONS
from sync.county.screening import control_problem, escaped
from sync.county.services import CountyServices
from sync.protocol import AckReply, BatchHeader, BatchRejected, EventResult, WireEvent, decode_body

log = logging.getLogger("yizhan.county.ingest")
INSERT_CHUNK = 1000
INBOX = InboxEvent.__table__  # type: ignore[attr-defined]
REASONS = {
    "hash_mismatch": "记录内容与其校验值不符",
    "bad_time": "记录时间格式不正确",
    "field_too_long": "记录的类型或对象编号超过 64 个字符",
    "hash_conflict": "同一记录编号已收到内容不同的版本",
    "seq_taken": "该序号已被另一条记录占用",
    "apply_failed": "记录无法入账",
    "control_chars": "记录的文字中含有控制字符（如 NUL），已隔离待核查",
}


@dataclass(frozen=True)
class IncomingBatch:
    """A batch as it arrived over HTTP (or from a USB stick)."""

    header_b64: str | None
    signature: str | None
    body: bytes
    content_length: int | None = None
    # A live sync, where the station's clock and the county's meet; a USB stick's batch was
    # made days before its import, so its age says nothing about the station's clock (时钟偏差).
    live: bool = True


def _parse_time(raw: str) -> datetime | None:
    try:
        at = datetime.fromisoformat(raw)
    except (TypeError, ValueError):
        return None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def parse_header(header_b64: str | None) -> tuple[bytes, BatchHeader]:
    if not header_b64:
        raise BatchRejected("bad_header", "缺少批次头 X-Yizhan-Batch")
    try:
        raw = crypto.b64d(header_b64)
    except crypto.SignatureInvalid as exc:
        raise BatchRejected("bad_header", "批次头不是合法的 base64") from exc
    return raw, BatchHeader.from_bytes(raw)


def check_size(batch: IncomingBatch, limit: int) -> None:
    size = max(batch.content_length or 0, len(batch.body))
    if size > limit:
        raise BatchRejected(
            "too_large", f"批次 {size} 字节，超过上限 {limit} 字节，请拆小后重发", 413
        )


def ingest_batch(svc: CountyServices, batch: IncomingBatch) -> AckReply:
    """Verify, store and apply one batch; refusals write nothing to the inbox (R-N3)."""
    check_size(batch, svc.settings.max_batch_bytes)
    raw_header, header = parse_header(batch.header_b64)
    now = svc.clock.now()
    authenticated = False
    try:
        with svc.db.tx() as s:  # authenticate and inflate before taking the station lock
            station = usable_station(s, header.station_id, header.key_id)
            public_key = station.public_key or ""
        try:
            crypto.verify(public_key, raw_header, batch.signature or "")
        except crypto.SignatureInvalid as exc:
            raise Unauthenticated("批次签名校验失败（可能被伪造），拒收", "bad_signature") from exc
        authenticated = True
        events = decode_body(batch.body, header, svc.settings.max_inflated_bytes)
        with svc.db.tx() as s:
            station = usable_station(s, header.station_id, header.key_id, lock=True)
            reply = _store_and_apply(s, station.id, header, events, now)
            reply.max_batch_bytes = svc.settings.max_batch_bytes
            reply.county_time = now.isoformat()  # stations without an RTC set their clock
            created = _parse_time(header.created_at)
            if batch.live:  # a stick's travel time is not the station's clock error
                station.clock_offset_s = (created - now).total_seconds() if created else None
            station.last_batch_at, station.last_error = now, None
            s.add(station)
            s.add(_log_row(header, now, len(batch.body), reply))
        return reply
    except (BatchRejected, DomainError) as exc:
        if authenticated:  # a stranger's refusal is only counted, in memory (``refusals``)
            _record_refusal(svc, header, now, len(batch.body), exc)
        raise


def _log_row(header: BatchHeader, now: datetime, size: int, reply: AckReply) -> BatchLog:
    counts = {
        k: sum(1 for r in reply.results if r.status == k)
        for k in ("accepted", "duplicate", "conflict", "rejected")
    }
    return BatchLog(
        station_id=header.station_id,
        batch_id=header.batch_id[:64],
        received_at=now,
        first_seq=header.first_seq,
        last_seq=header.last_seq,
        count=header.count,
        bytes=size,
        accepted=counts["accepted"],
        duplicates=counts["duplicate"],
        conflicts=counts["conflict"],
        rejected=counts["rejected"],
        acked_through_seq=reply.acked_through_seq,
    )


def _record_refusal(
    svc: CountyServices, header: BatchHeader, now: datetime, size: int, exc: Exception
) -> None:
    """Show an authenticated station's refusal on the dashboard; the inbox stays untouched."""
    message = getattr(exc, "message", str(exc))[:300]
    with svc.db.tx() as s:
        station = s.get(Station, header.station_id)
        if station is None:
            return
        station.last_error, station.last_error_at = message, now
        s.add(station)
        s.add(refusal_log_row(station, header, now, size, message))


def _row(
    station_id: str, batch_id: str, e: WireEvent, at: datetime, now: datetime
) -> dict[str, Any]:
    return {
        "station_id": station_id,
        "event_id": e.id,
        "seq": e.seq,
        "hash": e.hash,
        "type": e.type,
        "entity": e.entity,
        "entity_id": e.entity_id,
        "payload": e.payload,
        "occurred_at": at,
        "received_at": now,
        "batch_id": batch_id[:64],
        "status": BACKLOG,
    }


def _quarantine(
    s: Session, station_id: str, batch_id: str, body: dict[str, Any], reason: str, now: datetime
) -> None:
    s.execute(
        pg_insert(Quarantine.__table__)  # type: ignore[attr-defined]
        .values(
            station_id=station_id,
            event_id=str(body.get("id", ""))[:64],
            seq=int(body.get("seq", 0)),
            reason=reason,
            message=REASONS[reason],
            hash=str(body.get("hash", ""))[:64],
            body=body,
            batch_id=batch_id[:64],
            at=now,
            resolved=False,
        )
        .on_conflict_do_nothing()
    )


def _store_and_apply(
    s: Session, station_id: str, header: BatchHeader, events: list[WireEvent], now: datetime
) -> AckReply:
    status: dict[int, tuple[str, str]] = {}  # index in batch -> (status, reason)
    rows: list[tuple[int, WireEvent, dict[str, Any]]] = []
    for i, e in enumerate(events):
        at = _parse_time(e.occurred_at)
        if e.hash != e.computed_hash() or len(e.id) > 64:
            status[i] = ("rejected", "hash_mismatch")
        elif at is None:
            status[i] = ("rejected", "bad_time")
        elif max(len(e.type), len(e.entity), len(e.entity_id)) > 64:
            status[i] = ("rejected", "field_too_long")  # never a database error mid-batch
        elif control_problem(e):
            status[i] = ("rejected", "control_chars")
        else:
            rows.append((i, e, _row(station_id, header.batch_id, e, at, now)))
    inserted: set[str] = set()
    for start in range(0, len(rows), INSERT_CHUNK):
        chunk = [r for _, _, r in rows[start : start + INSERT_CHUNK]]
        stmt = pg_insert(INBOX).values(chunk).on_conflict_do_nothing().returning(INBOX.c.event_id)
        inserted.update(s.execute(stmt).scalars())
    leftovers = [(i, e) for i, e, _ in rows if e.id not in inserted]
    existing: dict[str, str] = {}
    if leftovers:
        found = s.execute(
            select(col(InboxEvent.event_id), col(InboxEvent.hash)).where(
                col(InboxEvent.station_id) == station_id,
                col(InboxEvent.event_id).in_([e.id for _, e in leftovers]),
            )
        )
        existing = {eid: h for eid, h in found}
    for i, e in leftovers:
        if e.id not in existing:
            status[i] = ("conflict", "seq_taken")
        elif existing[e.id] == e.hash:
            status[i] = ("duplicate", "")
        else:
            status[i] = ("conflict", "hash_conflict")
    for i, (st, reason) in status.items():
        if st in ("conflict", "rejected"):
            body = escaped({**events[i].body(), "hash": events[i].hash})
            _quarantine(s, station_id, header.batch_id, body, reason, now)
    progress = _advance(s, station_id, now)
    results = []
    for i, e in enumerate(events):
        st, reason = status.get(i, ("accepted", ""))
        results.append(EventResult(e.id, e.seq, st, REASONS.get(reason, "")))
    return AckReply(
        batch_id=header.batch_id,
        results=results,
        acked_through_seq=progress.received_through_seq,
        backlog=progress.backlog_count,
    )


_ISLAND = text("""
WITH covered AS (
    SELECT seq FROM inbox_event WHERE station_id = :sid AND seq > :r
    UNION
    SELECT seq FROM quarantine WHERE station_id = :sid AND seq > :r
)
SELECT max(seq) FROM (
    SELECT seq, seq - row_number() OVER (ORDER BY seq) AS g FROM covered
) AS runs WHERE g = :r
""")


def _progress(s: Session, station_id: str, now: datetime) -> StationProgress:
    progress = s.get(StationProgress, station_id)
    if progress is None:
        progress = StationProgress(station_id=station_id, updated_at=now)
        s.add(progress)
        s.flush()
    return progress


def _advance(s: Session, station_id: str, now: datetime) -> StationProgress:
    """Move the received cursor over every contiguous stored seq and apply up to it."""
    progress = _progress(s, station_id, now)
    r = progress.received_through_seq
    island = s.execute(_ISLAND, {"sid": station_id, "r": r}).scalar()
    progress.received_through_seq = int(island) if island is not None else r
    upto = max(progress.received_through_seq, progress.applied_through_seq)
    _apply_backlog(s, station_id, upto, now)
    progress.applied_through_seq = upto
    _refresh_backlog(s, progress, now)
    return progress


def _apply_backlog(s: Session, station_id: str, upto: int | None, now: datetime) -> int:
    """Apply backlog events (seq ≤ ``upto``, or all when None) in seq order."""
    q = select(InboxEvent).where(
        col(InboxEvent.station_id) == station_id, col(InboxEvent.status) == BACKLOG
    )
    if upto is not None:
        q = q.where(col(InboxEvent.seq) <= upto)
    pending = list(s.exec(q.order_by(col(InboxEvent.seq))))
    if not pending:
        return 0
    stored = [
        StoredEvent(
            station_id, r.event_id, r.seq, r.type, r.entity, r.entity_id, r.payload, r.occurred_at
        )
        for r in pending
    ]
    by_id = {r.event_id: r for r in pending}
    failed: list[int] = []
    for ev, error in apply_all(s, stored, PROJECTIONS):
        log.warning("station %s event %s quarantined: %s", station_id, ev.event_id, error)
        row = by_id[ev.event_id]
        failed.append(row.id or 0)
        body = {
            "seq": row.seq,
            "id": row.event_id,
            "type": row.type,
            "entity": row.entity,
            "entity_id": row.entity_id,
            "payload": row.payload,
            "hash": row.hash,
            "occurred_at": row.occurred_at.isoformat(),
            "error": error,
        }
        _quarantine(s, station_id, row.batch_id, body, "apply_failed", now)
    s.execute(
        update(InboxEvent)
        .where(col(InboxEvent.id).in_([r.id for r in pending]))
        .values(status=APPLIED, applied_at=now)
    )
    if failed:
        s.execute(update(InboxEvent).where(col(InboxEvent.id).in_(failed)).values(status=FAILED))
    for r in pending:
        s.expire(r)
    return len(pending)


def _refresh_backlog(s: Session, progress: StationProgress, now: datetime) -> None:
    count = s.execute(
        select(func.count()).where(
            col(InboxEvent.station_id) == progress.station_id, col(InboxEvent.status) == BACKLOG
        )
    ).scalar_one()
    progress.backlog_count = int(count)
    if count:
        missing = progress.received_through_seq + 1
        progress.gap_alert = f"缺少序号 {missing} 的记录，其后 {count} 条记录等待补齐后入账"
        if progress.gap_since is None:
            progress.gap_since = now
            log.warning(
                "station %s: gap at seq %d, %d waiting", progress.station_id, missing, count
            )
    else:
        progress.gap_alert, progress.gap_since = None, None
    progress.updated_at = now
    s.add(progress)


def force_backlog(svc: CountyServices, station_id: str) -> int:
    """Admin: apply a station's backlog now, past its gap; late gap events apply on arrival."""
    now = svc.clock.now()
    with svc.db.tx() as s:
        if s.get(Station, station_id, with_for_update=True) is None:
            raise NotFound(f"找不到站点 {station_id}", "unknown_station")
        progress = _progress(s, station_id, now)
        if progress.backlog_count == 0 and not progress.gap_alert:
            raise Invalid(f"站点 {station_id} 没有等待补齐的记录", "no_backlog")
        top = s.execute(
            select(func.max(InboxEvent.seq)).where(
                col(InboxEvent.station_id) == station_id, col(InboxEvent.status) == BACKLOG
            )
        ).scalar()
        count = _apply_backlog(s, station_id, None, now)
        progress.applied_through_seq = max(progress.applied_through_seq, int(top or 0))
        progress.forced_at = now
        _refresh_backlog(s, progress, now)
        return count
