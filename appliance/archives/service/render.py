"""The archive's own documents as A4 PDFs (WenQuanYi Zen Hei, ``appliance.documents.pdf``):

- 申请材料登记 — the case's material checklist as a document (each material record);
- 办理过程记录 — every recorded decision (流转记录): who, when, what, why;
- 政务服务纸质文件移交清单 (HN-5 附录A) — a batch of cases handed over, with sign-off fields.

HN-5's 附录A table itself is not reproduced in the standard text we have; the list carries
what 7.3.3–7.3.5 ask to count and check (档号, 办件编号, 事项, 保管期限, 数量) and the
signatures of both sides (GB/T 13968 交接文据: 移交人, 接收人, dates, 审核意见).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from appliance.documents.pdf import _p, _styles, chinese_date, register_font

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

# reportlab is imported when a document is made, not with the server (R-N4: memory)
mm = 72 / 25.4  # points per millimetre (reportlab.lib.units.mm)


def _grid() -> object:
    from reportlab.lib import colors
    from reportlab.platypus import TableStyle

    return TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#F2F2F2")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
    )


def _document(
    title: str,
    lines: Sequence[str],
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    closing: Sequence[Flowable] = (),
    wide: bool = False,
) -> bytes:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer, Table

    font = register_font()
    st = _styles(font)
    story: list[Flowable] = [_p(title, st["title"])]
    story += [_p(line, st["cell"]) for line in lines]
    data = [[_p(h, st["key"]) for h in header]]
    data += [[_p(cell, st["cell"]) for cell in row] for row in rows]
    table = Table(data, colWidths=list(widths), repeatRows=1, hAlign="CENTER")
    table.setStyle(_grid())
    story += [Spacer(1, 4 * mm), table]
    if closing:
        story += [Spacer(1, 8 * mm), KeepTogether(list(closing))]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(A4) if wide else A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title,
    )
    doc.build(story)
    return out.getvalue()


def materials_pdf(
    station: str, case_number: str, item_name: str, rows: Sequence[Sequence[str]]
) -> bytes:
    """申请材料登记: one row per material (序号, 名称, 原件/复印件, 份数, 收取情况, 备注)."""
    header = ("序号", "材料名称", "形式", "份数", "收取情况", "备注")
    return _document(
        "申请材料登记",
        (f"办理机构：{station}", f"办件编号：{case_number}", f"事项名称：{item_name}"),
        header,
        [(str(i), *row) for i, row in enumerate(rows, 1)],
        (12 * mm, 62 * mm, 20 * mm, 12 * mm, 20 * mm, 52 * mm),
    )


def history_pdf(
    station: str, case_number: str, item_name: str, rows: Sequence[Sequence[str]]
) -> bytes:
    """办理过程记录: one row per decision (序号, 时间, 操作, 状态, 经办人, 说明)."""
    header = ("序号", "时间", "操作", "办理后状态", "经办人", "说明")
    return _document(
        "办理过程记录",
        (f"办理机构：{station}", f"办件编号：{case_number}", f"事项名称：{item_name}"),
        header,
        [(str(i), *row) for i, row in enumerate(rows, 1)],
        (12 * mm, 34 * mm, 28 * mm, 26 * mm, 20 * mm, 58 * mm),
    )


@dataclass(frozen=True)
class TransferLine:
    archive_no: str
    case_number: str
    item_name: str
    applicant: str
    completed_on: str
    retention: str
    file_count: int


@dataclass(frozen=True)
class TransferSheet:
    number: str
    round: int
    station: str
    receiver: str
    day: date
    lines: Sequence[TransferLine]
    previous_reason: str = ""  # why the previous round came back
    note: str = ""  # what was corrected


def transfer_pdf(sheet: TransferSheet) -> bytes:
    """政务服务纸质文件移交清单 (HN-5 7.3.4.1, 附录A) with the sign-off block."""
    from reportlab.platypus import Table, TableStyle

    font = register_font()
    st = _styles(font)
    lines = [
        f"清单编号：{sheet.number}　　第 {sheet.round} 次移交　　编制日期：{chinese_date(sheet.day)}",
        f"移交单位：{sheet.station}　　接收单位：{sheet.receiver}",
    ]
    if sheet.round > 1:
        lines.append(f"前次退回原因：{sheet.previous_reason or '（未记录）'}")
        lines.append(f"修正补充说明：{sheet.note or '（未填写）'}")
    header = (
        "序号",
        "档号",
        "办件编号",
        "事项名称",
        "申请人",
        "办结日期",
        "保管期限",
        "件数",
        "备注",
    )
    rows = [
        (
            str(i),
            line.archive_no,
            line.case_number,
            line.item_name,
            line.applicant,
            line.completed_on,
            line.retention,
            str(line.file_count),
            "",
        )
        for i, line in enumerate(sheet.lines, 1)
    ]
    total = sum(line.file_count for line in sheet.lines)
    sign = Table(
        [
            [_p(f"共 {len(sheet.lines)} 件办件，文件 {total} 份。", st["cell"]), ""],
            [_p("移交人（签字）：", st["cell"]), _p("接收人（签字）：", st["cell"])],
            [
                _p("移交日期：　　年　　月　　日", st["cell"]),
                _p("接收日期：　　年　　月　　日", st["cell"]),
            ],
            [
                _p("审核意见：□ 审核无误，予以接收　□ 退回修正补充", st["cell"]),
                _p("退回原因：", st["cell"]),
            ],
        ],
        colWidths=(130 * mm, 130 * mm),
    )
    sign.setStyle(TableStyle([("TOPPADDING", (0, 0), (-1, -1), 8), ("SPAN", (0, 0), (1, 0))]))
    return _document(
        "政务服务纸质文件移交清单",
        lines,
        header,
        rows,
        (10 * mm, 64 * mm, 52 * mm, 38 * mm, 20 * mm, 24 * mm, 16 * mm, 12 * mm, 20 * mm),
        (sign,),
        wide=True,
    )
