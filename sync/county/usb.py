"""U 盘摆渡, county side: ``yizhan county import-usb /media/usb``.

For each station folder on the stick (layout in ``sync/station/usb.py``):
  1. the manifest ``out/station.json`` is checked against the station's enrolled key (it
     carries the station's reference cursor);
  2. every ``out/*.batch`` is unsealed with the county box key and fed, in sequence order,
     through the SAME ``ingest_batch`` as the network path — so a second import of the same
     stick only finds duplicates, and a refused batch writes nothing;
  3. the AckReply of each stored batch, signed by the county key, goes to
     ``in/<batch_id>.ack``; the reference delta since the manifest's ``ref_rev`` (or the
     snapshot when the cursor is too old, unknown, or the station asked for one) goes to
     ``in/reference-NNNN.page``. Written temp → fsync → rename → re-read and verify.
A damaged, truncated or foreign file gets a Chinese message naming it; the rest go on.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from appliance.core.errors import DomainError
from sync import crypto
from sync.canonical import sha256_hex
from sync.county.archive_usb import import_archives
from sync.county.enrolment import usable_station
from sync.county.ingest import IncomingBatch, ingest_batch
from sync.county.models import Station
from sync.county.reference import SnapshotRequired, reference_page, reference_snapshot
from sync.county.services import CountyServices, build_county_services
from sync.county.settings import CountySettings
from sync.protocol import AckReply, BatchHeader, BatchRejected, ReferencePage
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
    STATION_ID_RE,
    USB_VERSION,
    Doc,
    StickFileError,
    UsbError,
    doc_bytes,
    read_doc,
    shown,
    sign_doc,
    usb_root,
    verify_doc,
    write_verified,
)

MAX_PAGES = 10_000


@dataclass(frozen=True)
class StickBatch:
    """A ``.batch`` file as read: header still to be verified, body still sealed."""

    path: Path
    header_b64: str
    header_signature: str
    header: BatchHeader
    sealed: bytes


def read_batch_file(path: Path) -> StickBatch:
    doc = read_doc(path, KIND_BATCH)
    name = shown(path)
    try:
        header_b64 = str(doc["header"])
        header = BatchHeader.from_bytes(crypto.b64d(header_b64))
        sealed = crypto.b64d(str(doc["sealed_body"]))
        signature = str(doc["header_signature"])
        expected = str(doc["sealed_sha256"])
    except (KeyError, crypto.SignatureInvalid) as exc:
        raise StickFileError(f"文件 {name} 缺少内容或已损坏，已跳过") from exc
    except BatchRejected as exc:
        raise StickFileError(f"文件 {name} 的批次头已损坏（{exc}），已跳过") from exc
    if sha256_hex(sealed) != expected:
        raise StickFileError(f"文件 {name} 的批次内容校验失败（已损坏或被改动），已跳过")
    return StickBatch(path, header_b64, signature, header, sealed)


@dataclass
class CountyUsbReport:
    lines: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    batches: int = 0
    accepted: int = 0
    duplicates: int = 0
    conflicts: int = 0
    acks_written: int = 0
    pages_written: int = 0

    def say(self, line: str) -> None:
        self.lines.append(line)

    def fail(self, line: str) -> None:
        self.errors.append(line)
        self.lines.append(line)


def _ack_doc(svc: CountyServices, station_id: str, header: BatchHeader, reply: AckReply) -> Doc:
    return sign_doc(
        {
            "kind": KIND_ACK,
            "version": USB_VERSION,
            "station_id": station_id,
            "county_key_id": svc.keys.key_id,
            "header": asdict(header),
            "reply": reply.to_json(),
            "written_at": svc.clock.now().isoformat(),
        },
        svc.keys.sign,
    )


def _page_doc(
    svc: CountyServices, station_id: str, index: int, since: int, page: ReferencePage
) -> Doc:
    return sign_doc(
        {
            "kind": KIND_REFERENCE,
            "version": USB_VERSION,
            "station_id": station_id,
            "county_key_id": svc.keys.key_id,
            "index": index,
            "since": since,
            "page": asdict(page),
            "written_at": svc.clock.now().isoformat(),
        },
        svc.keys.sign,
    )


def _station(svc: CountyServices, station_id: str) -> Station | None:
    with svc.db.tx() as s:
        return s.get(Station, station_id)


def _manifest(svc: CountyServices, station: Station, path: Path) -> Doc | None:
    """The station's signed manifest, or None (with the reason raised as StickFileError)."""
    if not path.exists():
        return None
    doc = read_doc(path, KIND_MANIFEST)
    try:
        with svc.db.tx() as s:
            usable_station(s, station.id, str(doc.get("key_id", "")))
        verify_doc(doc, station.public_key or "")
    except DomainError as exc:
        raise StickFileError(f"站点清单 {shown(path)}：{exc.message}") from exc
    except crypto.SignatureInvalid as exc:
        raise StickFileError(
            f"站点清单 {shown(path)} 签名校验失败（可能被伪造或改动），已跳过"
        ) from exc
    if doc.get("station_id") != station.id:
        raise StickFileError(f"站点清单 {shown(path)} 属于站点 {doc.get('station_id')}，已跳过")
    return doc


def _unseal(svc: CountyServices, sb: StickBatch) -> bytes:
    try:
        return crypto.unseal(svc.keys.box, sb.sealed)
    except (crypto.SignatureInvalid, ValueError) as exc:
        raise StickFileError(
            f"文件 {shown(sb.path)} 无法解密（不是加密给本县级中心的，或已损坏），已跳过"
        ) from exc


def _ingest_file(svc: CountyServices, sdir: Path, sb: StickBatch, report: CountyUsbReport) -> bool:
    name = shown(sb.path)
    body = _unseal(svc, sb)
    try:
        reply = ingest_batch(
            svc, IncomingBatch(sb.header_b64, sb.header_signature, body, live=False)
        )
    except (BatchRejected, DomainError) as exc:
        raise StickFileError(
            f"文件 {name} 被拒收：{exc.message}（{exc.code}），未写入任何记录"
        ) from exc
    counts = {
        k: sum(1 for r in reply.results if r.status == k)
        for k in ("accepted", "duplicate", "conflict", "rejected")
    }
    report.batches += 1
    report.accepted += counts["accepted"]
    report.duplicates += counts["duplicate"]
    report.conflicts += counts["conflict"] + counts["rejected"]
    target = sdir / IN_DIR / f"{sb.header.batch_id}{ACK_SUFFIX}"
    write_verified(target, doc_bytes(_ack_doc(svc, sb.header.station_id, sb.header, reply)))
    report.acks_written += 1
    return True


def _write_reference(
    svc: CountyServices, sdir: Path, station_id: str, since: int | None, report: CountyUsbReport
) -> None:
    inbox = sdir / IN_DIR
    for old in inbox.glob(f"{PAGE_PREFIX}*{PAGE_SUFFIX}"):
        old.unlink(missing_ok=True)
    pages: list[tuple[int, ReferencePage]] = []
    if since is not None:
        try:
            cursor = since
            for _ in range(MAX_PAGES):
                page = reference_page(svc, cursor)
                pages.append((cursor, page))
                if not page.more:
                    break
                cursor = page.next_rev
        except SnapshotRequired:
            pages = []
    if not pages:
        pages = [(0, reference_snapshot(svc))]
    for i, (start, page) in enumerate(pages, 1):
        target = inbox / f"{PAGE_PREFIX}{i:04d}{PAGE_SUFFIX}"
        write_verified(target, doc_bytes(_page_doc(svc, station_id, i, start, page)))
    report.pages_written += len(pages)
    kind = "完整快照" if pages[0][1].snapshot else f"自版本 {pages[0][0]} 起的增量"
    rows = sum(len(p.rows) for _, p in pages)
    report.say(
        f"站点 {station_id}：已写回参考数据{kind} {len(pages)} 页、{rows} 行"
        f"（至版本 {pages[-1][1].next_rev}）"
    )


def _import_station(svc: CountyServices, sdir: Path, report: CountyUsbReport) -> None:
    station_id = sdir.name
    station = _station(svc, station_id)
    if station is None:
        report.say(f"U 盘上的站点 {station_id} 未在县级中心登记，其文件已忽略")
        return
    out = sdir / OUT_DIR
    manifest: Doc | None = None
    try:
        manifest = _manifest(svc, station, out / MANIFEST_NAME)
    except StickFileError as exc:
        report.fail(exc.message)
    batches: list[StickBatch] = []
    for p in sorted(out.glob(f"*{BATCH_SUFFIX}")):
        try:
            sb = read_batch_file(p)
        except StickFileError as exc:
            report.fail(exc.message)
            continue
        if sb.header.station_id != station_id:
            report.say(
                f"文件 {shown(p)} 属于站点 {sb.header.station_id}，"
                f"却放在站点 {station_id} 的目录里，已忽略"
            )
            continue
        batches.append(sb)
    batches.sort(key=lambda b: (b.header.first_seq, b.header.last_seq))
    before = (report.batches, report.accepted, report.duplicates, report.conflicts)
    stored = 0
    for sb in batches:
        try:
            stored += _ingest_file(svc, sdir, sb, report)
        except StickFileError as exc:
            report.fail(exc.message)
    n, acc, dup, con = (
        a - b
        for a, b in zip(
            (report.batches, report.accepted, report.duplicates, report.conflicts),
            before,
            strict=True,
        )
    )
    if batches or n:
        report.say(
            f"站点 {station_id}：导入 {n} 批，新入库 {acc} 条，重复 {dup} 条"
            f"（已有，无害），拒收或冲突 {con} 条；已写回 {n} 份回执"
        )
    elif manifest is not None:
        report.say(f"站点 {station_id}：没有待导入的批次")
    import_archives(svc, sdir, station, report.say, report.fail)  # 一事一档 packages
    if manifest is None and not stored:
        report.say(f"站点 {station_id}：未能核实站点身份，未写回参考数据")
        return
    since: int | None = None
    if manifest is not None and not manifest.get("want_snapshot"):
        try:
            since = max(0, int(manifest.get("ref_rev", 0)))
        except (TypeError, ValueError):
            since = None
    _write_reference(svc, sdir, station_id, since, report)


def import_stick(svc: CountyServices, path: Path) -> CountyUsbReport:
    """Import every station's batches from the stick and write the answers back onto it."""
    root = usb_root(path)
    if not root.is_dir():
        raise UsbError(f"U 盘 {path} 上没有 yizhan 目录，请确认插的是站点导出过的 U 盘")
    report = CountyUsbReport()
    dirs = sorted(p for p in root.iterdir() if p.is_dir())
    for sdir in dirs:
        if not STATION_ID_RE.match(sdir.name):
            report.say(f"U 盘上的目录 {shown(sdir)} 不是站点目录，已忽略")
            continue
        _import_station(svc, sdir, report)
    if not dirs:
        report.say("U 盘上没有任何站点的导出文件")
    if report.errors:
        report.say(f"共有 {len(report.errors)} 个文件未能导入，见上；其余文件已正常处理")
    report.say("请把 U 盘送回站点，运行 yizhan sync import 应用回执和参考数据")
    return report


def county_usb_import_main(county_settings: CountySettings, path: str | Path) -> int:
    """``yizhan county import-usb /media/usb``: 0 when every file went in, else 1."""
    services = build_county_services(county_settings)
    try:
        report = import_stick(services, Path(path))
    except UsbError as exc:
        print(f"导入失败：{exc.message}")
        return 1
    finally:
        services.close()
    for line in report.lines:
        print(line)
    return 1 if report.errors else 0
