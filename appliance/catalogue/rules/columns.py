"""XLSX column mappings (表头映射) for catalogue files: the project's own layout and the common
provincial 实施清单 export (pure; docs/catalogue.md describes both).

A layout maps each header text (an alias, after dropping a parenthesised suffix such as
“（工作日）”) to a field of the JSON item schema. When several columns map to one field, the
leftmost wins. :func:`detect_layout` picks the layout from the item sheet's header row;
:func:`complete_provincial_row` fills what a provincial export does not carry, so that
``parse_items`` checks the rows exactly as it checks JSON.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# The project's own layout (``yizhan catalogue template``): sheet 1 事项, sheet 2 材料.
OWN_ITEM_COLUMNS: Mapping[str, str] = {
    "事项编码": "code",
    "事项名称": "name",
    "事项类型": "type",
    "设定依据": "legal_basis",
    "受理条件": "conditions",
    "法定时限": "legal_days",
    "承诺时限": "promised_days",
    "办件类型": "kind",
    "收费标准": "fees",
    "收费依据": "fee_basis",
    "送达方式": "delivery_methods",
    "业务类别": "category_prefix",
    "告知承诺": "allows_notify_commit",
    "容缺受理": "allows_tolerant",
    "特别程序": "special_procedures",
    "关键词": "keywords",
    "关联事项": "related_codes",
    "实施部门": "department",
    "办理窗口": "window",
    "咨询电话": "phone",
    "保管期限": "retention",
}
OWN_MATERIAL_COLUMNS: Mapping[str, str] = {
    "事项编码": "item_code",
    "材料名称": "name",
    "材料形式": "form",
    "份数": "count",
    "是否必需": "required",
    "可容缺": "tolerable",
    "备注": "notes",
    "样表": "sample",
}

# The provincial 实施清单 export: sheet 1 the items, a sheet 申请材料 the materials.
# 实施编码 (the code of this county's implementation) is the item's code; 基本编码 (the
# province-wide code of the item) is kept to link materials that name only it.
PROVINCIAL_ITEM_COLUMNS: Mapping[str, str] = {
    "实施编码": "code",
    "事项编码": "code",
    "基本编码": "basic_code",
    "事项名称": "name",
    "实施清单名称": "name",
    "事项类型": "type",
    "法定办结时限": "legal_days",
    "法定时限": "legal_days",
    "承诺办结时限": "promised_days",
    "承诺时限": "promised_days",
    "办件类型": "kind",
    "设定依据": "legal_basis",
    "受理条件": "conditions",
    "收费标准": "fees",
    "收费依据": "fee_basis",
    "实施主体": "department",
    "实施部门": "department",
    "办理地点": "window",
    "咨询电话": "phone",
    "咨询方式": "phone",
}
PROVINCIAL_MATERIAL_COLUMNS: Mapping[str, str] = {
    "实施编码": "item_code",
    "事项编码": "item_code",
    "基本编码": "item_code",
    "事项名称": "item_name",
    "材料名称": "name",
    "材料类型": "form",
    "材料形式": "form",
    "份数": "count",
    "纸质材料份数": "count",
    "是否必要": "required",
    "必要性": "required",
    "是否必需": "required",
    "是否容缺": "tolerable",
    "可容缺": "tolerable",
    "备注": "notes",
    "填报须知": "notes",
    "样表": "sample",
    "空白表格": "sample",
}
NOT_STATED = "实施清单未载明，请以省政务服务网公布的内容为准"


@dataclass(frozen=True)
class XlsxLayout:
    """One spreadsheet layout: header aliases → fields, and the headers it cannot do without."""

    name: str
    item_columns: Mapping[str, str]
    material_columns: Mapping[str, str]
    required_items: tuple[str, ...]
    required_materials: tuple[str, ...]
    material_sheet: str  # the materials' sheet by name; the second sheet when absent

    @property
    def provincial(self) -> bool:
        return self is PROVINCIAL


OWN = XlsxLayout(
    name="本系统格式",
    item_columns=OWN_ITEM_COLUMNS,
    material_columns=OWN_MATERIAL_COLUMNS,
    required_items=(
        "事项编码",
        "事项名称",
        "事项类型",
        "设定依据",
        "受理条件",
        "法定时限",
        "承诺时限",
        "办件类型",
    ),
    required_materials=("事项编码", "材料名称"),
    material_sheet="材料",
)
PROVINCIAL = XlsxLayout(
    name="省级实施清单",
    item_columns=PROVINCIAL_ITEM_COLUMNS,
    material_columns=PROVINCIAL_MATERIAL_COLUMNS,
    required_items=("事项名称", "实施编码", "事项类型", "法定办结时限", "承诺办结时限"),
    required_materials=("材料名称",),
    material_sheet="申请材料",
)
PROVINCIAL_MARKERS = ("实施编码", "基本编码", "法定办结时限", "承诺办结时限")


def header_key(value: Any) -> str:
    """A header cell as an alias: parenthesised suffixes and all spaces dropped."""
    return re.sub(r"[（(].*?[)）]|\s", "", str(value or ""))


def detect_layout(item_headers: Sequence[str]) -> XlsxLayout:
    """The provincial layout when the item sheet has one of its own headers (实施编码 …) and
    no 事项编码; the project's own layout otherwise (its refusals name the missing columns)."""
    if "事项编码" not in item_headers and any(h in item_headers for h in PROVINCIAL_MARKERS):
        return PROVINCIAL
    return OWN


def column_index(headers: Sequence[str], columns: Mapping[str, str]) -> dict[str, int]:
    """Field → column position; the leftmost column wins when several map to one field."""
    index: dict[str, int] = {}
    for i, header in enumerate(headers):
        field = columns.get(header)
        if field is not None and field not in index:
            index[field] = i
    return index


_DAYS = re.compile(r"(\d+)\s*个?\s*工作日")
IMMEDIATE_WORDS = ("即办", "即办件", "当场办结", "立即办结", "即时办结")
NO_LIMIT_WORDS = ("", "无", "/", "-", "—")


def working_days(value: Any) -> Any:
    """“20个工作日” / “20工作日” → 20, “即办” / “当场办结” → 0; anything else unchanged (an
    integer stays one; text such as “3个月” is left for the validation to refuse)."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text in IMMEDIATE_WORDS:
        return 0
    match = _DAYS.fullmatch(text)
    return int(match.group(1)) if match else value


def complete_provincial_row(data: Mapping[str, Any]) -> dict[str, Any]:
    """A provincial item row in the JSON item schema: the code from 实施编码 (else 基本编码),
    时限 as working days (no 法定办结时限 → 0, no legal limit), 办件类型 from the promised
    time (0 → 即办件, else 承诺件), and 设定依据 / 受理条件 marked as not stated when absent."""
    row = dict(data)
    if not str(row.get("code") or "").strip():
        row["code"] = row.get("basic_code")
    legal = row.get("legal_days")
    if legal is None or (isinstance(legal, str) and legal.strip() in NO_LIMIT_WORDS):
        row["legal_days"] = 0
    row["legal_days"] = working_days(row["legal_days"])
    row["promised_days"] = working_days(row.get("promised_days"))
    if not str(row.get("kind") or "").strip():
        row["kind"] = "即办件" if row["promised_days"] == 0 else "承诺件"
    for key in ("legal_basis", "conditions"):
        if not str(row.get(key) or "").strip():
            row[key] = NOT_STATED
    return row
