"""一次性告知单 of a catalogue item (R-C4; JC 附件3; XC 一次性告知制度; HLJ 6.1.2).

Everything a visitor needs to apply, at once: name, legal basis, conditions, the complete
material list (原件/复印件 and count), the promised time limit, fees, window and phone — and
related items the visitor may also need. Not tied to a case: the number is the item code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from appliance.documents.notices.common import Material, SpecialProcedure, numbered
from appliance.documents.pdf import Notice

GUIDE_FOOTER = (
    "本告知单一次性告知办理本事项所需的全部材料，窗口不会要求提交清单以外的材料；"
    "如有变动，以县级政务服务事项清单最新公布为准。"
)


@dataclass(frozen=True)
class RelatedItem:
    """关联事项: another item the visitor may also need, and why."""

    name: str
    note: str = ""

    def describe(self) -> str:
        return f"{self.name}（{self.note}）" if self.note else self.name


@dataclass(frozen=True)
class GuideData:
    """一次性告知单: one catalogue item as the county publishes it (R-S1 elements).

    ``promised_days`` / ``legal_days`` are working days; ``immediate`` marks a 即办件.
    """

    station_name: str
    issued_on: date
    item_code: str
    item_name: str
    legal_basis: Sequence[str]
    conditions: Sequence[str]
    materials: Sequence[Material]
    promised_days: int
    window: str
    phone: str
    item_type: str = "公共服务"
    legal_days: int | None = None
    immediate: bool = False
    fees: str = "不收费"
    address: str = ""
    hours: str = "工作日 上午8:30—12:00，下午14:30—17:30"
    deciding_office: str = ""  # 实施主体 / 审批部门
    special_procedures: Sequence[SpecialProcedure] = field(default_factory=tuple)
    tolerant_allowed: bool = False  # 可容缺受理
    commitment_allowed: bool = False  # 可告知承诺
    related: Sequence[RelatedItem] = field(default_factory=tuple)
    catalogue_version: str = ""
    visitor_name: str = ""
    qr_url: str | None = None  # e.g. the item's guide page


def material_line(m: Material) -> str:
    flags = ["必要" if m.required else "非必要"]
    if m.tolerable:
        flags.append("可容缺")
    text = f"{m.name}：{m.form}{m.count}份（{'，'.join(flags)}）"
    return f"{text}；{m.note}" if m.note else text


def _time_limit(data: GuideData) -> str:
    if data.immediate:
        return "即办件，材料齐全当场办结"
    text = f"承诺{data.promised_days}个工作日办结（不含法定节假日）"
    if data.legal_days:
        text = f"法定{data.legal_days}个工作日；" + text
    return text


def _procedures(data: GuideData) -> list[str]:
    lines = []
    if data.tolerant_allowed:
        lines.append("本事项可容缺受理：主要材料齐全、次要材料欠缺的，书面承诺后可先行受理。")
    if data.commitment_allowed:
        lines.append("本事项可选择告知承诺方式办理，以自愿为原则。")
    return lines


def build_guide(data: GuideData) -> Notice:
    """一次性告知单 for a catalogue item."""
    you = "您"
    body = [
        f"{you}咨询的{data.item_name}，现将办理条件、所需全部材料和办理时限等一次性告知如下。"
        "请按清单准备材料，材料齐全的，本站一次受理。",
        *_procedures(data),
    ]
    rows: list[tuple[str, str]] = [
        ("事项名称", data.item_name),
        ("事项编码", data.item_code),
        ("事项类型", data.item_type),
    ]
    if data.deciding_office:
        rows.append(("实施主体", data.deciding_office))
    rows += [
        ("设定依据", numbered(data.legal_basis)),
        ("办理条件", numbered(data.conditions)),
        ("申请材料", numbered(material_line(m) for m in data.materials)),
        ("办理时限", _time_limit(data)),
    ]
    if data.special_procedures:
        rows.append(("特别程序", numbered(p.describe() for p in data.special_procedures)))
    rows += [("收费标准", data.fees), ("办理窗口", data.window)]
    if data.address:
        rows.append(("办理地点", data.address))
    rows += [("办公时间", data.hours), ("咨询电话", data.phone)]
    if data.related:
        rows.append(("关联事项", numbered(r.describe() for r in data.related)))
    footer = GUIDE_FOOTER
    if data.catalogue_version:
        footer += f"（事项清单版本：{data.catalogue_version}）"
    return Notice(
        title="一次性告知单",
        number=data.item_code,
        station_name=data.station_name,
        date=data.issued_on,
        body=body,
        rows=rows,
        addressee=data.visitor_name,
        qr_url=data.qr_url,
        qr_caption="手机扫码查看办事指南",
        footer=footer,
    )
