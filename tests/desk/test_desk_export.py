""" "办不成事" register export (R-P1, R-M3): any date range as CSV and XLSX with Chinese
headers, for the station head; a wrong range is refused in Chinese."""

from __future__ import annotations

import csv
import io

import openpyxl
from litestar.testing import TestClient

from tests.desk.desk_support import VISITOR, body
from tests.support.station import MANAGER, WINDOW_CLERK, Station, login


def test_export_csv_and_xlsx_of_a_period_r_p1(client: TestClient, station: Station) -> None:
    clerk = login(client, *WINDOW_CLERK)
    for kind in ("simple", "complex", "transfer"):
        assert client.post("/api/desk", json=body(kind), headers=clerk).status_code == 201
    head = login(client, *MANAGER)
    r = client.get("/api/desk/export.csv?start=2026-11-01&end=2026-11-30", headers=head)
    assert r.status_code == 200, r.text
    assert r.content.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with a BOM
    assert "desk-2026-11-01_2026-11-30.csv" in r.headers["content-disposition"]
    table = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert table[0][:4] == ["登记编号", "登记时间", "问题类型", "反映问题"]
    assert [line[0] for line in table[1:]] == [
        "BC-20261123-001",
        "BC-20261123-002",
        "BC-20261123-003",
    ]
    by_number = {line[0]: dict(zip(table[0], line, strict=True)) for line in table[1:]}
    assert by_number["BC-20261123-001"]["状态"] == "当场办结"
    assert by_number["BC-20261123-002"]["办结期限"] == "2026-11-30"
    assert by_number["BC-20261123-003"]["承办人"] == "李建国"
    assert by_number["BC-20261123-003"]["告知方式"] == "短信"
    assert by_number["BC-20261123-001"]["服务对象"] == VISITOR  # the ledger itself names them

    r = client.get("/api/desk/export.xlsx?start=2026-11-23&end=2026-11-23", headers=head)
    assert r.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    assert sheet is not None and sheet.title == "办不成事登记台账"
    assert sheet.cell(1, 1).value == "登记编号" and sheet.max_row == 4

    r = client.get("/api/desk/export.csv?start=2026-10-01&end=2026-10-31", headers=head)
    assert r.status_code == 200 and len(r.content.decode("utf-8-sig").splitlines()) == 1


def test_export_is_for_the_head_and_refuses_a_reversed_range_r_p1(client: TestClient) -> None:
    r = client.get("/api/desk/export.csv", headers=login(client, *WINDOW_CLERK))
    assert r.status_code == 403
    r = client.get(
        "/api/desk/export.csv?start=2026-11-30&end=2026-11-01", headers=login(client, *MANAGER)
    )
    assert r.status_code == 400 and "晚于结束日期" in r.json()["message"]
    r = client.get("/api/desk?status=later", headers=login(client, *MANAGER))
    assert r.status_code == 400 and "未知的状态" in r.json()["message"]
