"""Plain data shared by every notice builder (通知书的公共要素, HN-3 6.5.4; XC 附录 E–G).

The case service fills these from its own records; nothing here touches a database. The
applicant's ID number is only ever printed masked (:func:`mask_id_number`), even though the
notice is the applicant's own document.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from appliance.core.masking import mask_id_number
from appliance.documents.pdf import DEFAULT_FOOTER, Notice, chinese_date

PROVISIONAL_MARK = "（暂定，节假日数据待更新）"
FOOTER = DEFAULT_FOOTER  # 本通知书一式二份，申请人、受理单位各执一份。
STOP_CLOCK_PROCEDURES = ("检验", "检测", "专家评审", "听证", "现场勘验", "公示")


@dataclass(frozen=True)
class Applicant:
    """申请人: a person (个人) or an organisation (单位), addressed by full name."""

    name: str
    id_number: str = ""
    kind: Literal["person", "organisation"] = "person"
    phone: str = ""
    agent_name: str = ""  # 代理人 / 经办人
    agent_id_number: str = ""

    @property
    def id_label(self) -> str:
        return "统一社会信用代码" if self.kind == "organisation" else "身份证号码"

    def describe(self) -> str:
        """``张三（身份证号码：410102********0021）`` — the ID number masked."""
        parts = [self.name]
        if self.id_number:
            parts.append(f"（{self.id_label}：{mask_id_number(self.id_number)}）")
        return "".join(parts)

    def agent(self) -> str:
        if not self.agent_name:
            return ""
        if self.agent_id_number:
            return f"{self.agent_name}（身份证号码：{mask_id_number(self.agent_id_number)}）"
        return self.agent_name

    @property
    def you(self) -> str:
        """How the body text addresses the applicant: 您 or 贵单位."""
        return "贵单位" if self.kind == "organisation" else "您"


@dataclass(frozen=True)
class Receiver:
    """受理人: the staff member at the window who took the materials."""

    name: str
    window: str = ""

    def describe(self) -> str:
        return f"{self.name}（{self.window}）" if self.window else self.name


@dataclass(frozen=True)
class Material:
    """申请材料: name, 原件/复印件, count (份), and a note (e.g. what is wrong with it)."""

    name: str
    form: str = "复印件"  # 原件 / 复印件 / 原件及复印件 / 电子件
    count: int = 1
    note: str = ""
    required: bool = True
    tolerable: bool = False  # 可容缺

    def describe(self, with_note: bool = True) -> str:
        text = f"{self.name}（{self.form}{self.count}份）"
        if with_note and self.note:
            text += f"：{self.note}"
        return text


@dataclass(frozen=True)
class Deadline:
    """A date by which something is due; provisional when the holiday calendar lacks the year."""

    day: date
    provisional: bool = False

    def text(self, suffix: str = "前") -> str:
        out = f"{chinese_date(self.day)}{suffix}"
        return out + PROVISIONAL_MARK if self.provisional else out


@dataclass(frozen=True)
class SpecialProcedure:
    """特别程序 (检验、专家评审、听证 …): its time does not count toward the time limit."""

    name: str
    note: str = ""

    def describe(self) -> str:
        text = f"{self.name}（所需时间不计入承诺时限，期间暂停计时）"
        return f"{text}：{self.note}" if self.note else text


@dataclass(frozen=True)
class CaseInfo:
    """What every case notice carries: 办件编号 (also the archive number), station, date, item,
    applicant, receiver, and the public URL for the progress query QR code."""

    case_number: str
    station_name: str
    station_code: str
    issued_on: date
    item_name: str
    applicant: Applicant
    receiver: Receiver
    public_url: str = ""
    received_on: date | None = None  # 收件日期; defaults to issued_on
    station_phone: str = ""
    special_procedures: Sequence[SpecialProcedure] = field(default_factory=tuple)

    @property
    def received(self) -> date:
        return self.received_on or self.issued_on

    @property
    def progress_url(self) -> str | None:
        """``{public_url}/cases/{case_number}`` for the QR code, or None without a public URL."""
        if not self.public_url:
            return None
        return f"{self.public_url.rstrip('/')}/cases/{self.case_number}"


def application(item_name: str) -> str:
    """``高龄津贴申请`` stays as is, ``居住证申领`` becomes ``居住证申领申请``."""
    return item_name if item_name.endswith("申请") else f"{item_name}申请"


def numbered(items: Iterable[str]) -> str:
    """``1. …\\n2. …`` for a table cell; ``无`` when empty."""
    lines = [f"{i}. {text}" for i, text in enumerate(items, start=1)]
    return "\n".join(lines) if lines else "无"


def material_list(materials: Sequence[Material], with_note: bool = True) -> str:
    return numbered(m.describe(with_note) for m in materials)


def applicant_rows(case: CaseInfo) -> list[tuple[str, str]]:
    """事项名称, 申请人 (masked ID), 代理人 and 受理人 (the date received is in the body)."""
    applicant = case.applicant
    rows = [("事项名称", case.item_name), ("申请人", applicant.describe())]
    if applicant.agent_name:
        rows.append(("代理人", applicant.agent()))
    rows.append(("受理人", case.receiver.describe()))
    return rows


def special_rows(case: CaseInfo) -> list[tuple[str, str]]:
    if not case.special_procedures:
        return []
    return [("特别程序", numbered(p.describe() for p in case.special_procedures))]


def phone_rows(case: CaseInfo) -> list[tuple[str, str]]:
    return [("咨询电话", case.station_phone)] if case.station_phone else []


def case_notice(
    title: str,
    case: CaseInfo,
    body: list[str],
    rows: list[tuple[str, str]],
    addressee: str | None = None,
    footer: str = FOOTER,
) -> Notice:
    """A case notice: numbered with the case number, dated, with the progress-query QR code;
    addressed to the applicant unless ``addressee`` says otherwise."""
    return Notice(
        title=title,
        number=case.case_number,
        station_name=case.station_name,
        date=case.issued_on,
        body=body,
        rows=rows,
        addressee=case.applicant.name if addressee is None else addressee,
        qr_url=case.progress_url,
        footer=footer,
    )
