"""U 盘摆渡 of archive packages, county side (一事一档, R-A3; docs/usb-sync.md).

After a station's batches (so its ``archive.built`` events are in), every
``out/archives/<archive_no>.archive`` on the stick is checked — the station key's signature,
the sealed bytes' hash — unsealed with the county box key and stored through the same
``store_chunk`` as the network path (whole, at offset 0), which checks the zip against the
event's digest and its manifest. ``in/archives.ack``, signed by the county key, then lists
every package of the station the county holds whole, so the station stops carrying them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlmodel import col, select

from appliance.core.errors import DomainError
from sync import crypto
from sync.canonical import sha256_hex
from sync.county.archive_models import CORRUPT, VERIFIED, CountyArchive
from sync.county.archive_upload import MAX_ARCHIVE_BYTES, store_chunk
from sync.county.enrolment import usable_station
from sync.county.models import Station
from sync.county.services import CountyServices
from sync.usb_format import (
    ARCHIVE_ACK_NAME,
    ARCHIVE_DIR,
    ARCHIVE_SUFFIX,
    IN_DIR,
    KIND_ARCHIVE,
    KIND_ARCHIVE_ACK,
    OUT_DIR,
    USB_VERSION,
    StickFileError,
    doc_bytes,
    read_doc,
    shown,
    sign_doc,
    verify_doc,
    write_verified,
)


def _one(svc: CountyServices, station: Station, path: Path) -> bool:
    """Store one package file; True when it checked out whole (False: damaged at the station)."""
    name = shown(path)
    doc = read_doc(path, KIND_ARCHIVE)
    try:
        with svc.db.tx() as s:
            usable_station(s, station.id, str(doc.get("key_id", "")))
        verify_doc(doc, station.public_key or "")
    except DomainError as exc:
        raise StickFileError(f"归档信息包 {name}：{exc.message}") from exc
    except crypto.SignatureInvalid as exc:
        raise StickFileError(f"归档信息包 {name} 签名校验失败（可能被伪造或改动），已跳过") from exc
    if doc.get("station_id") != station.id:
        raise StickFileError(f"归档信息包 {name} 属于站点 {doc.get('station_id')}，已跳过")
    try:
        sealed = crypto.b64d(str(doc["sealed"]))
        if sha256_hex(sealed) != doc.get("sealed_sha256"):
            raise ValueError("sealed hash")
        data = crypto.unseal(svc.keys.box, sealed)
    except (KeyError, ValueError, crypto.SignatureInvalid) as exc:
        raise StickFileError(f"归档信息包 {name} 已损坏或无法解密，已跳过") from exc
    try:
        reply = store_chunk(
            svc,
            station.id,
            str(doc.get("archive_no", "")),
            str(doc.get("sha256", "")),
            len(data),
            0,
            data,
            max_chunk=MAX_ARCHIVE_BYTES,
        )
    except DomainError as exc:
        raise StickFileError(f"归档信息包 {name} 被拒收：{exc.message}（{exc.code}）") from exc
    if not reply.verified:
        raise StickFileError(f"归档信息包 {name} 内容校验不符：{'；'.join(reply.problems)}")
    return True


def import_archives(
    svc: CountyServices,
    sdir: Path,
    station: Station,
    say: Callable[[str], None],
    fail: Callable[[str], None],
) -> None:
    files = sorted((sdir / OUT_DIR / ARCHIVE_DIR).glob(f"*{ARCHIVE_SUFFIX}"))
    stored = 0
    for path in files:
        try:
            stored += _one(svc, station, path)
        except StickFileError as exc:
            fail(exc.message)
    with svc.db.tx() as s:
        held = s.exec(
            select(CountyArchive).where(
                CountyArchive.station_id == station.id,
                col(CountyArchive.status).in_([VERIFIED, CORRUPT]),
            )
        ).all()
        listed = [{"archive_no": a.archive_no, "sha256": a.sha256} for a in held]
    if files:
        say(f"站点 {station.id}：收妥并核验归档信息包 {stored} 个（共 {len(files)} 个）")
    if listed or files:
        ack = sign_doc(
            {
                "kind": KIND_ARCHIVE_ACK,
                "version": USB_VERSION,
                "station_id": station.id,
                "county_key_id": svc.keys.key_id,
                "archives": listed,
                "written_at": svc.clock.now().isoformat(),
            },
            svc.keys.sign,
        )
        write_verified(sdir / IN_DIR / ARCHIVE_ACK_NAME, doc_bytes(ack))
