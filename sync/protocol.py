"""The station ↔ county wire protocol (version 1). Both sides import only this module.

Up-sync (store-and-forward):
    POST {county}/sync/v1/batches
      header  X-Yizhan-Batch:     base64(canonical JSON of BatchHeader)
      header  X-Yizhan-Signature: base64(Ed25519 signature over those header bytes)
      body    gzip(JSON Lines of events, one canonical JSON object per line)
    The header covers the body's SHA-256, so one signature covers everything.
    Reply 200: AckReply JSON. 4xx: {"error", "message"} and nothing was written.
    Timeouts and 5xx mean "unknown": the station retries the same events (idempotent).

Down-sync (reference data):
    GET {county}/sync/v1/reference?since=REV&limit=N  (X-Yizhan-Station, X-Yizhan-Key-Id)
    Reply 200: SignedPage JSON {"page": {...}, "signature": b64} signed by the county key
    pinned at enrolment; 410 {"error": "snapshot_required"} when REV is too old, then
    GET {county}/sync/v1/snapshot gives the same shape with "snapshot": true.

Archive packages (一事一档, R-A3): the package's digest travels in its ``archive.built``
event; the zip follows once that event is acknowledged, in chunks, resumable:
    POST {county}/sync/v1/archives/{archive_no}?sha256=HEX&size=N&offset=K
      headers X-Yizhan-Station, X-Yizhan-Key-Id, X-Yizhan-Signature (as for down-sync GETs:
      the signature covers the path and the query, so it binds the package digest)
      body    bytes K … K+len of the zip
    Reply 200: ArchiveUploadReply; a chunk at the wrong offset writes nothing and the reply's
    ``received`` says where to go on. The county checks the whole zip against the digest of
    the event and every file against the package's manifest.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from sync.canonical import canonical_json, sha256_hex

PROTOCOL_VERSION = 1
BATCH_HEADER = "X-Yizhan-Batch"
SIGNATURE_HEADER = "X-Yizhan-Signature"
STATION_HEADER = "X-Yizhan-Station"
KEY_ID_HEADER = "X-Yizhan-Key-Id"
DEFAULT_MAX_BODY = 1024 * 1024  # compressed bytes the county accepts in one batch
DEFAULT_MAX_INFLATED = 16 * 1024 * 1024  # a gzip bomb stops here
EVENT_STATUSES = ("accepted", "duplicate", "conflict", "rejected")
INT64_MAX = 2**63 - 1


def _typed(values: Mapping[str, Any], types: Mapping[str, type]) -> bool:
    """Whether each named value has its type (an int is never a bool) and fits 64 bits."""
    for name, kind in types.items():
        value = values.get(name)
        if kind is int:
            if not isinstance(value, int) or isinstance(value, bool):
                return False
            if not 0 <= value <= INT64_MAX:
                return False
        elif not isinstance(value, kind):
            return False
    return True


_HEADER_TYPES = {
    "protocol": int,
    "station_id": str,
    "batch_id": str,
    "first_seq": int,
    "last_seq": int,
    "count": int,
    "body_sha256": str,
    "key_id": str,
    "created_at": str,
}
_EVENT_TYPES = {
    "seq": int,
    "id": str,
    "type": str,
    "entity": str,
    "entity_id": str,
    "payload": dict,
    "occurred_at": str,
    "hash": str,
}


class BatchRejected(Exception):
    """A whole batch is refused; ``code`` is machine-readable, ``message`` Chinese."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


@dataclass(frozen=True)
class WireEvent:
    """One station event as it travels; ``hash`` covers every other field."""

    seq: int
    id: str
    type: str
    entity: str
    entity_id: str
    payload: dict[str, Any]
    occurred_at: str
    hash: str = ""

    def body(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("hash")
        return d

    def computed_hash(self) -> str:
        return sha256_hex(canonical_json(self.body()))

    def sealed(self) -> WireEvent:
        """The same event with its hash filled in."""
        return WireEvent(**{**self.body(), "hash": self.computed_hash()})


@dataclass(frozen=True)
class BatchHeader:
    protocol: int
    station_id: str
    batch_id: str
    first_seq: int
    last_seq: int
    count: int
    body_sha256: str
    key_id: str
    created_at: str
    compression: str = "gzip"

    def to_bytes(self) -> bytes:
        return canonical_json(asdict(self))

    @classmethod
    def from_bytes(cls, raw: bytes) -> BatchHeader:
        try:
            data = json.loads(raw)
            header = cls(**data)
        except (ValueError, TypeError, RecursionError) as exc:
            raise BatchRejected("bad_header", "批次头格式不正确") from exc
        if not _typed(data, _HEADER_TYPES) or not isinstance(header.compression, str):
            raise BatchRejected("bad_header", "批次头格式不正确（字段类型或取值不对）")
        if header.protocol != PROTOCOL_VERSION:
            raise BatchRejected("bad_protocol", f"不支持的协议版本 {header.protocol}")
        if header.compression != "gzip":
            raise BatchRejected("bad_compression", "只支持 gzip 压缩")
        return header


def encode_body(events: list[WireEvent]) -> bytes:
    lines = b"".join(canonical_json(asdict(e.sealed())) + b"\n" for e in events)
    return gzip.compress(lines, compresslevel=6, mtime=0)


def decode_body(
    body: bytes, header: BatchHeader, max_inflated: int = DEFAULT_MAX_INFLATED
) -> list[WireEvent]:
    """Check hash, size, count and order; never inflates past ``max_inflated`` (gzip bomb)."""
    if sha256_hex(body) != header.body_sha256:
        raise BatchRejected("bad_body_hash", "批次内容校验失败（可能已截断或损坏）")
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as gz:
            raw = gz.read(max_inflated + 1)
    except (OSError, EOFError) as exc:
        raise BatchRejected("bad_gzip", "批次内容无法解压") from exc
    if len(raw) > max_inflated:
        raise BatchRejected("too_large", "批次解压后过大，已拒收", 413)
    events = []
    try:
        for line in raw.splitlines():
            if line.strip():
                data = json.loads(line)
                if not isinstance(data, dict) or not _typed(data, _EVENT_TYPES):
                    raise TypeError("event fields of the wrong type")
                events.append(WireEvent(**data))
    except (ValueError, TypeError, RecursionError) as exc:
        raise BatchRejected("bad_event", "批次中有无法解析的记录") from exc
    if len(events) != header.count:
        raise BatchRejected("bad_count", "批次记录数与批次头不符")
    seqs = [e.seq for e in events]
    if seqs != sorted(seqs) or len(set(seqs)) != len(seqs):
        raise BatchRejected("bad_order", "批次记录序号乱序或重复")
    if events and (seqs[0] != header.first_seq or seqs[-1] != header.last_seq):
        raise BatchRejected("bad_range", "批次记录序号与批次头不符")
    return events


@dataclass
class EventResult:
    event_id: str
    seq: int
    status: str  # accepted | duplicate | conflict | rejected
    reason: str = ""


@dataclass
class AckReply:
    """The county's answer to a batch."""

    batch_id: str
    results: list[EventResult]
    acked_through_seq: int  # every event ≤ this seq is stored at the county
    backlog: int = 0  # events held back behind a gap
    max_batch_bytes: int = DEFAULT_MAX_BODY
    county_time: str = ""  # the county's clock (ISO 8601) when it answered: no RTC at stations

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AckReply:
        return cls(
            batch_id=str(data["batch_id"]),
            results=[EventResult(**r) for r in data["results"]],
            acked_through_seq=int(data["acked_through_seq"]),
            backlog=int(data.get("backlog", 0)),
            max_batch_bytes=int(data.get("max_batch_bytes", DEFAULT_MAX_BODY)),
            county_time=str(data.get("county_time", "")),
        )


@dataclass
class ReferenceRow:
    """One row of a reference table (catalogue, holidays, staff, settings, bookings)."""

    table: str
    id: str
    rev: int
    deleted: bool
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class ReferencePage:
    rows: list[ReferenceRow]
    next_rev: int  # ask with since=next_rev for more
    more: bool
    snapshot: bool = False
    table_hashes: dict[str, str] = field(default_factory=dict)  # drift check, see table_hash

    def to_bytes(self) -> bytes:
        return canonical_json(asdict(self))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReferencePage:
        return cls(
            rows=[ReferenceRow(**r) for r in data["rows"]],
            next_rev=int(data["next_rev"]),
            more=bool(data["more"]),
            snapshot=bool(data.get("snapshot", False)),
            table_hashes=dict(data.get("table_hashes", {})),
        )


def reference_request_bytes(
    station_id: str, key_id: str, path: str, query: Mapping[str, str]
) -> bytes:
    """What a signed down-sync GET's ``X-Yizhan-Signature`` covers: canonical JSON of the
    station, its key id, the path and the query values exactly as sent (strings)."""
    return canonical_json(
        {"station_id": station_id, "key_id": key_id, "path": path, "query": dict(query)}
    )


def table_hash(pairs: list[tuple[str, int]]) -> str:
    """Hash of (id, rev) over a table's live rows: equal hashes mean no drift."""
    return sha256_hex(canonical_json(sorted([i, r] for i, r in pairs)))


ARCHIVES_PATH = "/sync/v1/archives"
ARCHIVE_CHUNK = 512 * 1024  # bytes of a package sent in one request (below the batch limit)


@dataclass
class ArchiveUploadReply:
    """The county's answer to one chunk of a package."""

    archive_no: str
    received: int  # bytes the county holds; the next chunk starts here
    complete: bool  # every byte arrived and the zip matches the event's digest
    verified: bool  # and every file matches the package's manifest
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ArchiveUploadReply:
        return cls(
            archive_no=str(data["archive_no"]),
            received=int(data["received"]),
            complete=bool(data["complete"]),
            verified=bool(data["verified"]),
            problems=[str(p) for p in data.get("problems", [])],
        )
