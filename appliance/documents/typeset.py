"""Typesetting of A4 notices with reportlab (R-K2): fonts, paragraphs, the notice's layout.

The heavy half of :mod:`appliance.documents.pdf`: importing reportlab costs the process
about 20 MB and registering the CJK faces about 30 MB more, kept for the life of the
process. The station therefore typesets in a worker process
(:mod:`appliance.documents.render_worker`, started by
:func:`appliance.documents.pdf.render_notice_pdfs`) that imports this module and exits once
idle, so the memory goes back to the system. Importing it in a long-lived process is
for tests and for the archives' cover sheets.

GB/T 9704 (公文格式) sets the title in a Song face (小标宋) and the body in 仿宋. reportlab
cannot load Noto CJK (CFF outlines, see PITFALLS) and Debian ships no free 仿宋, so the title
uses AR PL UMing CN (``fonts-arphic-uming``) and the body AR PL UKai CN
(``fonts-arphic-ukai``, the 楷 face nearest to 仿宋's brush strokes); a missing face falls
back to UMing, then WenQuanYi Zen Hei. reportlab embeds only the glyphs used (subsets), so
a notice stays a few tens of KB. Lines break by the 避头尾 rules of
:mod:`appliance.documents.linebreak` (:class:`CJKParagraph`).
"""

from __future__ import annotations

import io
import mmap
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
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
from reportlab.platypus.paragraph import ParaLines, cjkU, makeCJKParaLine

from appliance.documents.linebreak import line_ends
from appliance.documents.pdf import (
    FONT_NAME,
    FONT_PATH,
    MONO,
    UKAI,
    UMING,
    Notice,
    chinese_date,
)

TITLE_FACES = (UMING,)  # Song (宋/明体) for the title, GB/T 9704
BODY_FACES = (UKAI, UMING)  # nearest free face to 仿宋 for the body
MARGIN = 20 * mm
CONTENT_WIDTH = A4[0] - 2 * MARGIN - 12  # the frame pads 6 pt on each side

_font_lock = threading.Lock()


class _MappedFile:
    """A font file as reportlab's parser reads it (``name`` and ``read()``), whose ``read``
    returns a read-only memory map instead of the file's bytes. reportlab keeps the data
    for subsetting: a copy costs 17–21 MB of heap per CJK face, a map only the pages it
    touches (the tables it parses and the glyphs a notice uses), as file pages."""

    def __init__(self, path: Path) -> None:
        self.name = str(path)  # reportlab checks the base name against its no-subset list
        self.path = path

    def read(self) -> mmap.mmap:
        with self.path.open("rb") as f:
            return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)


def _mapped_font(name: str, path: Path) -> Any:
    """reportlab's ``TTFont`` for ``path`` (subfont 0 of a TTC), read through a memory map."""
    return TTFont(name, _MappedFile(path), subfontIndex=0)


def register_font(path: Path = FONT_PATH) -> str:
    """Register the CJK font once per process (subfont 0 of the TTC); returns its name."""
    with _font_lock:
        if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(_mapped_font(FONT_NAME, path))
    return FONT_NAME


def _first_face(faces: Sequence[tuple[Path, str]]) -> str:
    """The first installed face of ``faces`` (subfont 0 of its TTC), else WenQuanYi."""
    with _font_lock:
        registered = pdfmetrics.getRegisteredFontNames()
        for path, name in faces:
            if name in registered:
                return name
            if path.exists():
                pdfmetrics.registerFont(_mapped_font(name, path))
                return name
    return register_font()


@dataclass(frozen=True)
class Faces:
    """The notice's fonts: ``title`` a Song face, ``body`` a 仿宋-like face (GB/T 9704)."""

    title: str
    body: str


def notice_faces() -> Faces:
    """Register (once) and name the notice fonts, falling back to WenQuanYi where missing."""
    return Faces(title=_first_face(TITLE_FACES), body=_first_face(BODY_FACES))


def mono_markup(text: str) -> str:
    """``text`` as paragraph markup with its Latin runs (case numbers, station codes) in DejaVu
    Sans Mono, whose dotted zero never reads as the letter O; unchanged without that font."""
    path, name = MONO
    if not path.exists():
        return escape(text)
    with _font_lock:
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(_mapped_font(name, path))
    runs = re.split(r"([\x21-\x7e]+)", text)
    return "".join(
        f'<font name="{name}">{escape(run)}</font>' if i % 2 else escape(run)
        for i, run in enumerate(runs)
    )


class CJKParagraph(Paragraph):  # type: ignore[misc]  # reportlab is untyped
    """A paragraph whose lines break by 避头尾 (:func:`~appliance.documents.linebreak.line_ends`)
    instead of reportlab's partial kinsoku (which lets "，" begin a line)."""

    def breakLinesCJK(self, maxWidths: float | Sequence[float]) -> ParaLines:  # noqa: N802
        limits = [float(maxWidths)] if isinstance(maxWidths, int | float) else list(maxWidths)
        if getattr(self, "_splitpara", 0) and hasattr(self, "blPara"):
            return self.blPara
        style = self.style
        self.height = 0
        if not self.frags:
            return ParaLines(
                kind=0,
                fontSize=style.fontSize,
                fontName=style.fontName,
                textColor=style.textColor,
                lines=[],
                ascent=style.fontSize,
                descent=-0.2 * style.fontSize,
            )
        glyphs = []
        for frag in self.frags:
            text = frag.text if hasattr(frag, "text") else ""
            glyphs += [cjkU(ch, frag, "utf8") for ch in text] if text else [cjkU("", frag, "utf8")]
        widths = [float(g.width) for g in glyphs]
        forced = {i for i, g in enumerate(glyphs) if hasattr(g.frag, "lineBreak")}
        calc_bounds = getattr(self, "autoLeading", getattr(style, "autoLeading", "")) not in (
            "",
            "off",
        )
        lines, start = [], 0
        for n, end in enumerate(line_ends(glyphs, widths, limits, forced)):
            limit = limits[min(n, len(limits) - 1)]
            used = sum(widths[start:end])
            hard = end - 1 in forced
            lines.append(
                makeCJKParaLine(glyphs[start:end], limit, used, limit - used, hard, calc_bounds)
            )
            start = end
        return ParaLines(kind=1, lines=lines)


def _styles(font: str, title_font: str | None = None) -> dict[str, ParagraphStyle]:
    """Paragraph styles in ``font``; the title in ``title_font`` when given (GB/T 9704)."""
    base = ParagraphStyle("base", fontName=font, fontSize=12, leading=20, wordWrap="CJK")
    return {
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontName=title_font or font,
            fontSize=22,
            leading=30,
            alignment=TA_CENTER,
            spaceAfter=2 * mm,
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
    return CJKParagraph(escape(text).replace("\n", "<br/>"), style)


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
    if notice.rating_url:  # a second code beside the first: rate the case once it is over
        rate = [_qr(notice.rating_url), _p(notice.rating_caption, st["caption"])]
        codes = [c for c in (left, rate) if c]
        pair = Table([codes], colWidths=[32 * mm] * len(codes))
        pair.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        left = [pair]
    table = Table([[left, right]], colWidths=[CONTENT_WIDTH - 80 * mm, 80 * mm])
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (0, 0), 0)])
    )
    return table


def typeset_notice(notice: Notice) -> bytes:
    """The notice as a one-page (longer bodies flow on) A4 PDF, typeset in this process."""
    faces = notice_faces()
    font = faces.body
    st = _styles(font, faces.title)
    story: list[Flowable] = [
        _p(notice.station_name, st["number"]),
        Spacer(1, 2 * mm),
        _p(notice.title, st["title"]),
        CJKParagraph(f"编号：{mono_markup(notice.number)}", st["number"]),
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
