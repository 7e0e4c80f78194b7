"""Exports of the front-desk ledgers (R-M3): 首问登记台账, 咨询台账 and 知识库 as CSV and XLSX
of any date range, with Chinese headers, for the station head only."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from litestar.testing import TestClient

from tests.support.station import GUIDE, MANAGER, WINDOW_CLERK, Station, login

LEDGERS = {
    "contacts": ("首问登记台账", "登记时间", "首问责任人"),
    "consultations": ("咨询台账", "编号", "约定答复日期"),
    "knowledge": ("知识库", "问题", "被咨询次数"),
}


def fill(station: Station, client: TestClient) -> None:
    """One contact, consultation and knowledge entry on Monday 11-23, and again a week later."""
    h = login(client, *GUIDE)
    for matter in ("高龄津贴怎么申请", "低保标准"):
        body = {"matter": matter, "outcome": "answered", "answer": "=1+1"}
        assert client.post("/api/contacts", json=body, headers=h).status_code == 201
        ask = {"question": matter, "channel": "letter", "visitor_contact": "13800001234"}
        entry = client.post("/api/consultations", json=ask, headers=h).json()
        reply = {"answer": "已书面答复"}
        client.post(f"/api/consultations/{entry['number']}/close", json=reply, headers=h)
        client.post(f"/api/consultations/{entry['number']}/promote", json={}, headers=h)
        station.clock.advance(days=7)
        h = login(client, *GUIDE)


@pytest.mark.parametrize("ledger", sorted(LEDGERS))
def test_csv_and_xlsx_of_a_period_r_m3(ledger: str, station: Station, client: TestClient) -> None:
    fill(station, client)
    h = login(client, *MANAGER)
    title, first_header, other_header = LEDGERS[ledger]
    r = client.get(f"/api/{ledger}/export.csv?start=2026-11-23&end=2026-11-23", headers=h)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith("\ufeff".encode())
    assert f'filename="{ledger}-2026-11-23_2026-11-23.csv"' in r.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][0] == first_header and other_header in rows[0]
    assert len(rows) == 2  # the first week only
    if ledger == "contacts":
        assert rows[1][2] == "高龄津贴怎么申请" and rows[1][9] == "'=1+1"
    r = client.get(f"/api/{ledger}/export.xlsx?start=2026-11-01&end=2026-12-31", headers=h)
    assert r.status_code == 200 and r.headers["content-type"].endswith("spreadsheetml.sheet")
    ws = openpyxl.load_workbook(io.BytesIO(r.content))[title]
    assert ws["A1"].value == first_header and ws.max_row == 3  # both weeks


def test_only_the_station_head_exports_and_bad_periods_are_refused_r_m3(
    station: Station, client: TestClient
) -> None:
    for account in (GUIDE, WINDOW_CLERK):
        h = login(client, *account)
        for ledger in LEDGERS:
            assert client.get(f"/api/{ledger}/export.csv", headers=h).status_code == 403
    h = login(client, *MANAGER)
    r = client.get("/api/consultations/export.csv?start=2026-12-01&end=2026-11-01", headers=h)
    assert r.status_code == 400 and "晚于结束日期" in r.json()["message"]
    r = client.get("/api/contacts/export.xlsx?start=2026-13-01", headers=h)
    assert r.status_code == 400 and "起始日期" in r.json()["message"]
    empty = client.get("/api/knowledge/export.csv", headers=h)
    assert empty.status_code == 200
    assert list(csv.reader(io.StringIO(empty.content.decode("utf-8-sig"))))[1:] == []
