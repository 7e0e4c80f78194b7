"""Draw our ESC/POS receipts as PNG images (小票预览), for docs and reviews.

This interprets the subset of ESC/POS that :mod:`appliance.documents.receipt` emits, the way a 203 dpi
thermal printer would: 384 dots across on 58 mm paper, 576 on 80 mm, Font A cells of
12 x 24 dots (24 x 24 for Chinese), ``GS !`` magnification, ``ESC a`` alignment, ``ESC E``
bold, ``GS ( k`` QR codes (drawn with the ``qrcode`` library), ``ESC d`` feeds and the
``GS V`` cut. Anything else raises :class:`UnsupportedCommand`, so the preview never hides
bytes the printer would get.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import qrcode
from PIL import Image, ImageDraw, ImageFont

from appliance.documents.receipt import char_width, text_width

FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
MONO_INDEX = 1  # WenQuanYi Zen Hei Mono: half-width ASCII, full-width CJK
DOTS = {58: 384, 80: 576}
CELL_H = 24
LINE_GAP = 6
QR_ECC = {
    48: qrcode.constants.ERROR_CORRECT_L,
    49: qrcode.constants.ERROR_CORRECT_M,
    50: qrcode.constants.ERROR_CORRECT_Q,
    51: qrcode.constants.ERROR_CORRECT_H,
}


class UnsupportedCommand(ValueError):
    """A byte sequence outside the subset we print."""


@dataclass(frozen=True)
class TextLine:
    text: str
    align: int = 0  # 0 left, 1 centre, 2 right
    bold: bool = False
    width_mag: int = 1
    height_mag: int = 1


@dataclass(frozen=True)
class QrSymbol:
    data: bytes
    module: int
    ecc: int
    align: int = 1


@dataclass(frozen=True)
class Feed:
    lines: int


@dataclass(frozen=True)
class Cut:
    partial: bool = True


Element = TextLine | QrSymbol | Feed | Cut


@dataclass
class _State:
    align: int = 0
    bold: bool = False
    size: int = 0
    chinese: bool = False
    qr_module: int = 3
    qr_ecc: int = 48
    qr_data: bytes = b""
    line: bytearray = field(default_factory=bytearray)


def _text_line(state: _State) -> TextLine:
    encoding = "gb18030" if state.chinese else "latin-1"
    text = bytes(state.line).decode(encoding, errors="replace")
    state.line.clear()
    return TextLine(text, state.align, state.bold, (state.size >> 4) + 1, (state.size & 15) + 1)


def _qr_function(data: bytes, i: int, state: _State, out: list[Element]) -> int:
    """``GS ( k pL pH cn fn …`` at ``data[i]`` (after ``GS ( k``); returns the next index."""
    length = data[i] + 256 * data[i + 1]
    body = data[i + 2 : i + 2 + length]
    if len(body) < 2 or body[0] != 0x31:
        raise UnsupportedCommand(f"GS ( k with cn={body[:1]!r}")
    fn, args = body[1], body[2:]
    if fn == 0x41:  # model
        pass
    elif fn == 0x43:
        state.qr_module = args[0]
    elif fn == 0x45:
        state.qr_ecc = args[0]
    elif fn == 0x50:
        state.qr_data = args[1:]  # after m = 0x30
    elif fn == 0x51:
        out.append(QrSymbol(state.qr_data, state.qr_module, state.qr_ecc, state.align))
    else:
        raise UnsupportedCommand(f"GS ( k function {fn:#x}")
    return i + 2 + length


def parse_escpos(data: bytes) -> list[Element]:
    """The printed elements of an ESC/POS stream, in order."""
    out: list[Element] = []
    state = _State()
    i = 0
    while i < len(data):
        byte = data[i]
        pair = data[i : i + 2]
        if byte == 0x0A:
            out.append(_text_line(state))
            i += 1
        elif pair == b"\x1b@":
            state = _State()
            i += 2
        elif pair in (b"\x1ba", b"\x1bE", b"\x1b!"):
            value = data[i + 2]
            if pair == b"\x1ba":
                state.align = value % 48 if value >= 48 else value
            elif pair == b"\x1bE":
                state.bold = bool(value & 1)
            i += 3
        elif pair == b"\x1bd":
            if state.line:
                out.append(_text_line(state))
            out.append(Feed(data[i + 2]))
            i += 3
        elif pair in (b"\x1c&", b"\x1c."):
            state.chinese = pair == b"\x1c&"
            i += 2
        elif pair == b"\x1d!":
            state.size = data[i + 2]
            i += 3
        elif pair == b"\x1dV":
            mode = data[i + 2]
            i += 4 if mode in (0x41, 0x42) else 3  # modes 65/66 carry a feed amount
            out.append(Cut(partial=mode in (1, 49, 0x42)))
        elif data[i : i + 3] == b"\x1d(k":
            i = _qr_function(data, i + 3, state, out)
        elif byte in (0x1B, 0x1C, 0x1D) or byte < 0x20:
            raise UnsupportedCommand(f"unsupported command {data[i : i + 3]!r} at byte {i}")
        else:
            state.line.append(byte)
            i += 1
    if state.line:
        out.append(_text_line(state))
    return out


def _font() -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_PATH, CELL_H, index=MONO_INDEX)


def _draw_text(line: TextLine, font: ImageFont.FreeTypeFont) -> Image.Image:
    base = Image.new("L", (max(1, text_width(line.text) * CELL_H // 2 + 1), CELL_H), 255)
    draw = ImageDraw.Draw(base)
    x = 0
    for ch in line.text:
        cell = char_width(ch) * CELL_H // 2
        glyph_w = draw.textlength(ch, font=font)
        gx = x + (cell - glyph_w) / 2
        draw.text((gx, 0), ch, font=font, fill=0)
        if line.bold:
            draw.text((gx + 1, 0), ch, font=font, fill=0)
        x += cell
    base = base.point(lambda v: 0 if v < 190 else 255)  # thermal dots are on or off
    if line.width_mag == 1 and line.height_mag == 1:
        return base
    size = (base.width * line.width_mag, base.height * line.height_mag)
    return base.resize(size, Image.Resampling.NEAREST)


def _qr_image(symbol: QrSymbol) -> Image.Image:
    qr = qrcode.QRCode(
        error_correction=QR_ECC.get(symbol.ecc, qrcode.constants.ERROR_CORRECT_M),
        box_size=symbol.module,
        border=0,
    )
    qr.add_data(symbol.data)
    qr.make(fit=True)
    image = qr.make_image(fill_color="black", back_color="white").get_image()
    return cast(Image.Image, image).convert("L")


def render_receipt_png(data: bytes, paper_mm: int = 58, *, margin: int = 24) -> Image.Image:
    """The receipt as it comes out of the printer: white paper on a grey background."""
    width = DOTS[paper_mm]
    font = _font()
    rows: list[tuple[Image.Image | None, int, int]] = []  # (image, align, height)
    cut = False
    for element in parse_escpos(data):
        if isinstance(element, TextLine):
            img = _draw_text(element, font) if element.text else None
            height = CELL_H * element.height_mag + LINE_GAP
            rows.append((img, element.align, height))
        elif isinstance(element, QrSymbol):
            img = _qr_image(element)
            rows.append((img, element.align, img.height))
        elif isinstance(element, Feed):
            rows.append((None, 0, (CELL_H + LINE_GAP) * element.lines))
        else:
            cut = True
            break
    paper_h = sum(h for _, _, h in rows) + 2 * LINE_GAP
    paper = Image.new("L", (width, paper_h), 255)
    y = LINE_GAP
    for img, align, height in rows:
        if img is not None:
            x = {0: 0, 1: (width - img.width) // 2, 2: width - img.width}.get(align, 0)
            paper.paste(img, (max(0, x), y))
        y += height
    sheet = Image.new("RGB", (width + 2 * margin, paper_h + 2 * margin), (214, 214, 214))
    sheet.paste(paper.convert("RGB"), (margin, margin))
    if cut:
        draw = ImageDraw.Draw(sheet)
        bottom = margin + paper_h
        for x in range(margin, margin + width, 12):
            draw.line([(x, bottom), (x + 6, bottom)], fill=(120, 120, 120), width=2)
    return sheet


def save_receipt_png(data: bytes, path: str | Path, paper_mm: int = 58) -> Path:
    out = Path(path)
    render_receipt_png(data, paper_mm).save(out, optimize=True)
    return out
