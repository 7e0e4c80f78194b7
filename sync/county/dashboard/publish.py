"""发布: validate an uploaded catalogue version, holiday calendar or staff list, then write
it through the core's reference service so stations pull it down.

Validation happens before anything is written; a bad file raises ``Invalid`` with a Chinese
message naming the first problem.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from appliance.catalogue.rules import CatalogueInvalid
from appliance.catalogue.service.xlsx import read_xlsx_catalogue
from appliance.core.errors import Invalid, NotFound
from sync.county.models import Station
from sync.county.reference import publish_table, upsert_reference
from sync.county.services import CountyServices

MAX_ROWS = 5000
HOLIDAY_KINDS = {"holiday": "放假", "workday": "调休上班"}


@dataclass(frozen=True)
class Published:
    """What one publication did (发布结果)."""

    table: str
    rows: int
    changed: int


def parse_json_list(raw: bytes, what: str) -> list[dict[str, Any]]:
    """A JSON array of objects, or ``Invalid`` saying exactly what is wrong."""
    if not raw.strip():
        raise Invalid(f"上传的{what}文件是空的", "empty_upload")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise Invalid(f"{what}文件不是 UTF-8 编码的文本", "bad_encoding") from exc
    except json.JSONDecodeError as exc:
        raise Invalid(
            f"{what}文件不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列附近）", "bad_json"
        ) from exc
    if not isinstance(data, list):
        raise Invalid(f"{what}须为 JSON 数组（列表），每项一个对象", "not_a_list")
    if not data:
        raise Invalid(f"{what}不能为空列表", "empty_list")
    if len(data) > MAX_ROWS:
        raise Invalid(f"{what}最多 {MAX_ROWS} 项，本文件有 {len(data)} 项", "too_many")
    for i, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise Invalid(f"{what}第 {i} 项不是对象（须为 {{…}}）", "not_an_object")
    return data


def _text(item: dict[str, Any], key: str, i: int, what: str, limit: int = 64) -> str:
    value = item.get(key)
    if isinstance(value, bool) or not isinstance(value, str | int) or not str(value).strip():
        raise Invalid(f"{what}第 {i} 项缺少“{key}”或其值为空", f"missing_{key}")
    text = str(value).strip()
    if len(text) > limit:
        raise Invalid(f"{what}第 {i} 项的“{key}”超过 {limit} 个字符", f"long_{key}")
    return text


def _unique(ids: list[str], what: str, key: str) -> None:
    seen: set[str] = set()
    for rid in ids:
        if rid in seen:
            raise Invalid(f"{what}中“{key}”重复：{rid}", "duplicate_id")
        seen.add(rid)


def xlsx_catalogue_rows(raw: bytes) -> dict[str, dict[str, Any]]:
    """事项目录 from an XLSX workbook: the project's own layout (``yizhan catalogue template``)
    or a provincial 实施清单 export, read through the documented column mapping
    (``docs/catalogue.md``) and checked whole as a station import is."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "catalogue.xlsx"
        path.write_bytes(raw)
        try:
            items, _ = read_xlsx_catalogue(path)
        except CatalogueInvalid as exc:
            raise Invalid(f"事项目录表格有误：{exc.message}", "bad_catalogue") from exc
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise Invalid("事项目录文件不是有效的 Excel（.xlsx）表格", "bad_xlsx") from exc
    return {item.code: {**asdict(item), "id": item.code} for item in items}


def catalogue_rows(raw: bytes) -> dict[str, dict[str, Any]]:
    """事项目录: a list of objects, each with a unique ``id``; or an XLSX workbook."""
    if raw[:2] == b"PK":  # a zip: an Excel workbook
        return xlsx_catalogue_rows(raw)
    items = parse_json_list(raw, "事项目录")
    ids = [_text(item, "id", i, "事项目录") for i, item in enumerate(items, start=1)]
    _unique(ids, "事项目录", "id")
    return {rid: {**item, "id": rid} for rid, item in zip(ids, items, strict=True)}


def holiday_rows(raw: bytes) -> dict[str, dict[str, Any]]:
    """节假日安排: ``{date: YYYY-MM-DD, kind: holiday|workday, name}``; one row per date."""
    what = "节假日安排"
    items = parse_json_list(raw, what)
    rows: dict[str, dict[str, Any]] = {}
    for i, item in enumerate(items, start=1):
        day = _text(item, "date", i, what, 10)
        try:
            date.fromisoformat(day)
        except ValueError as exc:
            raise Invalid(f"{what}第 {i} 项的日期“{day}”不是 YYYY-MM-DD 格式", "bad_date") from exc
        kind = item.get("kind")
        if kind not in HOLIDAY_KINDS:
            raise Invalid(
                f"{what}第 {i} 项的“kind”须为 holiday（放假）或 workday（调休上班）", "bad_kind"
            )
        name = _text(item, "name", i, what, 50)
        if day in rows:
            raise Invalid(f"{what}中日期重复：{day}", "duplicate_id")
        rows[day] = {"date": day, "kind": kind, "name": name}
    return rows


def staff_entries(raw: bytes) -> list[dict[str, Any]]:
    """站点人员名单: objects with a unique ``code`` (工号) and a ``name``."""
    what = "人员名单"
    items = parse_json_list(raw, what)
    out = []
    for i, item in enumerate(items, start=1):
        code = _text(item, "code", i, what, 32)
        name = _text(item, "name", i, what, 50)
        out.append({**item, "code": code, "name": name})
    _unique([e["code"] for e in out], what, "code")
    return out


def publish_catalogue(svc: CountyServices, raw: bytes) -> Published:
    """A new catalogue version replaces the whole 事项目录 (dropped items become tombstones)."""
    rows = catalogue_rows(raw)
    return Published("catalogue", len(rows), publish_table(svc, "catalogue", rows))


def publish_holidays(svc: CountyServices, raw: bytes) -> Published:
    """A holiday calendar replaces the whole 节假日安排."""
    rows = holiday_rows(raw)
    return Published("holiday", len(rows), publish_table(svc, "holiday", rows))


def publish_staff(svc: CountyServices, station_id: str, raw: bytes) -> Published:
    """One station's staff list: one ``staff`` row per station (id = station id), so a
    list is replaced atomically and never touches another station's list."""
    station_id = station_id.strip()
    with svc.db.snapshot() as s:
        if not station_id or s.get(Station, station_id) is None:
            raise NotFound(f"找不到站点“{station_id}”，请先选择站点", "unknown_station")
    entries = staff_entries(raw)
    rev = upsert_reference(svc, "staff", station_id, {"station_id": station_id, "staff": entries})
    return Published("staff", len(entries), 0 if rev is None else 1)


KNOWLEDGE_KEYWORDS = 10


def knowledge_rows(raw: bytes) -> dict[str, dict[str, Any]]:
    """知识库 (R-C3): objects with a unique ``id``, a ``question`` and an ``answer``;
    ``keywords`` (a list or 顿号-separated text) and ``public`` (default true) optional."""
    what = "知识库"
    items = parse_json_list(raw, what)
    rows: dict[str, dict[str, Any]] = {}
    for i, item in enumerate(items, start=1):
        rid = _text(item, "id", i, what)
        question = _text(item, "question", i, what, 100)
        answer = _text(item, "answer", i, what, 800)
        keywords = item.get("keywords") or []
        if isinstance(keywords, str):
            keywords = [k for k in keywords.replace("，", "、").replace(",", "、").split("、") if k]
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            raise Invalid(f"{what}第 {i} 项的“keywords”须为文字列表", "bad_keywords")
        if len(keywords) > KNOWLEDGE_KEYWORDS:
            raise Invalid(
                f"{what}第 {i} 项的关键词最多 {KNOWLEDGE_KEYWORDS} 个", "too_many_keywords"
            )
        public = item.get("public", True)
        if not isinstance(public, bool):
            raise Invalid(f"{what}第 {i} 项的“public”须为 true 或 false", "bad_public")
        if rid in rows:
            raise Invalid(f"{what}中“id”重复：{rid}", "duplicate_id")
        rows[rid] = {
            "question": question,
            "answer": answer,
            "keywords": [k.strip() for k in keywords if k.strip()],
            "public": public,
        }
    return rows


def publish_knowledge(svc: CountyServices, raw: bytes) -> Published:
    """The county's knowledge base replaces the whole ``knowledge`` table: every station takes
    the entries in and retires those no longer listed (R-C3, R-N3)."""
    rows = knowledge_rows(raw)
    return Published("knowledge", len(rows), publish_table(svc, "knowledge", rows))
