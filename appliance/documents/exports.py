"""Ledger exports (台账导出, R-M3): CSV and XLSX of any date range, with Chinese headers, that
open as they are in Excel and WPS. One writer for every ledger of the station.

How a ledger uses it (see ``appliance/consultations/service/exports.py``)::

    period = date_range(start, end, today)            # Invalid in Chinese when wrong
    sheet = Sheet("咨询台账", ("编号", "咨询时间", …), rows)   # plain cells, one tuple a row
    file = export_file(sheet, "xlsx", tz, "consultations", period)
    Response(file.content, media_type=file.media_type, headers=file.headers())

- CSV: UTF-8 **with** a BOM (Excel on Windows takes UTF-8 only with it; WPS either way),
  CRLF line ends, RFC 4180 quoting. A text cell that begins with ``= + - @`` (or a tab or
  carriage return) gets a leading apostrophe, so a spreadsheet never runs a visitor's text as
  a formula (CSV injection).
- XLSX: openpyxl, one sheet per table, bold frozen header row, column widths from the text
  (Chinese characters counted double), dates and times as real date cells in the station's
  local time, a formula-looking text stored as text.
- Cells are ``str``, ``int``, ``float``, ``bool`` (是 / 否), ``date``, aware ``datetime``
  (shown in ``tz``) or ``None`` (empty).

Not pure (openpyxl): services and controllers call it, never a rule.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Literal
from urllib.parse import quote

from appliance.core.errors import Invalid

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell

BOM = "\ufeff"
CSV_MEDIA = "text/csv"  # Litestar appends "; charset=utf-8" to text/* itself
XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"csv": CSV_MEDIA, "xlsx": XLSX_MEDIA}
DEFAULT_DAYS = 30  # no dates given: the last 30 days up to today
MAX_DAYS = 3660  # ten years: "any date range", bounded
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TIME_FORMAT = "%Y-%m-%d %H:%M"

CellValue = str | int | float | bool | date | datetime | None
Format = Literal["csv", "xlsx"]


@dataclass(frozen=True)
class Sheet:
    """One table to export: a sheet title, Chinese column headers and plain cells."""

    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[CellValue]]


@dataclass(frozen=True)
class DateRange:
    """起止日期, both ends included (station-local days)."""

    start: date
    end: date

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def label(self) -> str:
        return f"{self.start.isoformat()}_{self.end.isoformat()}"

    def bounds(self, tz: tzinfo) -> tuple[datetime, datetime]:
        """[first instant, instant after the last day) in UTC, for a time column."""
        first = datetime.combine(self.start, time(0), tz).astimezone(UTC)
        after = datetime.combine(self.end + timedelta(days=1), time(0), tz).astimezone(UTC)
        return first, after


def date_range(start: date | None, end: date | None, today: date) -> DateRange:
    """The period asked for: ``end`` defaults to today, ``start`` to 30 days before ``end``.

    Refused (``Invalid``) when the start comes after the end or the period is longer than
    ten years."""
    last = end or today
    first = start or (last - timedelta(days=DEFAULT_DAYS - 1))
    if first > last:
        raise Invalid(
            f"起始日期 {first.isoformat()} 晚于结束日期 {last.isoformat()}，请重新选择",
            "bad_range",
        )
    if (last - first).days + 1 > MAX_DAYS:
        raise Invalid(f"导出期间最长 {MAX_DAYS} 天，请缩短起止日期", "range_too_long")
    return DateRange(first, last)


def _plain(value: CellValue, tz: tzinfo) -> str | int | float:
    """A cell as CSV text (numbers stay numbers)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.astimezone(tz).strftime(TIME_FORMAT)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_START) else value
    return value


def to_csv(sheet: Sheet, tz: tzinfo) -> bytes:
    """UTF-8 with BOM, CRLF, one header row; formula-looking text defused."""
    buf = io.StringIO()
    buf.write(BOM)
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(sheet.headers)
    for row in sheet.rows:
        writer.writerow([_plain(v, tz) for v in row])
    return buf.getvalue().encode("utf-8")


def text_width(text: str) -> int:
    """Display width: East Asian wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _xlsx_value(value: CellValue, tz: tzinfo) -> str | int | float | date | datetime | None:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.astimezone(tz).replace(tzinfo=None)
    return value


def _shown(value: CellValue, tz: tzinfo) -> str:
    return str(_plain(value, tz))


def to_xlsx(sheets: Sequence[Sheet], tz: tzinfo) -> bytes:
    """One worksheet per sheet: bold frozen header, widths from the text, real date cells."""
    # openpyxl (with PIL) costs about 8 MB resident: imported at the first XLSX, not with
    # the server (R-N4)
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title[:31])
        ws.append(list(sheet.headers))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            ws.append([_xlsx_value(v, tz) for v in row])
        for line in ws.iter_rows(min_row=2):
            for cell in line:
                _format(cell)
        for i, header in enumerate(sheet.headers, start=1):
            widths = [text_width(str(header))]
            widths += [text_width(_shown(r[i - 1], tz)) for r in sheet.rows if len(r) >= i]
            ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, max(widths) + 2))
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _format(cell: Cell) -> None:
    value = cell.value
    if isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text that looks like a formula stays text


@dataclass(frozen=True)
class ExportFile:
    """A finished export: the bytes, their media type and the download names."""

    content: bytes
    media_type: str
    filename: str  # ASCII, for every browser and for curl
    label: str  # the Chinese name offered by browsers that read ``filename*``

    def headers(self) -> dict[str, str]:
        """``Content-Disposition`` (ASCII name plus the UTF-8 Chinese one) and no caching."""
        disposition = (
            f'attachment; filename="{self.filename}"; '
            f"filename*=UTF-8''{quote(self.label, safe='')}"
        )
        return {"Content-Disposition": disposition, "Cache-Control": "no-store"}


def export_file(sheet: Sheet, fmt: str, tz: tzinfo, name: str, period: DateRange) -> ExportFile:
    """The sheet as ``csv`` or ``xlsx``; ``name`` is an ASCII stem (``consultations``)."""
    if fmt not in FORMATS:
        raise Invalid(f"导出格式“{fmt}”不支持，可选 csv 或 xlsx", "bad_format")
    content = to_csv(sheet, tz) if fmt == "csv" else to_xlsx([sheet], tz)
    stem = f"{name}-{period.label()}.{fmt}"
    label = f"{sheet.title}（{period.start.isoformat()}至{period.end.isoformat()}）.{fmt}"
    return ExportFile(content, FORMATS[fmt], stem, label)


__all__ = [
    "BOM",
    "CSV_MEDIA",
    "XLSX_MEDIA",
    "DateRange",
    "ExportFile",
    "Sheet",
    "date_range",
    "export_file",
    "text_width",
    "to_csv",
    "to_xlsx",
]
