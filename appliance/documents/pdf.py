"""A4 notices (通知书) as PDF, with the WenQuanYi Zen Hei font (R-K2).

Generic on purpose: the case-handling code fills a :class:`Notice` (受理通知书, 补正通知书,
不予受理通知书 …) and gets PDF bytes to send to the A4 printer (``media=A4``, 2 copies:
一式二份). reportlab cannot load Noto CJK (CFF outlines), so we embed WenQuanYi Zen Hei
from the TrueType collection (see PITFALLS). A notice renders in about 0.1 s.

For stations with only a thermal printer, :func:`notice_receipt` gives the condensed receipt
version (:func:`appliance.documents.receipt.build_notice_receipt`); the full PDF stays with the case.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Circle, Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from appliance.documents.receipt import build_notice_receipt, notice_receipt_lines

FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
FONT_NAME = "WenQuanYiZenHei"
DEFAULT_FOOTER = "本通知书一式二份，申请人、受理单位各执一份。"
MARGIN = 20 * mm
CONTENT_WIDTH = A4[0] - 2 * MARGIN - 12  # the frame pads 6 pt on each side

_font_lock = threading.Lock()


def register_font(path: Path = FONT_PATH) -> str:
    """Register the CJK font once per process (subfont 0 of the TTC); returns its name."""
    with _font_lock:
        if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=0))
    return FONT_NAME


def chinese_date(value: date | str) -> str:
    """``2026-11-23`` (or a date) as ``2026年11月23日``; other strings are kept as given."""
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return value
    else:
        day = value
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Notice:
    """A numbered notice printed 一式二份 (R-K2): 受理通知书, 补正通知书, 不予受理通知书 …

    ``rows`` are key/value pairs shown as a table (事项名称, 申请人, 受理人, 材料, 时限 …);
    ``body`` paragraphs are indented by two characters as usual in Chinese documents;
    ``addressee`` (e.g. ``张三``) is the salutation line, ``seal_text`` marks the area where
    the station stamps the notice.
    """

    title: str
    number: str
    station_name: str
    date: date | str
    body: Sequence[str] = ()
    rows: Sequence[tuple[str, str]] = ()
    addressee: str = ""
    qr_url: str | None = None
    qr_caption: str = "手机扫码查询办件进度"
    footer: str = DEFAULT_FOOTER
    seal_text: str = "（盖章）"

    def condensed_lines(self) -> list[str]:
        """The notice's content as receipt lines (see :func:`notice_receipt`)."""
        lines = [f"编号：{self.number}"]
        if self.addressee:
            lines.append(f"{self.addressee}：")
        lines += list(self.body)
        if self.rows:
            lines.append("---")
            lines += [f"{key}：{value}" for key, value in self.rows]
        lines += ["---", self.station_name, chinese_date(self.date), f"盖章：{' ' * 12}"]
        if self.footer:
            lines.append(self.footer)
        return lines


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=12, leading=20, wordWrap="CJK")
    return {
        "title": ParagraphStyle(
            "title", parent=base, fontSize=22, leading=30, alignment=TA_CENTER, spaceAfter=2 * mm
        ),
        "number": ParagraphStyle("number", parent=base, fontSize=11, alignment=TA_CENTER),
        "addressee": ParagraphStyle("addressee", parent=base, spaceBefore=4 * mm),
        "body": ParagraphStyle("body", parent=base, firstLineIndent=24, spaceBefore=1 * mm),
        "cell": ParagraphStyle("cell", parent=base, fontSize=11, leading=16),
        "key": ParagraphStyle("key", parent=base, fontSize=11, leading=16, alignment=TA_CENTER),
        "sign": ParagraphStyle("sign", parent=base, alignment=TA_RIGHT),
        "footer": ParagraphStyle("footer", parent=base, fontSize=9, leading=14, alignment=TA_LEFT),
        "caption": ParagraphStyle("caption", parent=base, fontSize=8, leading=11),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _rows_table(rows: Sequence[tuple[str, str]], st: dict[str, ParagraphStyle]) -> Table:
    data = [[_p(key, st["key"]), _p(value, st["cell"])] for key, value in rows]
    table = Table(data, colWidths=[36 * mm, CONTENT_WIDTH - 36 * mm], hAlign="CENTER")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#F2F2F2")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _seal(font: str, text: str) -> Drawing:
    """A dashed circle where the station stamps the notice, with 「（盖章）」 inside."""
    size = 36 * mm
    drawing = Drawing(size, size)
    drawing.add(
        Circle(
            size / 2,
            size / 2,
            size / 2 - 2,
            strokeColor=colors.grey,
            strokeDashArray=[3, 3],
            fillColor=None,
        )
    )
    drawing.add(
        String(
            size / 2,
            size / 2 - 5,
            text,
            fontName=font,
            fontSize=12,
            textAnchor="middle",
            fillColor=colors.grey,
        )
    )
    return drawing


def _qr(url: str, side: float = 28 * mm) -> Drawing:
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(side, side, transform=[side / (x1 - x0), 0, 0, side / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def _closing(notice: Notice, font: str, st: dict[str, ParagraphStyle]) -> Flowable:
    """The bottom block: QR code (optional) on the left; station, date and seal on the right."""
    sign = [
        _p(notice.station_name, st["sign"]),
        _p(chinese_date(notice.date), st["sign"]),
    ]
    right = Table([[sign], [_seal(font, notice.seal_text)]], colWidths=[80 * mm])
    right.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "RIGHT")]))
    left: list[Flowable] = []
    if notice.qr_url:
        left = [_qr(notice.qr_url), _p(notice.qr_caption, st["caption"])]
    table = Table([[left, right]], colWidths=[CONTENT_WIDTH - 80 * mm, 80 * mm])
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (0, 0), 0)])
    )
    return table


def render_notice_pdf(notice: Notice) -> bytes:
    """The notice as a one-page (longer bodies flow on) A4 PDF."""
    font = register_font()
    st = _styles(font)
    story: list[Flowable] = [
        _p(notice.station_name, st["number"]),
        Spacer(1, 2 * mm),
        _p(notice.title, st["title"]),
        _p(f"编号：{notice.number}", st["number"]),
        HRFlowable(width="100%", thickness=1.2, color=colors.black, spaceBefore=3 * mm),
    ]
    if notice.addressee:
        story.append(_p(f"{notice.addressee}：", st["addressee"]))
    story += [_p(paragraph, st["body"]) for paragraph in notice.body]
    if notice.rows:
        story += [Spacer(1, 5 * mm), _rows_table(notice.rows, st)]
    closing: list[Flowable] = [_closing(notice, font, st)]
    if notice.footer:  # kept with the seal block so the footer never sits alone on a page
        closing += [
            Spacer(1, 6 * mm),
            HRFlowable(width="100%", thickness=0.4, color=colors.grey),
            _p(notice.footer, st["footer"]),
        ]
    story += [Spacer(1, 10 * mm), KeepTogether(closing)]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=20 * mm,
        bottomMargin=18 * mm,
        title=f"{notice.title} {notice.number}",
        author=notice.station_name,
        creator="yizhan",
    )
    doc.build(story)
    return out.getvalue()


def notice_receipt(notice: Notice, paper_mm: int = 58) -> tuple[bytes, str]:
    """ESC/POS bytes and plain text of the notice's condensed receipt version."""
    lines = notice.condensed_lines()
    data = build_notice_receipt(notice.title, lines, notice.qr_url, paper_mm)
    text = "\n".join(notice_receipt_lines(notice.title, lines, notice.qr_url, paper_mm))
    return data, text + "\n"
