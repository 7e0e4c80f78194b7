"""The ledger export writer (台账导出, R-M3): CSV that Excel and WPS open as UTF-8, XLSX with
real date cells, any date range, and text that can never run as a formula."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from appliance.core.errors import Invalid
from appliance.documents.exports import (
    BOM,
    DateRange,
    Sheet,
    date_range,
    export_file,
    text_width,
    to_csv,
    to_xlsx,
)

TZ = ZoneInfo("Asia/Shanghai")
AT = datetime(2026, 11, 23, 1, 5, tzinfo=UTC)  # 09:05 Beijing
SHEET = Sheet(
    "咨询台账",
    ("编号", "时间", "日期", "内容", "次数", "公开", "空"),
    [
        ("ZX-20261123-001", AT, date(2026, 11, 26), '=HYPERLINK("x")', 3, True, None),
        ("ZX-20261123-002", AT, None, "+86 138", 0, False, ""),
    ],
)


def test_csv_has_a_bom_crlf_chinese_headers_and_defused_formulas_r_m3() -> None:
    data = to_csv(SHEET, TZ)
    assert data.startswith(BOM.encode("utf-8"))
    text = data.decode("utf-8-sig")
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["编号", "时间", "日期", "内容", "次数", "公开", "空"]
    assert rows[1] == [
        "ZX-20261123-001",
        "2026-11-23 09:05",
        "2026-11-26",
        '\'=HYPERLINK("x")',
        "3",
        "是",
        "",
    ]
    assert rows[2][3] == "'+86 138" and rows[2][5] == "否"


def test_xlsx_has_date_cells_a_frozen_bold_header_and_text_not_formulas_r_m3() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx([SHEET], TZ)))
    ws = wb["咨询台账"]
    assert [c.value for c in ws[1]] == list(SHEET.headers)
    assert ws["A1"].font.bold and ws.freeze_panes == "A2"
    assert ws["B2"].value == datetime(2026, 11, 23, 9, 5)  # local time, a real date cell
    assert ws["B2"].number_format == "yyyy-mm-dd hh:mm"
    assert ws["C2"].value == datetime(2026, 11, 26) and ws["C2"].number_format == "yyyy-mm-dd"
    assert ws["D2"].data_type == "s" and ws["D2"].value == '=HYPERLINK("x")'
    assert (ws["E2"].value, ws["F2"].value, ws["F3"].value) == (3, "是", "否")
    assert ws.column_dimensions["D"].width >= text_width("内容") + 2


def test_any_date_range_with_sensible_defaults_r_m3() -> None:
    today = date(2026, 11, 23)
    assert date_range(None, None, today) == DateRange(date(2026, 10, 25), today)
    assert date_range(date(2026, 1, 1), None, today) == DateRange(date(2026, 1, 1), today)
    assert date_range(None, date(2026, 3, 31), today).start == date(2026, 3, 2)
    with pytest.raises(Invalid, match="晚于结束日期"):
        date_range(date(2026, 12, 1), date(2026, 11, 1), today)
    with pytest.raises(Invalid, match="最长"):
        date_range(date(2000, 1, 1), today, today)
    first, after = DateRange(today, today).bounds(TZ)
    assert (first, after) == (
        datetime(2026, 11, 22, 16, tzinfo=UTC),
        datetime(2026, 11, 23, 16, tzinfo=UTC),
    )


def test_export_files_name_themselves_in_ascii_and_chinese_r_m3() -> None:
    period = DateRange(date(2026, 11, 1), date(2026, 11, 30))
    f = export_file(SHEET, "csv", TZ, "consultations", period)
    assert f.filename == "consultations-2026-11-01_2026-11-30.csv"
    assert f.media_type.startswith("text/csv")
    header = f.headers()["Content-Disposition"]
    assert header.startswith('attachment; filename="consultations-2026-11-01_2026-11-30.csv"')
    assert "filename*=UTF-8''%E5%92%A8%E8%AF%A2" in header
    with pytest.raises(Invalid, match="csv 或 xlsx"):
        export_file(SHEET, "pdf", TZ, "consultations", period)
