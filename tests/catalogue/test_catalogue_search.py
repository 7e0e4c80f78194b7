"""Catalogue search (R-S3), the guide API, the 一次性告知单 data (R-C4) and the county's
reference rows (R-S2)."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from appliance.calendar.service import CalendarService, apply_holiday_reference
from appliance.catalogue.controller import CatalogueController
from appliance.catalogue.service.catalogue import CatalogueService, initials
from appliance.catalogue.service.importer import (
    DEMO_CATALOGUE,
    apply_catalogue_reference,
    apply_county_reference,
    seed_demo_catalogue,
)
from appliance.core.clock import FrozenClock
from appliance.db.database import Database
from appliance.events.log import last_event_seq
from appliance.http.app import create_app
from appliance.uplink.tables import ReferenceRow
from tests.support.station import GUIDE, T0, Station, login

DEMO_ITEMS: list[dict[str, Any]] = json.loads(DEMO_CATALOGUE.read_text(encoding="utf-8"))["items"]


@pytest.fixture
def catalogue(station: Station) -> CatalogueService:
    seed_demo_catalogue(station.services)
    return CatalogueService(station.services.db, station.clock)


@pytest.fixture
def api(station: Station, catalogue: CatalogueService) -> Iterator[TestClient]:
    app = create_app(station.settings, services=station.services)
    if not any(getattr(r, "path", "") == "/api/catalogue/items" for r in app.routes):
        app.register(CatalogueController)  # until app.py registers it
    with TestClient(app) as c:
        yield c


def names(hits: list[Any]) -> list[str]:
    return [h.name for h in hits]


def test_pinyin_initials() -> None:
    assert initials("养老保险") == "ylbx"
    assert initials("高龄津贴申请") == "gljtsq"
    assert initials("城乡居民医保参保登记") == "cxjmybcbdj"
    assert initials("农村宅基地和建房（规划许可）申请") == "nczjdhjfghxksq"


def test_search_by_pinyin_initials_r_s3(catalogue: CatalogueService) -> None:
    hits = names(catalogue.search("ylbx"))
    assert hits[:2] == ["城乡居民基本养老保险参保登记", "城乡居民基本养老保险待遇领取申请"]
    assert names(catalogue.search("gljt"))[0] == "高龄津贴申请"
    assert names(catalogue.search("GLJT"))[0] == "高龄津贴申请"
    assert names(catalogue.search("zjd"))[0] == "农村宅基地和建房（规划许可）申请"
    assert names(catalogue.search("jzz"))[0] == "居住证申领"
    assert names(catalogue.search("db"))[0] == "最低生活保障申请"  # 低保, a keyword's initials
    assert catalogue.search("qqqqzz") == []


def test_search_by_name_and_keyword(catalogue: CatalogueService) -> None:
    assert names(catalogue.search("生育登记"))[0] == "生育登记"
    assert names(catalogue.search("高龄"))[0] == "高龄津贴申请"
    assert names(catalogue.search("低保"))[0] == "最低生活保障申请"  # keyword
    assert names(catalogue.search("五保"))[0] == "特困人员救助供养申请"  # keyword only
    assert set(names(catalogue.search("医保"))[:4]) >= {"城乡居民医保参保登记", "城乡居民医保缴费"}
    救助 = names(catalogue.search("救助"))
    assert "临时救助申请" in 救助 and "最低生活保障申请" in 救助
    assert names(catalogue.search("410122-MZ-001")) == ["高龄津贴申请"]
    assert len(catalogue.search("")) == 20 and len(catalogue.search("", 50)) == len(DEMO_ITEMS)


def test_notice_sheet_data_r_c4(catalogue: CatalogueService) -> None:
    sheet = catalogue.notice_sheet("410122-MZ-003")
    assert sheet["title"] == "一次性告知单" and sheet["name"] == "最低生活保障申请"
    assert "社会救助暂行办法" in sheet["legal_basis"] and sheet["conditions"]
    assert [m["no"] for m in sheet["materials"]] == list(range(1, len(sheet["materials"]) + 1))
    first = sheet["materials"][0]
    assert first["name"] == "最低生活保障申请书" and first["form"] == "原件" and first["count"] == 1
    assert sheet["promised_days"] == 25 and "25 个工作日" in sheet["time_limit"]
    assert sheet["fees"] == "不收费" and sheet["window"] and sheet["phone"]
    assert {r["name"] for r in sheet["related"]} == {
        "临时救助申请",
        "特困人员救助供养申请",
        "困难群众医疗救助申请",
    }
    assert catalogue.notice_sheet("410122-WJ-001")["time_limit"].startswith("即办件")
    assert "听证所需时间不计入" in catalogue.notice_sheet("410122-ZJ-001")["time_limit"]
    json.dumps(sheet, ensure_ascii=False)  # a plain dict


def test_api_search_needs_staff_and_the_guide_is_public(api: TestClient) -> None:
    assert api.get("/api/catalogue/items", params={"q": "ylbx"}).status_code == 401
    h = login(api, *GUIDE)
    r = api.get("/api/catalogue/items", params={"q": "ylbx", "limit": 5}, headers=h)
    assert r.status_code == 200
    assert r.json()[0]["name"] == "城乡居民基本养老保险参保登记"
    assert r.json()[0]["kind"] == "即办件" and "养老" in r.json()[0]["keywords"]
    guide = api.get("/api/catalogue/items/410122-MZ-001")  # no login: 自助查询
    assert guide.status_code == 200
    body = guide.json()
    assert body["name"] == "高龄津贴申请" and body["promised_days"] == 15
    assert (
        body["materials"][0]["name"] == "居民身份证"
        and body["related"][0]["code"] == "410122-MZ-002"
    )


def test_api_bad_input_is_a_clear_4xx(api: TestClient) -> None:
    h = login(api, *GUIDE)
    r = api.get("/api/catalogue/items/NO-SUCH")
    assert r.status_code == 404 and r.json()["message"] == "找不到事项编码为“NO-SUCH”的事项"
    r = api.get("/api/catalogue/items", params={"q": "养" * 51}, headers=h)
    assert r.status_code == 400 and "检索词不能超过 50 个字" in r.json()["message"]
    r = api.get("/api/catalogue/items", params={"limit": 0}, headers=h)
    assert r.status_code == 400 and "返回条数" in r.json()["message"]
    r = api.get("/api/catalogue/items", params={"limit": "many"}, headers=h)
    assert r.status_code == 400


def put_rows(
    db: Database,
    table: str,
    rows: dict[str, dict[str, Any]],
    rev: int = 1,
    deleted: tuple[str, ...] = (),
) -> None:
    with db.write() as s:
        for rid, data in rows.items():
            row = s.get(ReferenceRow, (table, rid)) or ReferenceRow(
                table_name=table, id=rid, rev=rev, updated_at=T0
            )
            row.rev, row.deleted = rev, rid in deleted
            row.data = json.dumps(data, ensure_ascii=False)
            s.add(row)


def county_rows(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    # the county's rows: id = 事项编码, data = the item object (see dashboard/publish.py)
    return {i["code"]: {**i, "id": i["code"]} for i in items}


def test_county_catalogue_rows_become_the_current_version_r_s2(station: Station) -> None:
    db, clock = station.services.db, FrozenClock(T0)
    assert apply_catalogue_reference(db, clock).applied is False  # nothing published yet
    items = [copy.deepcopy(i) for i in DEMO_ITEMS if i["code"].startswith("410122-RS")]
    for item in items:
        item["related_codes"] = [c for c in item["related_codes"] if c.startswith("410122-RS")]
    put_rows(db, "catalogue", county_rows(items), rev=7)
    result = apply_catalogue_reference(db, clock)
    assert result.applied and "county-r7" in result.message
    svc = CatalogueService(db, clock)
    version = svc.current_version()
    assert version is not None and version.source == "county" and version.item_count == len(items)
    seq = last_event_seq(db)
    again = apply_catalogue_reference(db, clock)  # same contents: nothing written
    assert not again.applied and last_event_seq(db) == seq
    # a malformed publication is refused whole; the county version stays
    bad = county_rows(items)
    bad[items[0]["code"]]["promised_days"] = "很快"
    put_rows(db, "catalogue", bad, rev=8)
    refused = apply_catalogue_reference(db, clock)
    assert not refused.applied and "承诺时限必须是 0–365 的整数" in refused.message
    assert svc.current_version() == version
    # a tombstoned item leaves the catalogue
    put_rows(db, "catalogue", county_rows(items), rev=9, deleted=(items[-1]["code"],))
    assert apply_catalogue_reference(db, clock).applied
    assert sorted(h.code for h in svc.search("", 50)) == sorted(i["code"] for i in items[:-1])


def test_county_holiday_rows_extend_the_calendar(station: Station) -> None:
    db, clock = station.services.db, FrozenClock(T0)
    calendar = CalendarService(db, clock)
    assert calendar.deadline(T0.date().replace(month=12, day=28), 5).provisional
    days = {
        "2027-01-01": ("holiday", "元旦"),
        "2027-02-06": ("holiday", "春节"),
        "2027-02-20": ("workday", "春节"),
    }
    put_rows(db, "holiday", {d: {"date": d, "kind": k, "name": n} for d, (k, n) in days.items()})
    results = apply_county_reference(db, clock)
    assert [r.table for r in results] == ["catalogue", "holiday"]
    assert results[1].applied and "2027" in results[1].message
    cal = calendar.calendar()
    assert 2027 in cal.covered_years and cal.is_workday(T0.date().replace(2027, 2, 20))
    due = calendar.deadline(T0.date().replace(month=12, day=28), 5)
    assert not due.provisional and due.date.isoformat() == "2027-01-05"
    assert not apply_holiday_reference(db, clock).applied  # unchanged
    put_rows(db, "holiday", {"2027-01-01": {"date": "2027-01-01", "kind": "maybe"}}, rev=2)
    refused = apply_holiday_reference(db, clock)
    assert not refused.applied and "holiday（放假）或 workday（调休上班）" in refused.message
    assert calendar.calendar() == cal
