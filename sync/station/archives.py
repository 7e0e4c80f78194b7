"""The sync agent carries archive packages to the county (一事一档, R-A3, R-N3).

After the events are acknowledged, each package whose ``archive.built`` event the county
holds is sent in chunks (``sync.protocol``: ``/sync/v1/archives/{archive_no}``); the county
answers how many bytes it holds, so an upload cut short goes on from there next round. A
package the county does not know yet (409 ``archive_unknown``) or refuses waits for the next
round and does not stop the others; a timeout or 5xx ends the round like any other.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from appliance.archives.service.uploads import PendingUpload, mark_uploaded, pending_uploads
from appliance.db.database import Database
from appliance.settings import Settings
from sync import crypto
from sync.canonical import sha256_hex
from sync.protocol import ARCHIVE_CHUNK, INT64_MAX, ArchiveUploadReply
from sync.station.client import CountyClient, CountyRefused
from sync.usb_format import (
    ARCHIVE_ACK_NAME,
    ARCHIVE_DIR,
    ARCHIVE_SUFFIX,
    KIND_ARCHIVE,
    KIND_ARCHIVE_ACK,
    USB_VERSION,
    Doc,
    StickFileError,
    doc_bytes,
    read_doc,
    shown,
    sign_doc,
    verify_doc,
    write_verified,
)

log = logging.getLogger("yizhan.sync")


def _send(client: CountyClient, p: PendingUpload, data: bytes) -> ArchiveUploadReply | None:
    offset, rounds = 0, len(data) // ARCHIVE_CHUNK + 3
    for _ in range(rounds * 2):
        chunk = data[offset : offset + ARCHIVE_CHUNK]
        reply = client.send_archive_chunk(p.archive_no, p.sha256, len(data), offset, chunk)
        if reply.complete:
            return reply
        if reply.received == offset and not chunk:
            return None
        offset = reply.received
    return None


def upload_archives(
    db: Database,
    settings: Settings,
    client: CountyClient,
    acked_through_seq: int,
    now: Callable[[], datetime],
) -> int:
    """Send every due package; the number the county now holds whole."""
    sent = 0
    for p in pending_uploads(db, settings.data_path, acked_through_seq):
        try:
            data = p.path.read_bytes()
        except OSError:
            log.warning("archive package %s is missing; not sent", p.archive_no)
            continue
        if hashlib.sha256(data).hexdigest() != p.sha256:
            log.warning("archive package %s differs from its record; not sent", p.archive_no)
            continue
        try:
            reply = _send(client, p, data)
        except CountyRefused as exc:
            log.warning("county refused archive package %s: %s", p.archive_no, exc.message)
            continue
        if reply is None:
            continue
        if not reply.verified:
            log.warning("county found archive package %s damaged: %s", p.archive_no, reply.problems)
        mark_uploaded(db, p.package_id, p.sha256, now())
        sent += 1
    return sent


# ---- U 盘摆渡 (docs/usb-sync.md) -------------------------------------------------------------
def archive_doc(
    p: PendingUpload,
    data: bytes,
    station_id: str,
    key_id: str,
    county_box_key: str,
    sign: Callable[[bytes], str],
) -> Doc:
    """``out/archives/<archive_no>.archive``: the zip sealed to the county, signed."""
    sealed = crypto.seal(county_box_key, data)
    return sign_doc(
        {
            "kind": KIND_ARCHIVE,
            "version": USB_VERSION,
            "station_id": station_id,
            "key_id": key_id,
            "archive_no": p.archive_no,
            "sha256": p.sha256,
            "size": len(data),
            "sealed": crypto.b64e(sealed),
            "sealed_sha256": sha256_hex(sealed),
        },
        sign,
    )


def export_archives(
    db: Database,
    settings: Settings,
    out: Path,
    station_id: str,
    key_id: str,
    county_box_key: str,
    sign: Callable[[bytes], str],
) -> int:
    """Every package the county has not confirmed, onto the stick (the events announcing them
    travel in the same export, and the county imports batches first)."""
    folder = out / ARCHIVE_DIR
    names = []
    for p in pending_uploads(db, settings.data_path, INT64_MAX):
        try:
            data = p.path.read_bytes()
        except OSError:
            continue
        if hashlib.sha256(data).hexdigest() != p.sha256:
            continue
        target = folder / f"{p.archive_no}{ARCHIVE_SUFFIX}"
        doc = archive_doc(p, data, station_id, key_id, county_box_key, sign)
        write_verified(target, doc_bytes(doc))
        names.append(target.name)
    if folder.is_dir():
        for old in folder.glob(f"*{ARCHIVE_SUFFIX}"):
            if old.name not in names:
                old.unlink(missing_ok=True)  # confirmed meanwhile
    return len(names)


def apply_archive_ack(db: Database, inbox: Path, county_public_key: str, now: datetime) -> int:
    """``in/archives.ack`` (signed by the county): the packages it holds whole."""
    path = inbox / ARCHIVE_ACK_NAME
    if not path.exists():
        return 0
    doc = read_doc(path, KIND_ARCHIVE_ACK)
    try:
        verify_doc(doc, county_public_key)
    except crypto.SignatureInvalid as exc:
        raise StickFileError(f"归档回执 {shown(path)} 签名校验失败，已跳过") from exc
    done = 0
    held = {str(a.get("archive_no")): str(a.get("sha256")) for a in doc.get("archives", [])}
    for p in pending_uploads(db, Path("."), INT64_MAX):
        if held.get(p.archive_no) == p.sha256:
            mark_uploaded(db, p.package_id, p.sha256, now)
            done += 1
    return done
