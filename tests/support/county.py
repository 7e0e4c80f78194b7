"""Shared county fixtures: a migrated county database on the real PostgreSQL of
``tests/support/pg_server.py``, the real HTTP app, and a fake station that builds batches with the
real station-side encoding (sync/protocol.py + sync/crypto.py). No tests live here."""

from __future__ import annotations

import gzip
import uuid
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from litestar.testing import TestClient

from appliance.core.clock import FrozenClock
from sync import crypto
from sync.canonical import canonical_json, sha256_hex
from sync.county.enrolment import create_station
from sync.county.migrate import upgrade
from sync.county.services import CountyServices
from sync.county.station_auth import reference_request_bytes
from sync.protocol import (
    BATCH_HEADER,
    KEY_ID_HEADER,
    PROTOCOL_VERSION,
    SIGNATURE_HEADER,
    STATION_HEADER,
    BatchHeader,
    WireEvent,
    encode_body,
)
from tests.support.pg_server import PgServer

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # Monday 09:00 Beijing time
TEMPLATE = "county_template"


@dataclass
class FakeStation:
    """The station side of the wire, as the real station encodes it."""

    station_id: str
    key: Ed25519PrivateKey = field(default_factory=crypto.new_signing_key)
    county_public_key: str = ""
    county_box_public_key: str = ""
    seq: int = 0

    @property
    def public_key(self) -> str:
        return crypto.public_key_b64(self.key)

    @property
    def key_id(self) -> str:
        return crypto.key_id(self.public_key)

    def event(
        self,
        type: str = "ticket.issued",
        payload: dict[str, Any] | None = None,
        entity: str = "ticket",
        entity_id: str | None = None,
        at: datetime = T0,
    ) -> WireEvent:
        self.seq += 1
        return WireEvent(
            seq=self.seq,
            id=str(uuid.uuid4()),
            type=type,
            entity=entity,
            entity_id=entity_id or str(uuid.uuid4()),
            payload=payload
            if payload is not None
            else {"number": f"A{self.seq:03d}", "status": "waiting"},
            occurred_at=at.isoformat(),
        ).sealed()

    def events(self, n: int) -> list[WireEvent]:
        return [self.event() for _ in range(n)]

    def batch(
        self,
        events: list[WireEvent],
        body: bytes | None = None,
        signer: Ed25519PrivateKey | None = None,
        honest_body: bytes | None = None,
        **header_changes: Any,
    ) -> tuple[dict[str, str], bytes]:
        """Headers and body of one batch. Tampering: ``body`` replaces the body after the
        header was signed; ``honest_body`` is a body the header describes and signs (a buggy
        station); ``signer`` signs with another key; ``header_changes`` edit the header."""
        real_body = honest_body if honest_body is not None else encode_body(events)
        header = BatchHeader(
            protocol=PROTOCOL_VERSION,
            station_id=self.station_id,
            batch_id=str(uuid.uuid4()),
            first_seq=events[0].seq if events else 0,
            last_seq=events[-1].seq if events else 0,
            count=len(events),
            body_sha256=sha256_hex(real_body),
            key_id=self.key_id,
            created_at=T0.isoformat(),
        )
        header = replace(header, **header_changes)
        raw = header.to_bytes()
        headers = {
            BATCH_HEADER: crypto.b64e(raw),
            SIGNATURE_HEADER: crypto.sign(signer or self.key, raw),
            "Content-Type": "application/octet-stream",
        }
        return headers, real_body if body is None else body

    def read_headers(self, path: str, query: dict[str, str]) -> dict[str, str]:
        message = reference_request_bytes(self.station_id, self.key_id, path, query)
        return {
            STATION_HEADER: self.station_id,
            KEY_ID_HEADER: self.key_id,
            SIGNATURE_HEADER: crypto.sign(self.key, message),
        }


@dataclass
class County:
    services: CountyServices
    client: TestClient[Any]
    clock: FrozenClock
    pg: PgServer
    db_name: str

    def scalar(self, sql: str, *params: Any) -> Any:
        with psycopg.connect(self.pg.dsn(self.db_name)) as conn:
            row = conn.execute(sql, params).fetchone()  # type: ignore[arg-type]
            return row[0] if row else None

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.pg.dsn(self.db_name)) as conn:
            return list(conn.execute(sql, params).fetchall())  # type: ignore[arg-type]

    def footprint(self) -> dict[str, int]:
        """Row counts of everything an accepted batch writes (refusals must not change them)."""
        tables = ("inbox_event", "quarantine", "ticket_fact", "device_state", "rating_press")
        counts = {t: int(self.scalar(f"SELECT count(*) FROM {t}")) for t in tables}
        counts["progress"] = int(
            self.scalar(
                "SELECT coalesce(sum(received_through_seq + applied_through_seq), 0) "
                "FROM station_progress"
            )
        )
        return counts

    def enrol(self, station_id: str = "ST01", name: str = "示范村便民服务站") -> FakeStation:
        issued = create_station(self.services, station_id, name)
        station = FakeStation(station_id)
        r = self.client.post(
            "/sync/v1/enrol",
            json={"code": issued.code, "station_id": station_id, "public_key": station.public_key},
        )
        assert r.status_code == 200, r.text
        station.county_public_key = r.json()["county_public_key"]
        station.county_box_public_key = r.json()["county_box_public_key"]
        return station

    def send(self, station: FakeStation, events: list[WireEvent], **tamper: Any) -> Any:
        headers, body = station.batch(events, **tamper)
        return self.client.post("/sync/v1/batches", content=body, headers=headers)


def raw_body(events: list[WireEvent]) -> bytes:
    """gzip JSON Lines of events exactly as given (``encode_body`` would re-seal hashes)."""
    lines = b"".join(canonical_json(asdict(e)) + b"\n" for e in events)
    return gzip.compress(lines, mtime=0)


def build_template(url: str) -> None:
    upgrade(url)
