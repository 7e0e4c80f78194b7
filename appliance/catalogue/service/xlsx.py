"""Catalogue spreadsheets (事项清单 XLSX): read the project's own layout or a provincial
实施清单 export, and write the project's layout (``yizhan catalogue template``).

Own layout: sheet 1 (事项) one row per item, sheet 2 (材料) one row per material keyed by
事项编码. Provincial layout: sheet 1 the items (事项名称, 基本编码, 实施编码, 事项类型,
法定办结时限, 承诺办结时限 …), sheet 申请材料 the materials keyed by 实施编码 (or 基本编码,
or 事项名称). Row 1 holds the headers; the aliases are in
:mod:`appliance.catalogue.rules.columns`; lists are separated by “、”, flags are 是/否.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from appliance.catalogue.rules import (
    MATERIAL_FORMS,
    CatalogueInvalid,
    ItemSpec,
    RawItem,
    item_to_dict,
    parse_items,
)
from appliance.catalogue.rules.columns import (
    OWN,
    OWN_ITEM_COLUMNS,
    OWN_MATERIAL_COLUMNS,
    XlsxLayout,
    column_index,
    complete_provincial_row,
    detect_layout,
    header_key,
    working_days,
)

Rows = list[tuple[int, dict[str, Any]]]


def _sheet_rows(ws: Any, columns: Mapping[str, str], required: Sequence[str], label: str) -> Rows:
    rows = ws.iter_rows(values_only=True)
    header = [header_key(h) for h in next(rows, ())]
    missing = [c for c in required if c not in header]
    if missing:
        raise CatalogueInvalid(f"“{label}”表缺少列：{'、'.join(missing)}")
    index = column_index(header, columns)
    out = []
    for n, values in enumerate(rows, start=2):
        if not any(v is not None and str(v).strip() for v in values):
            continue
        out.append((n, {k: values[i] if i < len(values) else None for k, i in index.items()}))
    return out


def _material_sheet(wb: Any, layout: XlsxLayout) -> Any:
    if layout.material_sheet in wb.sheetnames:
        return wb[layout.material_sheet]
    if len(wb.worksheets) < 2:
        raise CatalogueInvalid(
            f"XLSX 须有两张表：第 1 张“事项”，第 2 张“{layout.material_sheet}”"
            if layout.provincial
            else "XLSX 须有两张表：第 1 张“事项”，第 2 张“材料”"
        )
    return wb.worksheets[1]


def _read_sheets(path: Path) -> tuple[XlsxLayout, Rows, Rows, str, str]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise CatalogueInvalid(f"无法打开 {path.name}：不是有效的 XLSX 文件") from exc
    try:
        first = wb.worksheets[0]
        headers = [header_key(h) for h in next(first.iter_rows(values_only=True), ())]
        layout = detect_layout(headers)
        mats = _material_sheet(wb, layout)
        item_label = "事项" if layout is OWN else first.title
        mat_label = "材料" if layout is OWN else mats.title
        items = _sheet_rows(first, layout.item_columns, layout.required_items, item_label)
        materials = _sheet_rows(mats, layout.material_columns, layout.required_materials, mat_label)
    finally:
        wb.close()
    return layout, items, materials, item_label, mat_label


def _with_days(row: dict[str, Any]) -> dict[str, Any]:
    days = {key: working_days(row.get(key)) for key in ("legal_days", "promised_days")}
    return {**row, **days}


def read_xlsx_catalogue(path: Path) -> tuple[list[ItemSpec], str]:
    """Items of an XLSX in either layout, validated as JSON is (``parse_items``)."""
    layout, item_rows, mat_rows, item_label, mat_label = _read_sheets(path)
    if layout.provincial:
        item_rows = [(n, complete_provincial_row(d)) for n, d in item_rows]
    else:
        item_rows = [(n, _with_days(d)) for n, d in item_rows]
    # A material names its item by code (实施编码 / 基本编码 / 事项编码) or, failing that, name.
    owner: dict[str, str] = {}
    for _, d in item_rows:
        code = str(d.get("code") or "").strip()
        for key in ("name", "basic_code", "code") if layout.provincial else ("code",):
            if str(d.get(key) or "").strip():
                owner[str(d[key]).strip()] = code
    by_item: dict[str, list[tuple[str, Mapping[str, Any]]]] = {}
    for n, d in mat_rows:
        link = str(d.get("item_code") or d.get("item_name") or "").strip()
        if link not in owner:
            what = "事项编码" if d.get("item_code") or layout is OWN else "事项"
            raise CatalogueInvalid(
                f"“{mat_label}”表第 {n} 行：{what}“{link}”不在“{item_label}”表中"
            )
        by_item.setdefault(owner[link], []).append((f"“{mat_label}”表第 {n} 行", d))
    prefix = "" if layout is OWN else f"“{item_label}”表"
    raws = [
        RawItem(f"{prefix}第 {n} 行", d, by_item.get(str(d.get("code") or "").strip(), []))
        for n, d in item_rows
    ]
    return parse_items(raws), path.stem


def write_catalogue_xlsx(items: Sequence[ItemSpec], path: Path) -> None:
    """The project's layout (the county template): the same two sheets the importer reads;
    no items gives the empty template of ``yizhan catalogue template``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "事项"
    ws.append(list(OWN_ITEM_COLUMNS))
    mats = wb.create_sheet("材料")
    mats.append(list(OWN_MATERIAL_COLUMNS))
    for sheet in (ws, mats):
        sheet.freeze_panes = "A2"
        for head in sheet[1]:
            head.font = Font(bold=True)
            width = max(10, 2 * len(str(head.value)) + 4)
            sheet.column_dimensions[head.column_letter].width = width

    def cell(value: Any) -> Any:
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, list | tuple):
            return "、".join(value)
        return value

    for item in items:
        data = item_to_dict(item)
        ws.append([cell(data.get(key, "")) for key in OWN_ITEM_COLUMNS.values()])
        for m in item.materials:
            row = {"item_code": item.code, **asdict(m)}
            row["form"] = MATERIAL_FORMS[m.form]
            mats.append([cell(row[key]) for key in OWN_MATERIAL_COLUMNS.values()])
    wb.save(path)


def catalogue_template_main(path: str | Path) -> int:
    """``yizhan catalogue template PATH``: the empty XLSX of the project's layout; 0 when
    written, 1 when PATH exists (a county's catalogue is never overwritten) or is unwritable."""
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        target = target.with_suffix(".xlsx")
    if target.exists():
        print(f"{target} 已存在，未覆盖：请换一个文件名", file=sys.stderr)
        return 1
    try:
        write_catalogue_xlsx([], target)
    except OSError as exc:
        print(f"无法写入 {target}：{exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"已生成空白事项清单模板 {target}（“事项”“材料”两张表，说明见 docs/catalogue.md）")
    return 0
