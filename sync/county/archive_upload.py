"""Receiving the stations' archive packages (一事一档, R-A3, R-N3).

A station sends a package's zip after the county has acknowledged its ``archive.built``
event, in chunks of ``ARCHIVE_CHUNK`` bytes, each a signed POST (see ``sync.protocol``).
The county:

1. authenticates the station (its enrolled key signs path and query — always, whatever
   ``require_signed_reads`` says: this is a write);
2. accepts only a package the station's events announced, with the same digest and size
   (409 ``archive_unknown`` otherwise: the station sends it again after its events);
3. appends a chunk only at the offset it holds (a repeat or a gap writes nothing, and the
   answer says where to go on), so an upload cut short resumes where it stopped;
4. once whole, checks the zip's SHA-256 against the event's digest (a mismatch throws the
   bytes away: 400, sent again) and every file against the package's manifest and the
   event's content digest (a package damaged at the station stays ``corrupt``, named).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping

from appliance.archives.service.store import verify_bytes
from appliance.core.errors import Conflict, Invalid, Unauthenticated
from sync import crypto
from sync.county.archive_models import (
    CORRUPT,
    VERIFIED,
    CountyArchive,
    CountyArchiveBlob,
)
from sync.county.enrolment import usable_station
from sync.county.services import CountyServices
from sync.protocol import ARCHIVE_CHUNK, ArchiveUploadReply, reference_request_bytes

ARCHIVE_NO = re.compile(r"^[A-Z0-9]{2,16}-\d{4}-(Y|D30|D10)-\d{8}-\d{4,6}$")
HEX64 = re.compile(r"^[0-9a-f]{64}$")
MAX_ARCHIVE_BYTES = 256 * 1024 * 1024


def _int(value: str | None, name: str) -> int:
    if value is None or not value.isdigit() or len(value) > 12:
        raise Invalid(f"参数 {name} 须为非负整数", "bad_query")
    return int(value)


def receive_chunk(
    svc: CountyServices,
    headers: Mapping[str, str | None],
    path: str,
    query: Mapping[str, str],
    archive_no: str,
    body: bytes,
) -> ArchiveUploadReply:
    station_id, key_id, signature = (
        headers.get("station") or "",
        headers.get("key_id") or "",
        headers.get("signature") or "",
    )
    if not station_id or not key_id:
        raise Unauthenticated("缺少站点编码或密钥编号", "no_station")
    with svc.db.tx() as s:
        station = usable_station(s, station_id, key_id)
    try:
        message = reference_request_bytes(station_id, key_id, path, dict(query))
        crypto.verify(station.public_key or "", message, signature)
    except crypto.SignatureInvalid as exc:
        raise Unauthenticated("请求签名校验失败，拒收归档信息包", "bad_signature") from exc
    sha256 = query.get("sha256", "")
    size, offset = _int(query.get("size"), "size"), _int(query.get("offset"), "offset")
    return store_chunk(svc, station_id, archive_no, sha256, size, offset, body)


def store_chunk(
    svc: CountyServices,
    station_id: str,
    archive_no: str,
    sha256: str,
    size: int,
    offset: int,
    body: bytes,
    max_chunk: int = ARCHIVE_CHUNK,
) -> ArchiveUploadReply:
    """Steps 2–4 for an authenticated station (the network path, or a USB stick whose file
    the station key signed): append ``body`` at ``offset`` and check the whole."""
    if not ARCHIVE_NO.match(archive_no):
        raise Invalid(f"档号“{archive_no}”格式不正确", "bad_archive_no")
    if not HEX64.match(sha256):
        raise Invalid("参数 sha256 须为 64 位十六进制摘要", "bad_query")
    if size > MAX_ARCHIVE_BYTES or len(body) > max_chunk or offset + len(body) > size:
        raise Invalid("归档信息包分块超出声明的大小或上限", "bad_chunk")
    with svc.db.tx() as s:
        row = s.get(CountyArchive, (station_id, archive_no), with_for_update=True)
        if row is None or row.sha256 != sha256 or row.size != size:
            raise Conflict(
                f"县级中心尚未收到归档信息包 {archive_no} 的登记（或摘要不符），请先同步记录",
                "archive_unknown",
            )
        blob = s.get(CountyArchiveBlob, (station_id, archive_no), with_for_update=True)
        if row.status in (VERIFIED, CORRUPT) and blob is not None and blob.sha256 == sha256:
            return _reply(row, len(blob.data))
        if blob is not None and offset == 0 and len(body) == size:
            blob.data = b""  # the whole package in one piece replaces what came before
        if blob is None or blob.sha256 != sha256:
            blob = blob or CountyArchiveBlob(
                station_id=station_id, archive_no=archive_no, sha256=""
            )
            blob.sha256, blob.data = sha256, b""
        if offset != len(blob.data):
            s.add(blob)
            return _reply(row, len(blob.data))  # a repeat or a gap: nothing written
        blob.data = blob.data + body
        s.add(blob)
        if len(blob.data) < size:
            return _reply(row, len(blob.data))
        if hashlib.sha256(blob.data).hexdigest() != sha256:
            blob.data = b""
            s.add(blob)
            s.commit()
            raise Invalid(
                f"归档信息包 {archive_no} 传输后摘要不符，已丢弃，请重新发送", "archive_digest"
            )
        checked = verify_bytes(blob.data, archive_no, sha256, row.content_digest)
        row.status = VERIFIED if checked.findings.ok else CORRUPT
        row.problems = "\n".join(checked.findings.lines())[:2000]
        row.verified_at = svc.clock.now()
        s.add(row)
        return _reply(row, len(blob.data))


def _reply(row: CountyArchive, received: int) -> ArchiveUploadReply:
    done = row.status in (VERIFIED, CORRUPT)
    return ArchiveUploadReply(
        archive_no=row.archive_no,
        received=received,
        complete=done,
        verified=row.status == VERIFIED,
        problems=row.problems.splitlines() if row.problems else [],
    )
