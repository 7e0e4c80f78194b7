"""A small fake county for the station sync tests (R-N1, R-N3), and checks of the fake itself.

It speaks sync.protocol exactly: verifies the station's batch and request signatures with
sync.crypto, decodes bodies with decode_body, stores events once by id (duplicate = same
hash, conflict = other hash), acks the contiguous prefix, and serves signed reference pages.
Faults are queued in ``faults``: "timeout" (nothing stored), "lost" (stored, reply lost),
"500", "413", "refuse" (a 4xx).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from appliance.core.clock import FrozenClock
from appliance.core.ids import new_id
from appliance.db.database import Database
from appliance.db.migrate import upgrade
from appliance.events.log import append_event
from appliance.events.tables import Event
from appliance.settings import Settings, load_settings
from sync import crypto
from sync.protocol import (
    BATCH_HEADER,
    DEFAULT_MAX_BODY,
    KEY_ID_HEADER,
    SIGNATURE_HEADER,
    STATION_HEADER,
    AckReply,
    BatchHeader,
    BatchRejected,
    EventResult,
    ReferencePage,
    ReferenceRow,
    decode_body,
    table_hash,
)
from sync.station.client import reference_request_bytes
from sync.station.enrol import enrol

CODE = "ENROL-1234"
COUNTY_URL = "http://county.test"
T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


def _error(status: int, code: str, message: str) -> httpx.Response:
    return httpx.Response(status, json={"error": code, "message": message})


@dataclass
class FakeCounty:
    key: Any = field(default_factory=crypto.new_signing_key)
    box: Any = field(default_factory=crypto.new_box_key)
    codes: set[str] = field(default_factory=lambda: {CODE})
    stations: dict[str, str] = field(default_factory=dict)  # station id -> public key
    events: dict[str, str] = field(default_factory=dict)  # event id -> hash
    done: set[int] = field(default_factory=set)  # seqs stored or refused for good
    acked: int = 0
    reject_seqs: set[int] = field(default_factory=set)
    conflict_seqs: set[int] = field(default_factory=set)
    hold_from: int | None = None  # events from this seq wait "behind a gap"
    max_batch_bytes: int = DEFAULT_MAX_BODY
    faults: list[str] = field(default_factory=list)
    batches: list[BatchHeader] = field(default_factory=list)
    body_sizes: list[int] = field(default_factory=list)
    rows: dict[tuple[str, str], ReferenceRow] = field(default_factory=dict)
    rev: int = 0
    min_since: int = 0  # since below this -> 410 snapshot_required
    forge_after: int | None = None  # pages served after this many are signed by another key
    pages_served: int = 0
    snapshots_served: int = 0
    requests: list[httpx.Request] = field(default_factory=list)

    @property
    def public(self) -> str:
        return crypto.public_key_b64(self.key)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    # ---- reference data ------------------------------------------------------------------
    def put(self, table: str, row_id: str, data: dict[str, Any] | None = None) -> None:
        self.rev += 1
        self.rows[(table, row_id)] = ReferenceRow(table, row_id, self.rev, False, data or {})

    def tombstone(self, table: str, row_id: str) -> None:
        self.rev += 1
        self.rows[(table, row_id)] = ReferenceRow(table, row_id, self.rev, True, {})

    def hashes(self) -> dict[str, str]:
        tables = sorted({t for t, _ in self.rows})
        return {
            t: table_hash(
                [(r.id, r.rev) for (rt, _), r in self.rows.items() if rt == t and not r.deleted]
            )
            for t in tables
        }

    def _signed(self, page: ReferencePage) -> httpx.Response:
        self.pages_served += 1
        key = self.key
        if self.forge_after is not None and self.pages_served > self.forge_after:
            key = crypto.new_signing_key()
        body = {"page": json.loads(page.to_bytes()), "signature": crypto.sign(key, page.to_bytes())}
        return httpx.Response(200, json=body)

    # ---- HTTP ----------------------------------------------------------------------------
    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        if path == "/sync/v1/enrol":
            return self._enrol(json.loads(request.content))
        if path == "/sync/v1/batches":
            return self._batch(request)
        if path in ("/sync/v1/reference", "/sync/v1/snapshot"):
            refused = self._check_station(request)
            if refused:
                return refused
            if path.endswith("snapshot"):
                return self._snapshot()
            return self._reference(
                int(request.url.params["since"]), int(request.url.params["limit"])
            )
        return _error(404, "not_found", "无此接口")

    def _enrol(self, body: dict[str, str]) -> httpx.Response:
        if body["code"] not in self.codes:
            return _error(403, "bad_code", "登记码无效")
        self.codes.discard(body["code"])
        self.stations[body["station_id"]] = body["public_key"]
        return httpx.Response(
            200,
            json={
                "county_public_key": self.public,
                "county_box_public_key": crypto.box_public_b64(self.box),
                "max_batch_bytes": self.max_batch_bytes,
            },
        )

    def _check_station(self, request: httpx.Request) -> httpx.Response | None:
        public = self.stations.get(request.headers.get(STATION_HEADER, ""))
        if public is None or crypto.key_id(public) != request.headers.get(KEY_ID_HEADER):
            return _error(403, "unknown_station", "未登记的站点")
        try:
            message = reference_request_bytes(
                request.headers[STATION_HEADER],
                request.headers[KEY_ID_HEADER],
                request.url.path,
                dict(request.url.params.items()),
            )
            crypto.verify(public, message, request.headers[SIGNATURE_HEADER])
        except (crypto.SignatureInvalid, KeyError):
            return _error(403, "bad_signature", "请求签名无效")
        return None

    def _batch(self, request: httpx.Request) -> httpx.Response:
        fault = self.faults.pop(0) if self.faults else ""
        if fault == "timeout":
            raise httpx.ReadTimeout("simulated timeout", request=request)
        if fault == "connect":
            raise httpx.ConnectError("simulated outage", request=request)
        if fault == "500":
            return _error(503, "unavailable", "维护中")
        if fault == "refuse":
            return _error(400, "bad_event", "批次被拒收")
        try:
            raw = crypto.b64d(request.headers[BATCH_HEADER])
            header = BatchHeader.from_bytes(raw)
            public = self.stations[header.station_id]
            if crypto.key_id(public) != header.key_id:
                return _error(403, "bad_key", "密钥编号不符")
            crypto.verify(public, raw, request.headers[SIGNATURE_HEADER])
            if fault == "413" or len(request.content) > self.max_batch_bytes:
                return _error(413, "too_large", "批次过大")
            events = decode_body(request.content, header)
        except BatchRejected as exc:
            return _error(exc.status, exc.code, exc.message)
        except (crypto.SignatureInvalid, KeyError) as exc:
            return _error(403, "bad_signature", f"签名无效 {exc}")
        self.batches.append(header)
        self.body_sizes.append(len(request.content))
        results = []
        for e in events:
            if e.hash != e.computed_hash() or e.seq in self.reject_seqs:
                status = "rejected"
            elif e.seq in self.conflict_seqs or (
                e.id in self.events and self.events[e.id] != e.hash
            ):
                status = "conflict"
            elif e.id in self.events:
                status = "duplicate"
            else:
                status = "accepted"
                self.events[e.id] = e.hash
            if self.hold_from is None or e.seq < self.hold_from:
                self.done.add(e.seq)
            results.append(
                EventResult(e.id, e.seq, status, "测试拒收" if status == "rejected" else "")
            )
        while self.acked + 1 in self.done:
            self.acked += 1
        reply = AckReply(header.batch_id, results, self.acked, 0, self.max_batch_bytes)
        if fault == "lost":
            raise httpx.ReadTimeout("reply lost after commit", request=request)
        return httpx.Response(200, json=reply.to_json())

    def _reference(self, since: int, limit: int) -> httpx.Response:
        if since < self.min_since:
            return _error(410, "snapshot_required", "版本过旧，请下载快照")
        newer = sorted((r for r in self.rows.values() if r.rev > since), key=lambda r: r.rev)
        page_rows = newer[:limit]
        more = len(newer) > limit
        next_rev = page_rows[-1].rev if page_rows else max(since, self.rev)
        hashes = {} if more else self.hashes()
        return self._signed(ReferencePage(page_rows, next_rev, more, False, hashes))

    def _snapshot(self) -> httpx.Response:
        self.snapshots_served += 1
        live = [r for r in self.rows.values() if not r.deleted]
        return self._signed(ReferencePage(live, self.rev, False, True, self.hashes()))


# ---- a station -----------------------------------------------------------------------------
@dataclass
class StationRig:
    settings: Settings
    db: Database
    clock: FrozenClock
    county: FakeCounty

    def add_events(self, n: int, every: timedelta = timedelta(minutes=1), size: int = 0) -> None:
        """n events in one transaction (fast), ``every`` apart, from the clock's time back."""
        with self.db.write() as s:
            last = self.db_last(s)
            start = self.clock.now() - every * n
            for i in range(n):
                payload = {
                    "ticket": f"A{i % 999:03d}",
                    "window": i % 4,
                    "pad": os.urandom(size).hex(),
                }
                s.add(
                    Event(
                        seq=last + i + 1,
                        id=new_id(),
                        type="ticket.issued",
                        entity="ticket",
                        entity_id=new_id(),
                        payload=json.dumps(payload),
                        occurred_at=start + every * i,
                    )
                )

    @staticmethod
    def db_last(s: Any) -> int:
        from sqlmodel import func, select

        return int(s.exec(select(func.max(Event.seq))).one() or 0)

    def db_state(self) -> Any:
        from sync.station.state import require_state

        return require_state(self.db)

    def one_event(self) -> None:
        with self.db.write() as s:
            append_event(s, "window.paused", "window", "w1", {"reason": "午休"}, self.clock.now())

    def local_ids(self) -> dict[str, str]:
        from sync.station.outbox import pending_events

        return {e.id: e.hash for e in pending_events(self.db, 0, 10**9)}


def make_rig(tmp_path: Path, county: FakeCounty | None = None, **overrides: Any) -> StationRig:
    settings = load_settings(
        env={}, data_dir=str(tmp_path), county_url=COUNTY_URL, station_code="ST01", **overrides
    )
    upgrade(settings.sqlalchemy_url)
    db = Database(settings.sqlalchemy_url)
    county = county or FakeCounty()
    clock = FrozenClock(T0)
    enrol(settings, CODE, db=db, clock=clock, transport=county.transport())
    return StationRig(settings, db, clock, county)


def station_rig(tmp_path: Path) -> Iterator[StationRig]:
    """Body of the ``rig`` fixture each sync test module declares."""
    r = make_rig(tmp_path)
    yield r
    r.db.dispose()


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[StationRig]:
    yield from station_rig(tmp_path)


def test_fake_county_refuses_a_forged_batch(rig: StationRig) -> None:
    """The fake is strict: a batch signed by another key is refused and nothing is stored."""
    from sync.station.outbox import build_batch, pending_events

    rig.add_events(3)
    key_id = rig.db_state().key_id
    batch = build_batch(pending_events(rig.db, 0, 10), 10**6, "ST01", key_id, rig.clock.now())
    raw = batch.header.to_bytes()
    request = httpx.Request(
        "POST",
        f"{COUNTY_URL}/sync/v1/batches",
        content=batch.body,
        headers={
            BATCH_HEADER: crypto.b64e(raw),
            SIGNATURE_HEADER: crypto.sign(crypto.new_signing_key(), raw),
        },
    )
    response = rig.county.handle(request)
    assert response.status_code == 403
    assert rig.county.events == {}
    assert asdict(batch.header)["count"] == 3
