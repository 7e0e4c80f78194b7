"""Catalogue imports (事项目录导入): JSON, the counties' XLSX sheet, the demo, county sync.

A file is validated whole before anything is written; a malformed file raises
``CatalogueInvalid`` naming the row and the reason, and the current version stays.

JSON schema (UTF-8)::

    {"version": "2026-11",               # 版本号 (optional; default: the file name)
     "items": [{
        "code": "410100-SB-001",         # 事项编码, unique; letters, digits, - _ .
        "name": "城乡居民基本养老保险参保登记",
        "type": "公共服务",               # 行政许可|行政确认|行政裁决|行政给付|行政奖励|
                                          # 行政备案|其他行政权力|公共服务
        "legal_basis": "…", "conditions": "…",
        "legal_days": 20, "promised_days": 5,     # working days, 0–365; 即办件 → 0
        "kind": "承诺件",                 # 即办件|承诺件|上报件
        "fees": "不收费", "fee_basis": "",
        "delivery_methods": ["窗口领取"], # 窗口领取|邮寄送达|电子送达|上门送达
        "category_prefix": "B",           # serving category letter, or ""
        "allows_notify_commit": false, "allows_tolerant": true,
        "special_procedures": [],         # 检验|专家评审|听证
        "keywords": ["养老", "社保"], "related_codes": ["…"],
        "department": "县人社局", "window": "2号窗口", "phone": "0371-…",
        "retention": "10年",             # 保管期限 永久|30年|10年; omitted: by 事项类型
        "materials": [{"name": "居民身份证", "form": "original",   # original|copy|both
                       "count": 1, "required": true, "tolerable": false,
                       "notes": "", "sample": ""}]}]}

XLSX (:mod:`appliance.catalogue.service.xlsx`): the project's own layout — sheet 1 (事项) one
row per item, sheet 2 (材料) one row per material keyed by 事项编码, row 1 the Chinese headers
of ``ITEM_COLUMNS`` / ``MATERIAL_COLUMNS`` (a parenthesised suffix such as “（工作日）” is
ignored), lists separated by “、”, flags 是/否 — or a provincial 实施清单 export, read through
the column mapping of :mod:`appliance.catalogue.rules.columns`. docs/catalogue.md has both.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from appliance.calendar.service import (
    CalendarService,
    ReferenceApplied,
    apply_holiday_reference,
    seed_calendar_from_package,
)
from appliance.catalogue.rules import (
    CatalogueInvalid,
    ItemSpec,
    RawItem,
    checksum,
    parse_items,
)
from appliance.catalogue.rules.columns import OWN_ITEM_COLUMNS, OWN_MATERIAL_COLUMNS
from appliance.catalogue.service.catalogue import (
    CatalogueService,
    VersionInfo,
    current_version_row,
    replace_catalogue,
)
from appliance.catalogue.service.xlsx import read_xlsx_catalogue
from appliance.catalogue.service.xlsx import write_catalogue_xlsx as write_catalogue_xlsx
from appliance.core.clock import Clock, SystemClock
from appliance.core.errors import DomainError, Invalid
from appliance.db.database import Database
from appliance.settings import Settings

DEMO_CATALOGUE = Path(__file__).resolve().parents[2] / "data" / "demo_catalogue.json"

# The XLSX layouts and their column mappings: appliance.catalogue.rules.columns (re-exported).
ITEM_COLUMNS = OWN_ITEM_COLUMNS
MATERIAL_COLUMNS = OWN_MATERIAL_COLUMNS


def _json_document(data: Any, default_version: str) -> tuple[list[RawItem], str]:
    items: Any
    if isinstance(data, list):
        items, version = data, default_version
    elif isinstance(data, dict):
        items = data.get("items")
        version = str(data.get("version") or default_version).strip()[:64]
    else:
        raise CatalogueInvalid("事项目录须为 JSON 对象 {version, items} 或事项数组")
    if not isinstance(items, list):
        raise CatalogueInvalid("事项目录缺少“items”事项列表")
    raws = []
    for i, item in enumerate(items, start=1):
        where = f"第 {i} 项"
        if not isinstance(item, dict):
            raise CatalogueInvalid(f"{where}：须为对象 {{…}}")
        mats = item.get("materials", [])
        if not isinstance(mats, list):
            raise CatalogueInvalid(f"{where}：“materials”须为材料列表")
        materials = []
        for j, m in enumerate(mats, start=1):
            if not isinstance(m, dict):
                raise CatalogueInvalid(f"{where}第 {j} 份材料：须为对象 {{…}}")
            materials.append((f"{where}第 {j} 份材料", m))
        raws.append(RawItem(where, item, materials))
    return raws, version or default_version


def read_json_catalogue(raw: bytes, default_version: str) -> tuple[list[ItemSpec], str]:
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise CatalogueInvalid("事项目录文件不是 UTF-8 编码") from exc
    except json.JSONDecodeError as exc:
        raise CatalogueInvalid(
            f"第 {exc.lineno} 行：不是有效的 JSON（第 {exc.colno} 列附近）"
        ) from exc
    raws, version = _json_document(data, default_version)
    return parse_items(raws), version


def read_catalogue_file(path: Path) -> tuple[list[ItemSpec], str]:
    """Items and version of a JSON or XLSX file (by extension), or ``CatalogueInvalid``."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return read_xlsx_catalogue(path)
    if suffix != ".json":
        raise CatalogueInvalid(f"不支持的文件类型“{suffix or '无扩展名'}”：请提供 .json 或 .xlsx")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogueInvalid(f"无法读取文件 {path}") from exc
    return read_json_catalogue(raw, path.stem)


def import_catalogue_file(
    db: Database, clock: Clock, path: Path, source: str = "import"
) -> VersionInfo:
    """Validate the whole file, then replace the catalogue in one transaction."""
    items, version = read_catalogue_file(path)
    return CatalogueService(db, clock).replace(items, version, source)


def seed_demo_catalogue(services_or_db: Any, clock: Clock | None = None) -> bool:
    """``yizhan demo seed``: the demo catalogue and the 2004–2026 calendar, once."""
    db: Database = getattr(services_or_db, "db", services_or_db)
    clock = clock or getattr(services_or_db, "clock", None) or SystemClock()
    seed_calendar_from_package(db, clock)
    with db.read() as s:
        if current_version_row(s) is not None:
            return False
    items, version = read_json_catalogue(DEMO_CATALOGUE.read_bytes(), "demo")
    CatalogueService(db, clock).replace(items, version, "demo")
    return True


def apply_catalogue_reference(db: Database, clock: Clock) -> ReferenceApplied:
    """Apply the county's ``catalogue`` reference rows (one row per item, id = 事项编码,
    data = an item of the JSON schema) as a new version, in one transaction (R-S2).

    A malformed set is refused whole and the current version stays; the same contents
    as the current county version change nothing."""
    from sqlmodel import col, select

    from appliance.uplink.tables import ReferenceRow

    with db.write() as s:
        rows = s.exec(
            select(ReferenceRow)
            .where(ReferenceRow.table_name == "catalogue", col(ReferenceRow.deleted).is_(False))
            .order_by(col(ReferenceRow.id))
        ).all()
        if not rows:
            return ReferenceApplied("catalogue", False, "县级中心尚未发布事项目录")
        try:
            docs = [{**json.loads(r.data), "code": r.id} for r in rows]
            raws, _ = _json_document(docs, "")
            items = parse_items(raws, drop_unknown_related=True)
        except (CatalogueInvalid, json.JSONDecodeError) as exc:
            reason = exc.message if isinstance(exc, Invalid) else "不是有效的 JSON"
            return ReferenceApplied("catalogue", False, f"县级事项目录有误，未应用：{reason}")
        current = current_version_row(s)
        if (
            current is not None
            and current.source == "county"
            and current.checksum == checksum(items)
        ):
            return ReferenceApplied("catalogue", False, "事项目录已是最新")
        version = f"county-r{max(r.rev for r in rows)}"
        info = replace_catalogue(s, items, version, "county", clock.now())
    return ReferenceApplied(
        "catalogue", True, f"已应用县级事项目录 {info.version}，共 {info.item_count} 项"
    )


def apply_county_reference(db: Database, clock: Clock) -> list[ReferenceApplied]:
    """Both county tables this module owns: the catalogue and the holiday calendar."""
    return [apply_catalogue_reference(db, clock), apply_holiday_reference(db, clock)]


def catalogue_import_main(settings: Settings, path: str | Path) -> int:
    """``yizhan catalogue import FILE`` (.json or .xlsx); 0 on success, 1 when refused."""
    db = Database(settings.sqlalchemy_url)
    try:
        info = import_catalogue_file(db, SystemClock(), Path(path))
    except DomainError as exc:
        print(f"事项目录未导入，当前版本保持不变。{exc.message}", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    print(f"已导入事项目录 {info.version}：{info.item_count} 项，校验和 {info.checksum[:12]}")
    return 0


def calendar_import_main(settings: Settings, path: str | Path) -> int:
    """``yizhan calendar import FILE`` (JSON); 0 on success, 1 when refused."""
    db = Database(settings.sqlalchemy_url)
    try:
        change = CalendarService(db, SystemClock()).import_file(Path(path))
    except DomainError as exc:
        print(f"节假日安排未导入，日历保持不变。{exc.message}", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    years = "、".join(map(str, change.years))
    print(f"已导入节假日安排：{years} 年，共 {change.entries} 天")
    return 0
