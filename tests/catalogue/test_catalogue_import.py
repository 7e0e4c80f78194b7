"""Catalogue imports (R-S1, R-S2): JSON and the counties' XLSX; a bad file is refused whole."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from appliance.catalogue.rules import CatalogueInvalid
from appliance.catalogue.service.catalogue import CatalogueService
from appliance.catalogue.service.importer import (
    DEMO_CATALOGUE,
    catalogue_import_main,
    import_catalogue_file,
    read_catalogue_file,
    seed_demo_catalogue,
    write_catalogue_xlsx,
)
from appliance.core.clock import FrozenClock
from appliance.db.database import Database
from appliance.db.migrate import upgrade
from tests.support.fingerprint import TABLES
from tests.support.station import T0

CATALOGUE_TABLES = (
    *TABLES,
    "catalogue_version",
    "catalogue_item",
    "catalogue_material",
    "calendar_day",
    "calendar_year",
)
CLOCK = FrozenClock(T0)
DEMO: dict[str, Any] = json.loads(DEMO_CATALOGUE.read_text(encoding="utf-8"))


def fingerprint(db: Database) -> str:
    digest = hashlib.sha256()
    with db.read() as s:
        for table in CATALOGUE_TABLES:
            for row in s.execute(text(f"SELECT * FROM {table} ORDER BY 1")):  # noqa: S608
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    url = f"sqlite:///{tmp_path / 'cat.db'}"
    upgrade(url)
    database = Database(url)
    yield database
    database.dispose()


def write_json(path: Path, doc: Any) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_demo_catalogue_has_every_r_s1_element(db: Database) -> None:
    assert seed_demo_catalogue(db, CLOCK) is True
    assert seed_demo_catalogue(db, CLOCK) is False  # once
    svc = CatalogueService(db, CLOCK)
    version = svc.current_version()
    assert version is not None and version.item_count == len(DEMO["items"]) >= 20
    assert version.source == "demo" and version.version == "2026.11-demo"
    names = {i["name"] for i in DEMO["items"]}
    for required in (
        "城乡居民基本养老保险参保登记",
        "城乡居民医保参保登记",
        "高龄津贴申请",
        "残疾人两项补贴申请",
        "最低生活保障申请",
        "临时救助申请",
        "特困人员救助供养申请",
        "生育登记",
        "农村宅基地和建房（规划许可）申请",
        "老年人优待证办理",
        "就业失业登记",
        "居住证申领",
    ):
        assert required in names
    detail = svc.item("410122-MZ-001")
    assert detail.name == "高龄津贴申请" and detail.kind == "承诺件"
    assert (detail.legal_days, detail.promised_days) == (20, 15)
    assert detail.type == "行政给付" and "老年人权益保障法" in detail.legal_basis
    assert detail.allows_tolerant and not detail.allows_notify_commit
    assert [m.name for m in detail.materials][:2] == ["居民身份证", "户口簿"]
    bank = detail.materials[2]
    assert bank.form == "copy" and bank.form_label == "复印件" and bank.tolerable
    assert detail.related[0].name == "老年人优待证办理"
    assert svc.item("410122-ZJ-001").special_procedures == ["听证"]
    # the 2004–2026 calendar came with the demo
    with db.read() as s:
        assert s.execute(text("SELECT count(*) FROM calendar_year")).scalar() == 23


def test_json_and_xlsx_give_the_same_catalogue(db: Database, tmp_path: Path) -> None:
    items, _ = read_catalogue_file(DEMO_CATALOGUE)
    xlsx = tmp_path / "县事项目录2026.xlsx"
    write_catalogue_xlsx(items, xlsx)
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["事项", "材料"] and wb["事项"]["A1"].value == "事项编码"
    from_json = import_catalogue_file(db, CLOCK, DEMO_CATALOGUE)
    from_xlsx = import_catalogue_file(db, CLOCK, xlsx)
    assert from_xlsx.checksum == from_json.checksum
    assert from_xlsx.version == "县事项目录2026" and from_xlsx.source == "import"
    with db.read() as s:
        rows = s.execute(
            text("SELECT version, current FROM catalogue_version ORDER BY imported_at, version")
        )
        assert sorted(tuple(r) for r in rows) == [("2026.11-demo", 0), ("县事项目录2026", 1)]
        mats = s.execute(text("SELECT count(*) FROM catalogue_material")).scalar()
    assert mats == sum(len(i["materials"]) for i in DEMO["items"])


def bad_item(field: str, value: Any, index: int = 6) -> dict[str, Any]:
    doc = copy.deepcopy(DEMO)
    doc["items"][index][field] = value
    return doc


BAD_JSON = [
    (bad_item("promised_days", "三天"), "第 7 项：承诺时限必须是 0–365 的整数"),
    (bad_item("promised_days", 400), "第 7 项：承诺时限必须是 0–365 的整数"),
    (bad_item("type", "行政服务"), "第 7 项：事项类型“行政服务”须为"),
    (bad_item("kind", "急件"), "第 7 项：办件类型“急件”须为"),
    (bad_item("name", " "), "第 7 项：事项名称不能为空"),
    (bad_item("legal_basis", ""), "第 7 项：设定依据不能为空"),
    (bad_item("promised_days", 30), "第 7 项：承诺时限（30）不能超过法定时限（10）"),
    (bad_item("special_procedures", ["公示"]), "第 7 项：特别程序“公示”不在允许的范围内"),
    (bad_item("related_codes", ["NOPE"]), "第 7 项：关联事项“NOPE”不在本目录中"),
    (bad_item("code", DEMO["items"][0]["code"]), "第 7 项：事项编码“410122-RS-001”与第 1 项重复"),
    (bad_item("allows_tolerant", "也许"), "第 7 项：容缺受理须填“是”或“否”"),
    (
        bad_item("materials", [{"name": "", "form": "original"}]),
        "第 7 项第 1 份材料：材料名称不能为空",
    ),
    (
        bad_item("materials", [{"name": "身份证", "form": "扫描件"}]),
        "第 7 项第 1 份材料：材料形式“扫描件”",
    ),
    (
        bad_item("materials", [{"name": "身份证", "count": 0}]),
        "第 7 项第 1 份材料：份数必须是 1–99 的整数",
    ),
    (bad_item("materials", [{"name": "身份证", "tolerable": True}]), "但该事项不允许容缺受理"),
    (bad_item("kind", "即办件"), "第 7 项：即办件的承诺时限须为 0"),
    ({"version": "x", "items": []}, "事项目录中没有任何事项"),
    ({"version": "x"}, "事项目录缺少“items”事项列表"),
]


@pytest.mark.parametrize(("doc", "message"), BAD_JSON)
def test_malformed_json_is_refused_whole(
    db: Database, tmp_path: Path, doc: Any, message: str
) -> None:
    import_catalogue_file(db, CLOCK, DEMO_CATALOGUE)
    before = fingerprint(db)
    with pytest.raises(CatalogueInvalid) as exc:
        import_catalogue_file(db, CLOCK, write_json(tmp_path / "bad.json", doc))
    assert message in exc.value.message, exc.value.message
    assert exc.value.status == 400
    assert fingerprint(db) == before


def test_broken_files_are_refused(db: Database, tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text('{"items": [\n{,', encoding="utf-8")
    (tmp_path / "latin1.json").write_bytes('{"items": "事"}'.encode("gb18030"))
    (tmp_path / "list.csv").write_text("a,b", encoding="utf-8")
    (tmp_path / "fake.xlsx").write_text("not a zip", encoding="utf-8")
    cases = {
        "broken.json": "第 2 行：不是有效的 JSON",
        "latin1.json": "不是 UTF-8 编码",
        "list.csv": "不支持的文件类型“.csv”",
        "fake.xlsx": "不是有效的 XLSX 文件",
        "missing.json": "无法读取文件",
    }
    for name, message in cases.items():
        with pytest.raises(CatalogueInvalid) as exc:
            read_catalogue_file(tmp_path / name)
        assert message in exc.value.message


def xlsx_with(tmp_path: Path, edit: Any) -> Path:
    items, _ = read_catalogue_file(DEMO_CATALOGUE)
    path = tmp_path / "county.xlsx"
    write_catalogue_xlsx(items, path)
    wb = load_workbook(path)
    edit(wb)
    wb.save(path)
    return path


def test_malformed_xlsx_names_the_row(db: Database, tmp_path: Path) -> None:
    import_catalogue_file(db, CLOCK, DEMO_CATALOGUE)
    before = fingerprint(db)

    def promised(wb: Any) -> None:
        wb["事项"]["G7"] = "十五"  # 承诺时限 of the item on row 7

    def material_code(wb: Any) -> None:
        wb["材料"]["A3"] = "NO-SUCH-ITEM"

    def material_form(wb: Any) -> None:
        wb["材料"]["C4"] = "照片"

    def drop_column(wb: Any) -> None:
        wb["事项"].delete_cols(3)

    def one_sheet(wb: Any) -> None:
        del wb["材料"]

    expected = [
        (promised, "第 7 行：承诺时限必须是 0–365 的整数"),
        (material_code, "“材料”表第 3 行：事项编码“NO-SUCH-ITEM”不在“事项”表中"),
        (material_form, "“材料”表第 4 行：材料形式“照片”须为 原件、复印件 或 原件及复印件"),
        (drop_column, "“事项”表缺少列：事项类型"),
        (one_sheet, "XLSX 须有两张表"),
    ]
    for edit, message in expected:
        with pytest.raises(CatalogueInvalid) as exc:
            import_catalogue_file(db, CLOCK, xlsx_with(tmp_path, edit))
        assert exc.value.message == message or message in exc.value.message, exc.value.message
        assert fingerprint(db) == before


def test_xlsx_headers_with_units_and_blank_rows(db: Database, tmp_path: Path) -> None:
    def edit(wb: Any) -> None:
        wb["事项"]["G1"] = "承诺时限（工作日）"
        wb["事项"].append([])

    info = import_catalogue_file(db, CLOCK, xlsx_with(tmp_path, edit))
    assert info.item_count == len(DEMO["items"])


def test_cli_main_reports_and_keeps_the_version(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings: Any = type("S", (), {"sqlalchemy_url": db.url})()
    assert catalogue_import_main(settings, DEMO_CATALOGUE) == 0
    assert "已导入事项目录 2026.11-demo：22 项" in capsys.readouterr().out
    before = fingerprint(db)
    bad = write_json(tmp_path / "bad.json", bad_item("promised_days", -1))
    assert catalogue_import_main(settings, bad) == 1
    err = capsys.readouterr().err
    assert "当前版本保持不变" in err and "第 7 项：承诺时限必须是 0–365 的整数" in err
    assert fingerprint(db) == before
