"""出站队列: the ``event`` table is the outbox; batches of it, and applying county acks.

Nothing is marked done except by an ``AckReply``: ``apply_ack`` moves ``acked_through_seq``
and records refused events in ``sync_quarantine`` in one SQLite write transaction, so a
station killed before, during or after it simply sends the same events again (the county
keys on event ids, so a re-send is a duplicate, never a second copy).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import col, select

from appliance.core.ids import new_id
from appliance.db.database import Database
from appliance.events.tables import Event
from appliance.uplink.tables import SYNC_STATE_ID, SyncQuarantine, SyncState
from sync.canonical import sha256_hex
from sync.protocol import PROTOCOL_VERSION, AckReply, BatchHeader, WireEvent, encode_body

QUARANTINE_STATUSES = ("conflict", "rejected")


@dataclass(frozen=True)
class Batch:
    header: BatchHeader
    body: bytes
    events: list[WireEvent] = field(repr=False)


@dataclass(frozen=True)
class AckOutcome:
    before: int  # acked_through_seq before the reply
    after: int  # … and after it
    quarantined: int  # events of this reply put into quarantine

    @property
    def progressed(self) -> bool:
        return self.after > self.before


def to_wire(event: Event) -> WireEvent:
    """The wire form of a stored event: deterministic, so a re-send hashes the same."""
    return WireEvent(
        seq=event.seq,
        id=event.id,
        type=event.type,
        entity=event.entity,
        entity_id=event.entity_id,
        payload=json.loads(event.payload),
        occurred_at=event.occurred_at.isoformat(),
    ).sealed()


def pending_events(db: Database, after_seq: int, limit: int) -> list[WireEvent]:
    """Events not yet acknowledged, oldest first."""
    with db.read() as s:
        rows = s.exec(
            select(Event).where(Event.seq > after_seq).order_by(col(Event.seq)).limit(limit)
        ).all()
        return [to_wire(e) for e in rows]


def make_batch(
    events: list[WireEvent], station_id: str, key_id: str, created_at: datetime
) -> Batch:
    body = encode_body(events)
    header = BatchHeader(
        protocol=PROTOCOL_VERSION,
        station_id=station_id,
        batch_id=new_id(),
        first_seq=events[0].seq,
        last_seq=events[-1].seq,
        count=len(events),
        body_sha256=sha256_hex(body),
        key_id=key_id,
        created_at=created_at.isoformat(),
    )
    return Batch(header, body, events)


def build_batch(
    events: list[WireEvent], max_bytes: int, station_id: str, key_id: str, created_at: datetime
) -> Batch:
    """The longest prefix of ``events`` whose compressed body fits ``max_bytes``.

    A single event larger than the limit still goes alone (the county decides).
    """
    n = len(events)
    while True:
        batch = make_batch(events[:n], station_id, key_id, created_at)
        size = len(batch.body)
        if size <= max_bytes or n == 1:
            return batch
        n = max(1, min(n - 1, int(n * max_bytes / size * 0.9)))


def apply_ack(db: Database, batch: Batch, reply: AckReply, now: datetime) -> AckOutcome:
    """Apply one county reply in ONE write transaction: cursor, quarantine, success time."""
    with db.write() as s:
        state = s.get(SyncState, SYNC_STATE_ID)
        if state is None:
            raise RuntimeError("sync_state vanished during a sync round")
        before = state.acked_through_seq
        # the county can only have stored what we sent: never past this batch's last seq
        after = max(before, min(reply.acked_through_seq, batch.header.last_seq))
        sent = {e.seq: e.id for e in batch.events}
        quarantined = 0
        for result in reply.results:
            if result.status not in QUARANTINE_STATUSES or sent.get(result.seq) != result.event_id:
                continue
            row = s.get(SyncQuarantine, result.seq) or SyncQuarantine(
                seq=result.seq, event_id=result.event_id, status=result.status, at=now
            )
            row.status, row.reason, row.at = result.status, result.reason[:500], now
            s.add(row)
            quarantined += 1
        state.acked_through_seq = after
        if reply.max_batch_bytes > 0:
            state.max_batch_bytes = reply.max_batch_bytes
        state.last_success_at = now
        s.add(state)
        return AckOutcome(before, after, quarantined)
