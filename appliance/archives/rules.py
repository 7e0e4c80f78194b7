"""Archive rules (归档规则, R-A1–R-A3): retention, numbering, deadline, package layout, fixity.

Pure: no storage, no I/O. The service feeds plain values in and writes what comes out.

- **Retention (保管期限).** 永久, 30年 or 10年 per catalogue item. HN-5 4.1.1 makes the
  implementing body (政务服务实施机构) set its 保管期限表, so the catalogue carries a
  ``retention`` per item; an item that does not say gets :data:`DEFAULT_RETENTION` by its
  事项类型 (the documented mapping below), and an item no longer in the catalogue 30年.
- **Archive number (档号).** ``<station>-<year>-<retention code>-<case date>-<seq>``, e.g.
  ``YZ0001-2026-D30-20261123-0007``: the station code (全宗), the year the case finished
  (归档年度), the retention code (Y 永久, D30 定期30年, D10 定期10年, as DA/T 22 writes them)
  and the system's case sequence (HN-5 7.2.4: 由系统自动生成的事项办理顺序号为文档编号).
- **Deadline (归档期限).** Due one calendar month after completion (HN-5 7.3.2.2); the day
  it is due is still on time.
- **Layout (GB/T 42727-2023 / DA/T 85 归档信息包).** ``metadata.xml`` and ``metadata.json``
  (the same data), ``manifest.json`` (SHA-256 and size of every other file, and their
  digest), and the documents in ``application/`` (申请材料), ``process/`` (办理过程) and
  ``result/`` (办理结果).
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any
from xml.etree import ElementTree as ET

from appliance.core.errors import Invalid


class Retention(StrEnum):
    """保管期限 (the value is the Chinese term, as catalogues write it)."""

    PERMANENT = "永久"
    Y30 = "30年"
    Y10 = "10年"


RETENTION_CODES: dict[Retention, str] = {
    Retention.PERMANENT: "Y",
    Retention.Y30: "D30",
    Retention.Y10: "D10",
}
# The default 保管期限 by 事项类型 when an item does not set its own (documented mapping):
# decisions that fix a person's status or rights for good are kept for ever, decisions
# with lasting effect 30 years, registrations and public services 10 years.
DEFAULT_RETENTION: dict[str, Retention] = {
    "行政许可": Retention.Y30,
    "行政确认": Retention.PERMANENT,
    "行政裁决": Retention.PERMANENT,
    "行政给付": Retention.Y30,
    "行政奖励": Retention.Y30,
    "行政备案": Retention.Y10,
    "其他行政权力": Retention.Y30,
    "公共服务": Retention.Y10,
}
UNKNOWN_ITEM_RETENTION = Retention.Y30
RETENTION_WORDS = {
    **{r.value: r for r in Retention},
    "永久保存": Retention.PERMANENT,
    "Y": Retention.PERMANENT,
    "30": Retention.Y30,
    "D30": Retention.Y30,
    "定期30年": Retention.Y30,
    "10": Retention.Y10,
    "D10": Retention.Y10,
    "定期10年": Retention.Y10,
}


def parse_retention(value: str) -> Retention | None:
    """A retention word (永久, 30年, 10年, D30 …), None for empty; Invalid otherwise."""
    text = value.strip().upper().replace(" ", "")
    if not text:
        return None
    found = RETENTION_WORDS.get(text) or RETENTION_WORDS.get(value.strip())
    if found is None:
        raise Invalid(f"保管期限“{value}”须为 永久、30年 或 10年", "bad_retention")
    return found


def retention_for(item_type: str, explicit: str = "") -> Retention:
    """The item's own retention, else the default of its 事项类型."""
    own = parse_retention(explicit) if explicit else None
    return own or DEFAULT_RETENTION.get(item_type, UNKNOWN_ITEM_RETENTION)


_CASE = re.compile(r"^([A-Z0-9]{2,16})-(\d{8})-(\d{4,6})$")
ARCHIVE_NO = re.compile(r"^[A-Z0-9]{2,16}-\d{4}-(Y|D30|D10)-\d{8}-\d{4,6}$")


def archive_number(case_number: str, completed_on: date, retention: Retention) -> str:
    """档号 of a case's package (see the module docstring)."""
    m = _CASE.match(case_number)
    if m is None:
        raise Invalid(f"办件编号“{case_number}”格式不正确，无法编档号", "bad_case_number")
    station, day, seq = m.groups()
    return f"{station}-{completed_on.year}-{RETENTION_CODES[retention]}-{day}-{seq}"


def due_on(completed_on: date) -> date:
    """归档期限: one calendar month after completion (31 Jan → 28/29 Feb)."""
    year, month = (
        (completed_on.year + 1, 1)
        if completed_on.month == 12
        else (
            completed_on.year,
            completed_on.month + 1,
        )
    )
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(completed_on.day, last))


class Urgency(StrEnum):
    """How a due package stands: 待归档, 临期 (within ``WARN_DAYS``), 逾期."""

    DUE = "due"
    SOON = "soon"
    OVERDUE = "overdue"


URGENCY_LABELS = {Urgency.DUE: "待归档", Urgency.SOON: "临期", Urgency.OVERDUE: "已逾期"}
WARN_DAYS = 7


def urgency(due: date, today: date) -> Urgency:
    if today > due:
        return Urgency.OVERDUE
    if (due - today).days <= WARN_DAYS:
        return Urgency.SOON
    return Urgency.DUE


# ---- package layout -----------------------------------------------------------------------
class Section(StrEnum):
    """The three document folders of a package."""

    APPLICATION = "application"  # 申请材料
    PROCESS = "process"  # 办理过程
    RESULT = "result"  # 办理结果


SECTION_LABELS = {
    Section.APPLICATION: "申请材料",
    Section.PROCESS: "办理过程",
    Section.RESULT: "办理结果",
}
# Which folder each kept notice goes into (kinds of appliance.documents.notices).
NOTICE_SECTIONS: dict[str, Section] = {
    "receipt": Section.APPLICATION,
    "tolerant_commitment": Section.APPLICATION,
    "inform_commitment": Section.APPLICATION,
    "acceptance": Section.PROCESS,
    "acceptance_reissued": Section.PROCESS,
    "extension_reissued": Section.PROCESS,
    "correction": Section.PROCESS,
    "extension": Section.PROCESS,
    "handover": Section.PROCESS,
    "refusal": Section.RESULT,
    "pickup": Section.RESULT,
}
METADATA_XML = "metadata.xml"
METADATA_JSON = "metadata.json"
MANIFEST = "manifest.json"


def section_of(notice_kind: str) -> Section:
    return NOTICE_SECTIONS.get(notice_kind, Section.PROCESS)


@dataclass(frozen=True)
class PackageFile:
    """One document of a package: where it goes and its title (题名)."""

    path: str  # inside the package, e.g. "process/01-acceptance.pdf"
    title: str
    data: bytes


@dataclass(frozen=True)
class Metadata:
    """The descriptive data of one package (元数据, GB/T 42727 / DA/T 85 core elements)."""

    archive_no: str
    case_number: str
    region_code: str
    station_code: str
    station_name: str
    item_code: str
    item_name: str
    item_type: str
    applicant_type: str  # 自然人 | 法人或其他组织
    retention: str
    received_at: str  # ISO 8601
    decided_at: str  # ISO date/time of the decision, "" when none (withdrawn, closed)
    delivered_at: str
    completed_at: str
    result: str  # 准予 / 不予批准 / 不予受理 / 撤回 / 关闭 …
    state: str
    file_count: int
    revision: int = 1
    documents: tuple[Mapping[str, str], ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        return {
            "archive_no": self.archive_no,
            "case_number": self.case_number,
            "region_code": self.region_code,
            "station_code": self.station_code,
            "station_name": self.station_name,
            "item_code": self.item_code,
            "item_name": self.item_name,
            "item_type": self.item_type,
            "applicant_type": self.applicant_type,
            "retention": self.retention,
            "received_at": self.received_at,
            "decided_at": self.decided_at,
            "delivered_at": self.delivered_at,
            "completed_at": self.completed_at,
            "result": self.result,
            "state": self.state,
            "file_count": self.file_count,
            "revision": self.revision,
            "documents": [dict(d) for d in self.documents],
        }


# XML element names: the metadata elements in pinyin-free English, with the Chinese name as
# the ``label`` attribute so an archivist reads the file without a key.
XML_LABELS = {
    "archive_no": "档号",
    "case_number": "办件编号",
    "region_code": "行政区划代码",
    "station_code": "站点编码",
    "station_name": "办理机构",
    "item_code": "事项编码",
    "item_name": "事项名称",
    "item_type": "事项类型",
    "applicant_type": "申请人类型",
    "retention": "保管期限",
    "received_at": "收件时间",
    "decided_at": "办结决定时间",
    "delivered_at": "送达时间",
    "completed_at": "办结时间",
    "result": "办理结果",
    "state": "办件状态",
    "file_count": "文件数",
    "revision": "版本",
}


def metadata_xml(meta: Metadata) -> bytes:
    """``metadata.xml``: the same data as ``metadata.json``, UTF-8, one element per field."""
    root = ET.Element("archive_package", {"standard": "GB/T 42727-2023", "label": "归档信息包"})
    data = meta.to_json()
    for key, label in XML_LABELS.items():
        ET.SubElement(root, key, {"label": label}).text = str(data[key])
    docs = ET.SubElement(root, "documents", {"label": "文件"})
    for d in meta.documents:
        ET.SubElement(docs, "document", dict(d))
    ET.indent(root)
    out: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return out + b"\n"


def metadata_json(meta: Metadata) -> bytes:
    return (json.dumps(meta.to_json(), ensure_ascii=False, indent=2) + "\n").encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest(files: Mapping[str, bytes]) -> dict[str, Any]:
    """Every file's SHA-256 and size, and ``digest`` over them (the content digest)."""
    entries = {path: {"sha256": sha256(data), "size": len(data)} for path, data in files.items()}
    return {"files": dict(sorted(entries.items())), "digest": content_digest(entries)}


def content_digest(entries: Mapping[str, Mapping[str, Any]]) -> str:
    """SHA-256 over the sorted ``path sha256`` lines: one value for the whole content."""
    lines = "".join(f"{p} {entries[p]['sha256']}\n" for p in sorted(entries))
    return sha256(lines.encode())


@dataclass
class Findings:
    """What a verification found; empty lists mean the package is intact."""

    missing: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # package-level (digest, manifest)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.changed or self.extra or self.problems)

    def lines(self) -> list[str]:
        return (
            list(self.problems)
            + [f"缺少文件：{p}" for p in self.missing]
            + [f"文件已改动：{p}" for p in self.changed]
            + [f"多出文件：{p}" for p in self.extra]
        )


def compare(listed: Mapping[str, Mapping[str, Any]], actual: Mapping[str, str | None]) -> Findings:
    """Manifest entries against the files found (path → SHA-256, None when unreadable)."""
    found = Findings()
    for path in sorted(listed):
        if path not in actual:
            found.missing.append(path)
        elif actual[path] != listed[path].get("sha256"):
            found.changed.append(path)
    found.extra = sorted(p for p in actual if p not in listed and p != MANIFEST)
    return found


def document_rows(files: Sequence[PackageFile]) -> tuple[dict[str, str], ...]:
    """The ``documents`` list of the metadata: path, section, title, SHA-256."""
    return tuple(
        {
            "path": f.path,
            "section": SECTION_LABELS[Section(f.path.split("/", 1)[0])],
            "title": f.title,
            "sha256": sha256(f.data),
        }
        for f in files
    )
