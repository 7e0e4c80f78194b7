"""导出: CSV (UTF-8 with BOM so Excel opens it) and XLSX (openpyxl) of dashboard tables."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

BOM = "\ufeff"


@dataclass(frozen=True)
class Sheet:
    """One table to export: a sheet title, Chinese column headers and plain cells."""

    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[object]]


def to_csv(sheet: Sheet) -> bytes:
    buf = io.StringIO()
    buf.write(BOM)
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(sheet.headers)
    writer.writerows(sheet.rows)
    return buf.getvalue().encode("utf-8")


def to_xlsx(sheets: Sequence[Sheet]) -> bytes:
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
            ws.append(list(row))
        for i, header in enumerate(sheet.headers, start=1):
            width = max([len(str(header)) * 2] + [len(str(r[i - 1])) for r in sheet.rows])
            ws.column_dimensions[get_column_letter(i)].width = min(60, max(10, width + 2))
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
