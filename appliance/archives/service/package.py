"""Assemble one case's archive information package (归档信息包, R-A1, R-A3).

``read_case`` takes what the package needs from the database in one read (the case, its
kept notice PDFs checked against their SHA-256, the catalogue item's 事项类型 and 保管期限);
``assemble`` renders the material record and the decision record and lays out the files;
``zip_bytes`` packs them with ``manifest.json``. All of it runs outside the write lock.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from appliance.archives import rules
from appliance.archives.rules import Metadata, PackageFile, Retention, Section
from appliance.archives.service.render import history_pdf, materials_pdf
from appliance.cases.rules.case import CaseFile
from appliance.cases.rules.materials import MATERIAL_STATUS_LABELS
from appliance.cases.rules.records import ApplicantKind
from appliance.cases.rules.states import ACTION_LABELS, STATE_LABELS, Action, CaseState
from appliance.cases.service.codec import decode_case
from appliance.cases.service.notice_store import NoticeFiles
from appliance.cases.tables import CaseNoticeRecord, CaseRecord
from appliance.catalogue.tables import CatalogueItem
from appliance.core.errors import Conflict

FINISHED = frozenset({CaseState.DELIVERED, CaseState.CLOSED, CaseState.REFUSED})
APPLICANT_TYPES = {ApplicantKind.PERSON: "自然人", ApplicantKind.ORGANISATION: "法人或其他组织"}


@dataclass(frozen=True)
class CaseSource:
    """What one package is made of, as read."""

    row: CaseRecord
    case: CaseFile
    notices: list[tuple[CaseNoticeRecord, bytes]]
    item_type: str
    retention: Retention

    @property
    def version(self) -> int:
        return len(self.case.history)


def completed_at(case: CaseFile) -> datetime | None:
    """When the case finished (the transition into 已送达 / 已关闭 / 不予受理), else None."""
    if case.state not in FINISHED or not case.history:
        return None
    return case.history[-1].at


def local_day(at: datetime, tz: ZoneInfo) -> date:
    return at.astimezone(tz).date()


def item_facts(s: Session, item_code: str) -> tuple[str, Retention]:
    """The item's 事项类型 and 保管期限 (30年 for an item no longer in the catalogue)."""
    item = s.get(CatalogueItem, item_code)
    if item is None:
        return "", rules.UNKNOWN_ITEM_RETENTION
    return item.type, rules.retention_for(item.type, item.retention)


def read_case(s: Session, row: CaseRecord, notices: NoticeFiles) -> CaseSource:
    """The case and its kept notices; refuses (409) an unfinished case or a damaged notice."""
    case = decode_case(row.data)
    if case.state not in FINISHED:
        raise Conflict(
            f"办件 {row.case_number} 当前状态为“{STATE_LABELS[case.state]}”，尚未办结"
            "（已送达、已关闭或不予受理后才能归档）",
            "case_not_finished",
        )
    kept = s.exec(
        select(CaseNoticeRecord)
        .where(CaseNoticeRecord.case_id == row.id)
        .order_by(col(CaseNoticeRecord.transition_seq), col(CaseNoticeRecord.created_at))
    ).all()
    item_type, retention = item_facts(s, row.item_code)
    return CaseSource(row, case, [(n, notices.read(n)) for n in kept], item_type, retention)


def _result(case: CaseFile) -> str:
    if case.outcome is not None:
        return "准予" if case.outcome.approved else "不予批准"
    if case.state is CaseState.REFUSED:
        return "不予受理"
    last = case.history[-1] if case.history else None
    if last is not None and last.action is Action.WITHDRAW:
        return "申请人撤回"
    return "关闭" + (f"（{last.reason}）" if last is not None and last.reason else "")


def _at(case: CaseFile, actions: set[Action]) -> str:
    times = [t.at for t in case.history if t.action in actions]
    return times[-1].isoformat() if times else ""


def assemble(
    src: CaseSource,
    *,
    region_code: str,
    station_code: str,
    station_name: str,
    tz: ZoneInfo,
    revision: int,
) -> tuple[Metadata, list[PackageFile]]:
    """The package's documents and metadata (no I/O but rendering two PDFs)."""
    case, row = src.case, src.row
    done = completed_at(case)
    assert done is not None  # read_case refused an unfinished case
    completed_on = local_day(done, tz)
    archive_no = rules.archive_number(row.case_number, completed_on, src.retention)
    files: list[PackageFile] = []
    for n, pdf in src.notices:
        section = rules.section_of(n.kind)
        name = f"{section.value}/{n.transition_seq:02d}-{n.kind}.pdf"
        files.append(PackageFile(name, n.title, pdf))
    marks = [
        (
            m.rule.name,
            "原件" if m.rule.original else "复印件",
            str(m.rule.count),
            MATERIAL_STATUS_LABELS[m.status],
            m.note,
        )
        for m in case.materials
    ]
    files.append(
        PackageFile(
            f"{Section.APPLICATION.value}/materials.pdf",
            "申请材料登记",
            materials_pdf(station_name, row.case_number, row.item_name, marks),
        )
    )
    steps = [
        (
            t.at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            ACTION_LABELS[t.action],
            STATE_LABELS[t.to_state],
            t.actor,
            t.reason,
        )
        for t in case.history
    ]
    files.append(
        PackageFile(
            f"{Section.PROCESS.value}/history.pdf",
            "办理过程记录",
            history_pdf(station_name, row.case_number, row.item_name, steps),
        )
    )
    files.sort(key=lambda f: f.path)
    meta = Metadata(
        archive_no=archive_no,
        case_number=row.case_number,
        region_code=region_code,
        station_code=station_code,
        station_name=station_name,
        item_code=row.item_code,
        item_name=row.item_name,
        item_type=src.item_type,
        applicant_type=APPLICANT_TYPES[case.applicant.kind],
        retention=src.retention.value,
        received_at=case.received_at.isoformat(),
        decided_at=_at(case, {Action.APPROVE, Action.REJECT, Action.REFUSE}),
        delivered_at=_at(case, {Action.DELIVER}),
        completed_at=done.isoformat(),
        result=_result(case),
        state=STATE_LABELS[case.state],
        file_count=len(files),
        revision=revision,
        documents=rules.document_rows(files),
    )
    return meta, files


def zip_bytes(meta: Metadata, files: list[PackageFile], at: datetime) -> tuple[bytes, str]:
    """The package zip and its content digest. PDFs are stored (already compressed), the
    metadata deflated; every entry carries the completion time, so a rebuild of the same
    content gives the same bytes."""
    contents = {f.path: f.data for f in files}
    contents[rules.METADATA_XML] = rules.metadata_xml(meta)
    contents[rules.METADATA_JSON] = rules.metadata_json(meta)
    manifest = rules.manifest(contents)
    manifest["archive_no"] = meta.archive_no
    stamp = at.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for path, data in [
            *sorted(contents.items()),
            (rules.MANIFEST, (json.dumps(manifest, indent=2) + "\n").encode()),
        ]:
            info = zipfile.ZipInfo(f"{meta.archive_no}/{path}", date_time=stamp)
            info.compress_type = (
                zipfile.ZIP_STORED if path.endswith(".pdf") else zipfile.ZIP_DEFLATED
            )
            z.writestr(info, data)
    return out.getvalue(), str(manifest["digest"])
