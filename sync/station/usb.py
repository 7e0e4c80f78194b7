"""U 盘摆渡 (USB sneakernet): ``yizhan sync export|import /media/usb`` on the station.

Stick layout, per station: ``yizhan/<station_id>/out/{<batch_id>.batch, station.json}`` and
``yizhan/<station_id>/in/{<batch_id>.ack, reference-NNNN.page}``; every file is one canonical
JSON object (docs/usb-sync.md). Batch bodies are sealed to the county box key pinned at
enrolment; the header, signed by the station key, stays readable and covers the plaintext
body hash. Acks and pages are signed by the county key (``sign_doc``), checked with the
PINNED key, and applied with ``outbox.apply_ack`` / ``downsync.apply_page`` — one SQLite
transaction per file. A bad file gets a Chinese message naming it, nothing of it is applied,
the rest go on. Writes: temp → fsync → rename → fsync dir → re-read and compare the hash.
The format helpers here are shared with ``sync/county/usb.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from appliance.core.clock import Clock, SystemClock
from appliance.db.database import Database
from appliance.settings import Settings
from appliance.uplink.tables import SyncState
from sync import crypto
from sync.canonical import sha256_hex
from sync.protocol import AckReply, BatchHeader, ReferencePage, WireEvent, encode_body
from sync.station.agent import GROWTH_LIMIT
from sync.station.archives import apply_archive_ack, export_archives
from sync.station.downsync import (
    PageRefused,
    _record_drift,
    apply_page,
    apply_snapshot,
    apply_to_station_tables,
    drifting_tables,
)
from sync.station.keys import KeyMissing, load_station_key
from sync.station.outbox import Batch, apply_ack, build_batch, pending_events
from sync.station.state import load_state
from sync.usb_format import (
    ACK_SUFFIX,
    BATCH_SUFFIX,
    IN_DIR,
    KIND_ACK,
    KIND_BATCH,
    KIND_MANIFEST,
    KIND_REFERENCE,
    MANIFEST_NAME,
    OUT_DIR,
    PAGE_PREFIX,
    PAGE_SUFFIX,
    USB_DIR,
    USB_VERSION,
    Doc,
    StickFileError,
    UsbError,
    doc_bytes,
    fsync_dir,
    read_doc,
    shown,
    sign_doc,
    station_dir,
    usb_root,
    verify_doc,
    write_verified,
)


def batch_doc(batch: Batch, key_sign: Callable[[bytes], str], county_box_key: str) -> Doc:
    raw_header = batch.header.to_bytes()
    sealed = crypto.seal(county_box_key, batch.body)
    return {
        "kind": KIND_BATCH,
        "version": USB_VERSION,
        "station_id": batch.header.station_id,
        "batch_id": batch.header.batch_id,
        "header": crypto.b64e(raw_header),
        "header_signature": key_sign(raw_header),
        "sealed_body": crypto.b64e(sealed),
        "sealed_sha256": sha256_hex(sealed),
    }


# ---- station side ------------------------------------------------------------------------------
@dataclass
class UsbReport:
    """What an export or import did: ``lines`` to print, ``errors`` (also printed)."""

    lines: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    batches: int = 0
    events: int = 0
    acks: int = 0
    pages: int = 0
    rows: int = 0
    quarantined: int = 0
    acked_through_seq: int = 0

    def say(self, line: str) -> None:
        self.lines.append(line)

    def fail(self, line: str) -> None:
        self.errors.append(line)
        self.lines.append(line)


def _enrolled(db: Database) -> SyncState:
    state = load_state(db)
    if state is None:
        raise UsbError("本站尚未登记到县级中心，请先运行 yizhan sync enrol <登记码>")
    return state


def export_to_stick(
    settings: Settings, db: Database, path: Path, clock: Clock | None = None
) -> UsbReport:
    """Write every unacknowledged event as sealed, signed batches plus the manifest."""
    now = (clock or SystemClock()).now()
    state = _enrolled(db)
    if not state.county_box_key:
        raise UsbError(
            "本站登记时没有取得县级中心的 U 盘加密公钥，请重新登记（yizhan sync enrol --force）"
        )
    if not path.is_dir():
        raise UsbError(f"找不到 U 盘目录 {path}，请确认 U 盘已插好并挂载")
    try:
        key = load_station_key(settings)
    except KeyMissing as exc:
        raise UsbError(str(exc)) from exc

    def key_sign(message: bytes) -> str:
        return crypto.sign(key, message)

    out = station_dir(path, state.station_id) / OUT_DIR
    max_bytes = state.max_batch_bytes or settings.sync_batch_bytes
    max_events = max(1, settings.sync_batch_events) * GROWTH_LIMIT
    report = UsbReport(acked_through_seq=state.acked_through_seq)
    after, names = state.acked_through_seq, []
    while True:
        events = pending_events(db, after, max_events)
        if not events:
            break
        batch = build_batch(events, max_bytes, state.station_id, state.key_id, now)
        target = out / f"{batch.header.batch_id}{BATCH_SUFFIX}"
        write_verified(target, doc_bytes(batch_doc(batch, key_sign, state.county_box_key)))
        names.append(target.name)
        report.batches += 1
        report.events += batch.header.count
        after = batch.header.last_seq
    manifest = sign_doc(
        {
            "kind": KIND_MANIFEST,
            "version": USB_VERSION,
            "station_id": state.station_id,
            "key_id": state.key_id,
            "acked_through_seq": state.acked_through_seq,
            "last_seq": after,
            "ref_rev": state.ref_rev,
            "want_snapshot": bool(state.drift_tables),
            "batches": names,
            "exported_at": now.isoformat(),
        },
        key_sign,
    )
    write_verified(out / MANIFEST_NAME, doc_bytes(manifest))
    archives = export_archives(
        db, settings, out, state.station_id, state.key_id, state.county_box_key, key_sign
    )
    for old in out.glob(f"*{BATCH_SUFFIX}"):  # superseded by this export (same events)
        if old.name not in names:
            old.unlink(missing_ok=True)
    fsync_dir(out)
    where = shown(out)
    if report.batches:
        report.say(
            f"已导出 {report.batches} 批、共 {report.events} 条待上传记录"
            f"（第 {state.acked_through_seq + 1}–{after} 条）到 U 盘 {where}"
        )
    else:
        report.say(
            f"没有待上传的记录（已确认至第 {state.acked_through_seq} 条）；"
            f"已在 U 盘 {where} 写入站点清单，用于领取参考数据"
        )
    if archives:
        report.say(f"已导出 {archives} 个待上传的归档信息包（一事一档）")
    report.say("批次内容已加密，只有县级中心能打开；请把 U 盘送到县级中心导入")
    return report


def _events_of(db: Database, header: BatchHeader) -> list[WireEvent]:
    events = pending_events(db, header.first_seq - 1, header.count)
    if (
        len(events) != header.count
        or not events
        or events[-1].seq != header.last_seq
        or sha256_hex(encode_body(events)) != header.body_sha256
    ):
        return []
    return events


def _read_ack(db: Database, state: SyncState, path: Path) -> tuple[Batch, AckReply] | None:
    doc = read_doc(path, KIND_ACK)
    name = shown(path)
    try:
        verify_doc(doc, state.county_public_key)
    except crypto.SignatureInvalid as exc:
        raise StickFileError(
            f"回执 {name} 签名校验失败（不是本站登记的县级中心签发，或已被改动），未应用"
        ) from exc
    if doc.get("station_id") != state.station_id:
        return None
    try:
        header = BatchHeader(**doc["header"])
        reply = AckReply.from_json(doc["reply"])
    except (KeyError, TypeError, ValueError) as exc:
        raise StickFileError(f"回执 {name} 内容不完整，未应用") from exc
    if header.station_id != state.station_id or reply.batch_id != header.batch_id:
        raise StickFileError(f"回执 {name} 与其批次不符，未应用")
    events = _events_of(db, header)
    if not events:
        raise StickFileError(
            f"回执 {name} 所确认的第 {header.first_seq}–{header.last_seq} 条记录与本站记录不符，未应用"
        )
    return Batch(header, b"", events), reply


def _apply_reference(
    db: Database, state: SyncState, path: Path, now: datetime, report: UsbReport
) -> None:
    doc = read_doc(path, KIND_REFERENCE)
    name = shown(path)
    try:
        verify_doc(doc, state.county_public_key)
    except crypto.SignatureInvalid as exc:
        raise StickFileError(
            f"参考数据 {name} 签名校验失败（不是本站登记的县级中心签发，或已被改动），未应用"
        ) from exc
    if doc.get("station_id") != state.station_id:
        report.say(f"文件 {name} 属于站点 {doc.get('station_id')}，不是本站的，已忽略")
        return
    try:
        page = ReferencePage.from_json(doc["page"])
        since = int(doc.get("since", 0))
    except (KeyError, TypeError, ValueError) as exc:
        raise StickFileError(f"参考数据 {name} 内容不完整，未应用") from exc
    current = _enrolled(db).ref_rev
    if page.next_rev < current or (page.next_rev == current and not page.rows):
        report.say(
            f"参考数据 {name}（版本 {page.next_rev}）不比本站现有的（版本 {current}）新，跳过"
        )
        return
    try:
        if page.snapshot:
            report.rows += apply_snapshot(db, page, now)
        else:
            if since > current:
                raise StickFileError(
                    f"参考数据 {name} 从版本 {since} 起，本站只到版本 {current}，中间缺失，未应用；"
                    "请重新导出后再到县级中心导入"
                )
            report.rows += apply_page(db, page, now)
    except PageRefused as exc:
        raise StickFileError(f"参考数据 {name}：{exc.message}") from exc
    report.pages += 1
    if not page.more and page.table_hashes:
        drift = drifting_tables(db, page.table_hashes)
        _record_drift(db, drift, now)
        if drift:
            report.say(f"参考数据与县级中心不一致（{'、'.join(drift)}），下次导出时将申请完整快照")


def import_from_stick(db: Database, path: Path, clock: Clock | None = None) -> UsbReport:
    """Apply the county's acks and reference pages from the stick (each file one txn)."""
    now = (clock or SystemClock()).now()
    state = _enrolled(db)
    root = usb_root(path)
    if not root.is_dir():
        raise UsbError(f"U 盘 {path} 上没有 {USB_DIR} 目录，请确认插的是送过县级中心的 U 盘")
    report = UsbReport(acked_through_seq=state.acked_through_seq)
    for other in sorted(p for p in root.iterdir() if p.is_dir() and p.name != state.station_id):
        report.say(f"U 盘上的 {shown(other)} 属于站点 {other.name}，不是本站的，已忽略")
    inbox = station_dir(path, state.station_id) / IN_DIR
    if not inbox.is_dir():
        report.say(
            "U 盘上还没有县级中心给本站的回执，请先在县级中心导入（yizhan county import-usb）"
        )
        return report
    acks: list[tuple[Batch, AckReply]] = []
    for p in sorted(inbox.glob(f"*{ACK_SUFFIX}")):
        try:
            got = _read_ack(db, state, p)
        except StickFileError as exc:
            report.fail(exc.message)
            continue
        if got is None:
            report.say(f"回执 {shown(p)} 属于其他站点，不是本站的，已忽略")
        else:
            acks.append(got)
    for batch, reply in sorted(acks, key=lambda a: (a[0].header.first_seq, a[0].header.last_seq)):
        outcome = apply_ack(db, batch, reply, now)
        report.acks += 1
        report.quarantined += outcome.quarantined
        report.acked_through_seq = max(report.acked_through_seq, outcome.after)
    for p in sorted(inbox.glob(f"{PAGE_PREFIX}*{PAGE_SUFFIX}")):
        try:
            _apply_reference(db, state, p, now, report)
        except StickFileError as exc:
            report.fail(exc.message)
    try:
        if held := apply_archive_ack(db, inbox, state.county_public_key, now):
            report.say(f"县级中心已收妥并核验 {held} 个归档信息包")
    except StickFileError as exc:
        report.fail(exc.message)
    for message in apply_to_station_tables(db, now) if report.pages else []:
        report.say(message)
    after = _enrolled(db)
    if report.acks:
        moved = after.acked_through_seq - state.acked_through_seq
        report.say(
            f"已应用 {report.acks} 份县级中心回执：新确认 {moved} 条，"
            f"已确认至第 {after.acked_through_seq} 条"
        )
    if report.quarantined:
        report.say(f"其中 {report.quarantined} 条被县级中心拒收或有冲突，已放入隔离区")
    if report.pages:
        report.say(
            f"已应用 {report.pages} 页参考数据，更新 {report.rows} 行，参考数据版本 {after.ref_rev}"
        )
    if not report.acks and not report.pages and not report.errors:
        report.say("U 盘上没有需要应用的新内容")
    if pending_events(db, after.acked_through_seq, 1):
        report.say("仍有未确认的记录，可再次导出（yizhan sync export）送县级中心")
    return report


# ---- CLI entry points (wired in yizhan/cli.py) ----------------------------------------------
def _print(report: UsbReport) -> int:
    for line in report.lines:
        print(line)
    return 1 if report.errors else 0


def _main(settings: Settings, verb: str, run: Callable[[Database], UsbReport]) -> int:
    db = Database(settings.sqlalchemy_url)
    try:
        return _print(run(db))
    except UsbError as exc:
        print(f"{verb}失败：{exc.message}")
        return 1
    finally:
        db.dispose()


def usb_export_main(settings: Settings, path: str | Path) -> int:
    """``yizhan sync export /media/usb``: 0 when written and verified, else 1."""
    return _main(settings, "导出", lambda db: export_to_stick(settings, db, Path(path)))


def usb_import_main(settings: Settings, path: str | Path) -> int:
    """``yizhan sync import /media/usb``: 0 when every file applied, else 1."""
    return _main(settings, "导入", lambda db: import_from_stick(db, Path(path)))
