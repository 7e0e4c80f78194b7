"""Catalogue spreadsheets in the provincial 实施清单 layout (R-S1, issue 16/19), the column
mapping's pure rules, and ``yizhan catalogue template``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from appliance.catalogue.rules import CatalogueInvalid
from appliance.catalogue.rules.columns import (
    NOT_STATED,
    OWN,
    OWN_ITEM_COLUMNS,
    OWN_MATERIAL_COLUMNS,
    PROVINCIAL,
    column_index,
    complete_provincial_row,
    detect_layout,
    header_key,
    working_days,
)
from appliance.catalogue.service.catalogue import CatalogueService
from appliance.catalogue.service.importer import import_catalogue_file, read_catalogue_file
from appliance.core.clock import FrozenClock
from appliance.db.database import Database
from appliance.db.migrate import upgrade
from tests.support.station import T0
from yizhan.cli import main

ITEM_HEADER = [
    "序号",
    "事项名称",
    "基本编码",
    "实施编码",
    "事项类型",
    "法定办结时限",
    "承诺办结时限",
]
AGED = ["1", "高龄津贴申请", "000123456000", "11410101MB0000001X4000123456000", "行政给付"]
CARD = ["2", "老年人优待证办理", "000123457000", "11410101MB0000001X4000123457000", "公共服务"]
MATERIAL_HEADER = ["序号", "实施编码", "材料名称", "材料类型", "份数", "是否必要"]


def provincial_xlsx(
    path: Path,
    items: list[list[Any]] | None = None,
    materials: list[list[Any]] | None = None,
    item_header: list[str] | None = None,
) -> Path:
    """A workbook shaped like a provincial 实施清单 export (the first sheet has its own name)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "实施清单"
    ws.append(item_header or ITEM_HEADER)
    default_items = [[*AGED, "20个工作日", "15个工作日"], [*CARD, "无", "即办"]]
    for row in default_items if items is None else items:
        ws.append(row)
    mats = wb.create_sheet("申请材料")
    mats.append(MATERIAL_HEADER)
    default_materials = [
        ["1", AGED[3], "申请人居民身份证", "原件及复印件", 1, "必要"],
        ["2", AGED[3], "户口簿", "复印件", 1, "非必要"],
        ["3", CARD[2], "近期一寸免冠照片", "原件", 2, "是"],  # linked by 基本编码
    ]
    for row in default_materials if materials is None else materials:
        mats.append(row)
    wb.save(path)
    return path


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    url = f"sqlite:///{tmp_path / 'cat.db'}"
    upgrade(url)
    database = Database(url)
    yield database
    database.dispose()


def test_provincial_export_imports_through_the_column_mapping_r_s1(
    db: Database, tmp_path: Path
) -> None:
    """Issue 16/19: the county's own 实施清单 export is accepted as it is."""
    path = provincial_xlsx(tmp_path / "河南省实施清单.xlsx")
    info = import_catalogue_file(db, FrozenClock(T0), path)
    assert info.item_count == 2 and info.version == "河南省实施清单"
    items, _ = read_catalogue_file(path)
    aged, card = items
    assert (aged.code, aged.name, aged.type) == (AGED[3], "高龄津贴申请", "行政给付")
    assert (aged.legal_days, aged.promised_days, aged.kind) == (20, 15, "承诺件")
    assert (card.legal_days, card.promised_days, card.kind) == (0, 0, "即办件")
    assert aged.legal_basis == NOT_STATED and aged.conditions == NOT_STATED
    assert [(m.name, m.form, m.required) for m in aged.materials] == [
        ("申请人居民身份证", "both", True),
        ("户口簿", "copy", False),
    ]
    assert [(m.name, m.count) for m in card.materials] == [("近期一寸免冠照片", 2)]
    listed = CatalogueService(db, FrozenClock(T0)).search("高龄")
    assert [i.code for i in listed] == [AGED[3]]


def test_provincial_columns_the_export_carries_are_kept(tmp_path: Path) -> None:
    header = [*ITEM_HEADER, "设定依据", "受理条件", "办件类型", "实施主体"]
    row = [*AGED, "20工作日", "5", "《老年人权益保障法》", "年满80周岁", "承诺件", "县民政局"]
    items, _ = read_catalogue_file(provincial_xlsx(tmp_path / "p.xlsx", [row], [], header))
    (item,) = items
    assert (item.legal_basis, item.conditions, item.department) == (
        "《老年人权益保障法》",
        "年满80周岁",
        "县民政局",
    )
    assert (item.legal_days, item.promised_days) == (20, 5)


@pytest.mark.parametrize(
    ("items", "materials", "header", "message"),
    [
        (None, None, ITEM_HEADER[:-1], "“实施清单”表缺少列：承诺办结时限"),
        ([[*AGED, "20个工作日", "3个月"]], [], None, "“实施清单”表第 2 行：承诺时限必须是"),
        ([[*AGED, "10个工作日", "15个工作日"]], [], None, "承诺时限（15）不能超过法定时限（10）"),
        ([[*AGED[:4], "行政征收", "20个工作日", "5"]], [], None, "事项类型“行政征收”须为"),
        (None, [["1", "NO-SUCH", "身份证", "原件", 1, "是"]], None, "“申请材料”表第 2 行"),
        (None, [["1", AGED[3], "身份证", "照片", 1, "是"]], None, "材料形式“照片”"),
    ],
)
def test_bad_provincial_rows_are_refused_naming_the_place(
    db: Database,
    tmp_path: Path,
    items: list[list[Any]] | None,
    materials: list[list[Any]] | None,
    header: list[str] | None,
    message: str,
) -> None:
    path = provincial_xlsx(tmp_path / "bad.xlsx", items, materials, header)
    with pytest.raises(CatalogueInvalid) as exc:
        import_catalogue_file(db, FrozenClock(T0), path)
    assert message in exc.value.message, exc.value.message
    assert CatalogueService(db, FrozenClock(T0)).search("高龄") == []


def test_layout_detection_and_mapping_rules() -> None:
    assert detect_layout(["事项编码", "事项名称", "实施编码"]) is OWN  # own layout wins
    assert detect_layout(["事项名称", "实施编码"]) is PROVINCIAL
    assert detect_layout(["事项名称", "承诺办结时限"]) is PROVINCIAL
    assert detect_layout(["事项名称"]) is OWN  # so the refusal names the own layout's columns
    assert (
        header_key("承诺时限（工作日）") == "承诺时限" and header_key(" 实施 编码 ") == "实施编码"
    )
    # the leftmost of two columns mapped to one field wins
    assert column_index(["实施编码", "基本编码", "事项编码"], PROVINCIAL.material_columns) == {
        "item_code": 0
    }
    assert all(
        field in {*OWN_ITEM_COLUMNS.values(), "basic_code"}
        for field in PROVINCIAL.item_columns.values()
    )


@pytest.mark.parametrize(
    ("value", "days"),
    [
        ("20个工作日", 20),
        ("20工作日", 20),
        (" 5 个工作日 ", 5),
        ("即办", 0),
        ("当场办结", 0),
        (7, 7),
        ("3个月", "3个月"),
        ("十五", "十五"),
        (None, None),
    ],
)
def test_working_days(value: Any, days: Any) -> None:
    assert working_days(value) == days


def test_complete_provincial_row_fills_what_the_export_lacks() -> None:
    row = complete_provincial_row({"basic_code": "B1", "legal_days": "", "promised_days": "即办"})
    assert row["code"] == "B1" and row["legal_days"] == 0 and row["promised_days"] == 0
    assert row["kind"] == "即办件" and row["legal_basis"] == NOT_STATED
    row = complete_provincial_row({"code": "S1", "basic_code": "B1", "promised_days": "5个工作日"})
    assert (row["code"], row["kind"], row["promised_days"]) == ("S1", "承诺件", 5)


def test_template_command_writes_the_empty_own_layout(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``yizhan catalogue template PATH``: both sheets with their headers and nothing else;
    filled in, it imports; an existing file is never overwritten."""
    path = tmp_path / "模板.xlsx"
    assert main(["catalogue", "template", str(path)]) == 0
    assert "已生成空白事项清单模板" in capsys.readouterr().out
    wb = load_workbook(path)
    assert wb.sheetnames == ["事项", "材料"]
    assert [c.value for c in wb["事项"][1]] == list(OWN_ITEM_COLUMNS)
    assert [c.value for c in wb["材料"][1]] == list(OWN_MATERIAL_COLUMNS)
    assert wb["事项"].max_row == 1 and wb["材料"].max_row == 1
    with pytest.raises(CatalogueInvalid, match="没有任何事项"):
        read_catalogue_file(path)
    values = {
        "事项编码": "T-1",
        "事项名称": "测试事项",
        "事项类型": "公共服务",
        "设定依据": "依据",
        "受理条件": "条件",
        "法定时限": 10,
        "承诺时限": 5,
        "办件类型": "承诺件",
    }
    wb["事项"].append([values.get(h) for h in OWN_ITEM_COLUMNS])
    wb["材料"].append(["T-1", "身份证", "原件", 1, "是"])
    wb.save(path)
    assert import_catalogue_file(db, FrozenClock(T0), path).item_count == 1
    assert main(["catalogue", "template", str(path)]) == 1
    assert "已存在，未覆盖" in capsys.readouterr().err
    assert load_workbook(path)["事项"].max_row == 2  # the filled file is untouched
