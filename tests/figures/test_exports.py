"""统计报表 export (R-M3): any date range as CSV (UTF-8 with BOM, Chinese headers) and XLSX
(one sheet per view), for the station head only (R-T4 ledgers)."""

from __future__ import annotations

import io

from litestar.testing import TestClient
from openpyxl import load_workbook

from appliance.figures.rules.table import HEADERS
from tests.figures.scripted_day import DAY, run_day
from tests.support.station import GUIDE, MANAGER, Station, login


def test_csv_export_has_chinese_headers_and_the_day_r_m3(
    station: Station, client: TestClient
) -> None:
    run_day(station)
    head = login(client, *MANAGER)
    r = client.get(f"/api/figures/export.csv?start={DAY}&end={DAY}", headers=head)
    assert r.status_code == 200, r.text
    assert r.content.startswith("\ufeff".encode())
    text = r.content.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0].split(",")[:4] == ["统计期间", "统计维度", "名称", "取号数"]
    day_line = next(line for line in lines if line.startswith(DAY))
    assert day_line.split(",")[1:4] == ["全站", "全站", "4"]
    assert any(line.startswith("全期,工作人员,王秀英") for line in lines)
    assert "filename*=UTF-8''" in r.headers["content-disposition"]


def test_xlsx_export_opens_with_one_sheet_per_view_r_m3(
    station: Station, client: TestClient
) -> None:
    run_day(station)
    head = login(client, *MANAGER)
    r = client.get(
        "/api/figures/export.xlsx?start=2026-11-01&end=2026-11-30&period=week", headers=head
    )
    assert r.status_code == 200, r.text
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["全站", "按业务类别", "按工作人员", "按事项"]
    rows = list(wb["全站"].iter_rows(values_only=True))
    assert rows[0] == HEADERS
    assert [row[0] for row in rows[1:]] == [
        "2026-W44",
        "2026-W45",
        "2026-W46",
        "2026-W47",
        "2026-W48",
        "2026-W49",
        "全期",
    ]
    assert rows[-1][3] == 4 and rows[5][3] == 4
    items = {row[2]: row for row in wb["按事项"].iter_rows(min_row=2, values_only=True)}
    assert items["X1"][10:14] == (1, 2, 1, 1)


def test_export_is_for_the_head_and_refuses_bad_ranges_r_m3(client: TestClient) -> None:
    guide = login(client, *GUIDE)
    assert client.get("/api/figures/export.csv", headers=guide).status_code == 403
    head = login(client, *MANAGER)
    r = client.get("/api/figures/export.xlsx?start=2026-12-02&end=2026-12-01", headers=head)
    assert r.status_code == 400 and "晚于" in r.text
    r = client.get("/api/figures/export.csv?period=year", headers=head)
    assert r.status_code == 400
