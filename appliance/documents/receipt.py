"""Queue ticket receipt (排队小票, R-Q2) as plain text and as raw ESC/POS bytes.

We build the bytes ourselves: python-escpos sends ``?`` for many CJK characters and never
sends ``FS &`` (see PITFALLS). The byte stream is::

    ESC @, FS &                       initialise, enter Chinese (GB18030) mode
    ESC a 1, ESC E 1, GS ! 0x01       station name, centred, bold, double height
                                      (ESC a only where the alignment changes)
    GS ! 0x77                         ticket number at 8x width and height (smaller only
                                      when a long number would not fit on one line)
    ESC a 0                           details, left aligned, GB18030 text
    GS ( k (model, size, ECC, store, print)   QR code of the follow-up URL (and a second one,
                                      the one-time rating link, when the job carries it)
    ESC d 4, GS V 66 0                feed and partial cut

:func:`build_notice_receipt` uses the same blocks for the condensed receipt version of an A4
notice (通知书), for stations whose only printer is the thermal one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

ENCODING = "gb18030"
DEFAULT_TZ = "Asia/Shanghai"

# Paper width (mm) -> (ASCII columns at normal size, QR module size in dots).
PAPER: dict[int, tuple[int, int]] = {58: (32, 6), 80: (48, 8)}

ESC = b"\x1b"
GS = b"\x1d"
FS = b"\x1c"
INIT = ESC + b"@"
CHINESE_MODE = FS + b"&"
ALIGN_LEFT = ESC + b"a\x00"
ALIGN_CENTER = ESC + b"a\x01"
BOLD_ON = ESC + b"E\x01"
BOLD_OFF = ESC + b"E\x00"
CUT = GS + b"V\x42\x00"  # feed to the cutter, then partial cut

SIZE_NORMAL = 0x00
SIZE_TALL = 0x01  # double height
SIZE_DOUBLE = 0x11  # double width and height
SIZE_NUMBER = 0x77  # 8x width, 8x height: the largest GS ! allows

QR_MODEL_2 = GS + b"(k\x04\x00\x31\x41\x32\x00"
QR_ECC_M = GS + b"(k\x03\x00\x31\x45\x31"
QR_PRINT = GS + b"(k\x03\x00\x31\x51\x30"

NO_LINE_START = set("，。、；：！？）」』】》…")

Align = Literal["left", "center"]


def char_width(ch: str) -> int:
    """Columns a character takes at normal size: CJK and full-width take two."""
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def text_width(text: str) -> int:
    return sum(char_width(c) for c in text)


def wrap(text: str, width: int) -> list[str]:
    """Break ``text`` into lines of at most ``width`` columns; no line starts with ，。 etc."""
    lines: list[str] = []
    current = ""
    for ch in text:
        if current and text_width(current + ch) > width:
            if ch in NO_LINE_START and len(current) > 1:
                lines.append(current[:-1])
                current = current[-1]
            else:
                lines.append(current)
                current = ""
        current += ch
    if current or not lines:
        lines.append(current)
    return lines


def size_command(n: int) -> bytes:
    """``GS ! n``: high nibble is width - 1, low nibble height - 1."""
    return GS + b"!" + bytes([n])


def magnified(factor: int) -> int:
    """The ``GS !`` value for ``factor`` times width and height (1..8)."""
    if not 1 <= factor <= 8:
        raise ValueError(f"character magnification must be 1..8, got {factor}")
    return ((factor - 1) << 4) | (factor - 1)


def qr_size(module: int) -> bytes:
    if not 1 <= module <= 16:
        raise ValueError(f"QR module size must be 1..16, got {module}")
    return GS + b"(k\x03\x00\x31\x43" + bytes([module])


def qr_store(data: bytes) -> bytes:
    """``GS ( k`` fn 80: store ``data`` in the symbol buffer; pL pH = len(data) + 3."""
    n = len(data) + 3
    if n > 0xFFFF:
        raise ValueError("QR data too long")
    return GS + b"(k" + bytes([n & 0xFF, n >> 8]) + b"\x31\x50\x30" + data


def qr_code(data: str, module: int) -> bytes:
    return QR_MODEL_2 + qr_size(module) + QR_ECC_M + qr_store(data.encode("utf-8")) + QR_PRINT


def columns_for(paper_mm: int) -> int:
    if paper_mm not in PAPER:
        raise ValueError(f"不支持的纸宽 {paper_mm} mm，只支持 58 或 80 mm")
    return PAPER[paper_mm][0]


def progress_url(server_url: str, ticket_id: str) -> str:
    """The URL in the QR code: a visitor follows the ticket's progress from a phone."""
    return f"{server_url.rstrip('/')}/t/{ticket_id}"


def issued_local(value: Any, tz: str = DEFAULT_TZ) -> str:
    """``issued_at`` (ISO string or datetime, UTC if naive) as local ``YYYY-MM-DD HH:MM``."""
    at = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")


def windows_text(windows: list[int]) -> str:
    if not windows:
        return "请留意大厅叫号屏"
    return f"请留意 {'、'.join(str(w) for w in windows)} 号窗口"


@dataclass(frozen=True)
class Line:
    """One printed line (or a paragraph that wraps)."""

    text: str
    align: Align = "left"
    size: int = SIZE_NORMAL
    bold: bool = False
    fit: bool = False  # shrink (evenly) until the text fits on one line instead of wrapping


@dataclass(frozen=True)
class Rule:
    """A horizontal rule across the paper."""


@dataclass(frozen=True)
class QrCode:
    url: str


Block = Line | Rule | QrCode


def receipt_blocks(
    ticket: Mapping[str, Any],
    station_name: str,
    url: str | None,
    tz: str = DEFAULT_TZ,
    rating_url: str | None = None,
) -> list[Block]:
    """The content of the receipt (R-Q2), independent of how it is rendered; with
    ``rating_url`` the one-time link to rate this service once it is over (R-E2)."""
    blocks: list[Block] = [
        Line(station_name, "center", SIZE_TALL, bold=True),
        Line("排队小票", "center"),
        Rule(),
        Line(str(ticket["number"]), "center", SIZE_NUMBER, bold=True, fit=True),
        Line(f"业务：{ticket['category_name']}", "center"),
    ]
    if ticket.get("priority", "normal") != "normal":
        blocks.append(Line(f"【{ticket.get('priority_label') or '优先'}】", "center", bold=True))
    blocks += [
        Rule(),
        Line(f"前面还有 {int(ticket['people_ahead'])} 人"),
        Line(windows_text([int(w) for w in ticket.get("serving_windows") or []])),
        Line(f"预计等候约 {int(ticket['est_wait_min'])} 分钟"),
        Line(f"取号时间：{issued_local(ticket['issued_at'], tz)}"),
    ]
    if ticket.get("closing_warning"):
        blocks.append(Line(f"提示：{ticket['closing_warning']}", bold=True))
    blocks.append(Rule())
    if url:
        blocks += [Line("手机扫码查看排队进度", "center"), QrCode(url)]
    if rating_url:
        blocks += [Line("办理结束后扫码评价本次服务", "center"), QrCode(rating_url)]
    blocks.append(Line("请在大厅等候叫号，过号请到引导台", "center"))
    return blocks


def _magnification(size: int) -> int:
    return (size >> 4) + 1


def effective_size(block: Line, width: int) -> int:
    """``block.size``, or for a ``fit`` line the largest even size that fits on one line."""
    if not block.fit:
        return block.size
    factor = _magnification(block.size)
    while factor > 1 and text_width(block.text) * factor > width:
        factor -= 1
    return magnified(factor)


def _render_text(block: Block, width: int) -> list[str]:
    if isinstance(block, Rule):
        return ["-" * width]
    if isinstance(block, QrCode):
        return ["[二维码]", *wrap(block.url, width)]
    out = []
    for part in wrap(block.text, width // _magnification(effective_size(block, width))):
        if block.align == "center":
            part = " " * ((width - text_width(part)) // 2) + part
        out.append(part.rstrip())
    return out


def blocks_to_lines(blocks: Sequence[Block], paper_mm: int = 58) -> list[str]:
    """Blocks as plain text lines, as wide as the paper (32 or 48 columns)."""
    width = columns_for(paper_mm)
    lines: list[str] = []
    for block in blocks:
        lines += _render_text(block, width)
    return lines


def _render_bytes(block: Block, width: int, qr_module: int) -> tuple[Align, bytes]:
    """The block's bytes and the alignment it needs (set by the caller only on change)."""
    if isinstance(block, Rule):
        return "left", b"-" * width + b"\n"
    if isinstance(block, QrCode):
        return "center", qr_code(block.url, qr_module) + b"\n"
    size = effective_size(block, width)
    out = b""
    if block.bold:
        out += BOLD_ON
    if size != SIZE_NORMAL:
        out += size_command(size)
    for part in wrap(block.text, width // _magnification(size)):
        out += part.encode(ENCODING) + b"\n"
    if size != SIZE_NORMAL:
        out += size_command(SIZE_NORMAL)
    if block.bold:
        out += BOLD_OFF
    return block.align, out


def blocks_to_escpos(blocks: Sequence[Block], paper_mm: int = 58) -> bytes:
    """Blocks as one ESC/POS job: reset, Chinese mode, content, feed and cut."""
    width = columns_for(paper_mm)
    qr_module = PAPER[paper_mm][1]
    out = INIT + CHINESE_MODE
    align: Align = "left"  # ESC @ resets to left
    for block in blocks:
        wanted, data = _render_bytes(block, width, qr_module)
        if wanted != align:
            out += ALIGN_CENTER if wanted == "center" else ALIGN_LEFT
            align = wanted
        out += data
    return out + ESC + b"d\x04" + CUT


def receipt_lines(
    ticket: Mapping[str, Any],
    station_name: str,
    follow_url: str | None = None,
    *,
    paper_mm: int = 58,
    tz: str = DEFAULT_TZ,
    rating_url: str | None = None,
) -> list[str]:
    """The receipt as plain text lines, as wide as the paper (32 or 48 columns)."""
    columns_for(paper_mm)
    blocks = receipt_blocks(ticket, station_name, follow_url, tz, rating_url)
    return blocks_to_lines(blocks, paper_mm)


def build_receipt(
    ticket: Mapping[str, Any],
    station_name: str,
    follow_url: str,
    paper_mm: int = 58,
    *,
    tz: str = DEFAULT_TZ,
    rating_url: str | None = None,
) -> bytes:
    """The receipt as an ESC/POS byte stream for a 58 mm or 80 mm thermal printer."""
    columns_for(paper_mm)
    blocks = receipt_blocks(ticket, station_name, follow_url, tz, rating_url)
    return blocks_to_escpos(blocks, paper_mm)


def notice_receipt_blocks(
    title: str, lines: Sequence[str], qr_url: str | None, rating_url: str | None = None
) -> list[Block]:
    """The condensed receipt version of an A4 notice (通知书小票版).

    ``lines`` are the notice's content in reading order (number, rows as ``项目：内容``,
    body paragraphs, station and date); an empty string prints a blank line and ``"---"``
    a rule. The full PDF stays with the case; the receipt says so at the bottom.
    """
    blocks: list[Block] = [Line(title, "center", SIZE_DOUBLE, bold=True), Rule()]
    for text in lines:
        blocks.append(Rule() if text == "---" else Line(text))
    blocks.append(Rule())
    if qr_url:
        blocks += [Line("手机扫码查看办件进度", "center"), QrCode(qr_url)]
    if rating_url:
        blocks += [Line("办结后扫码评价本次服务", "center"), QrCode(rating_url)]
    blocks.append(Line("通知书简版，完整版随案卷保存", "center"))
    return blocks


def build_notice_receipt(
    title: str,
    lines: Sequence[str],
    qr_url: str | None = None,
    paper_mm: int = 58,
    rating_url: str | None = None,
) -> bytes:
    """ESC/POS bytes of a notice's condensed receipt version, for 58 mm or 80 mm paper.

    Used when a station has no A4 printer (``make_notice_printer`` returns ``None`` while a
    receipt printer exists). Print it once per copy the notice needs (一式二份: twice).
    """
    return blocks_to_escpos(notice_receipt_blocks(title, lines, qr_url, rating_url), paper_mm)


def notice_receipt_lines(
    title: str,
    lines: Sequence[str],
    qr_url: str | None = None,
    paper_mm: int = 58,
    rating_url: str | None = None,
) -> list[str]:
    """Plain text of :func:`build_notice_receipt` (for logs and the simulated printer)."""
    return blocks_to_lines(notice_receipt_blocks(title, lines, qr_url, rating_url), paper_mm)
