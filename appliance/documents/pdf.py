"""A4 notices (通知书) as PDF, typeset after GB/T 9704 as far as free fonts allow (R-K2).

Generic on purpose: the case-handling code fills a :class:`Notice` (受理通知书, 补正通知书,
不予受理通知书 …) and gets PDF bytes to send to the A4 printer (``media=A4``, 2 copies:
一式二份) from :func:`render_notice_pdf`, or from :func:`render_notice_pdfs` for the
notices of one decision.

This module is light on purpose (no reportlab): the typesetting is in
:mod:`appliance.documents.typeset`, and the station runs it in a worker process
(:mod:`appliance.documents.render_worker`) that exits after :data:`WORKER_IDLE_S` seconds
without work. reportlab keeps every CJK face it has parsed for the life of the process
(about 50 MB with reportlab itself, R-N4: a 512 MB Pi Zero 2 W); the worker gives it all
back. The first notice after a pause costs a process start and the font parsing (about
1 s on a PC); the notices of a busy spell reuse the warm worker. A worker that fails or
hangs raises :class:`NoticeRenderFailed` (409) before anything is committed, so the
decision is not recorded without its notice and the clerk can simply retry.

For stations with only a thermal printer, :func:`notice_receipt` gives the condensed receipt
version (:func:`appliance.documents.receipt.build_notice_receipt`); the full PDF stays with the case.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import select
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from appliance.core.errors import Conflict
from appliance.documents.receipt import build_notice_receipt, notice_receipt_lines

if TYPE_CHECKING:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
FONT_NAME = "WenQuanYiZenHei"
UMING = (Path("/usr/share/fonts/truetype/arphic/uming.ttc"), "ARPLUMingCN")  # subfont 0: CN
UKAI = (Path("/usr/share/fonts/truetype/arphic/ukai.ttc"), "ARPLUKaiCN")
MONO = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"), "DejaVuSansMono")
DEFAULT_FOOTER = "本通知书一式二份，申请人、受理单位各执一份。"
WORKER = ("-m", "appliance.documents.render_worker")  # after ``sys.executable``
RENDER_TIMEOUT_S = 120.0
"""A worker still typesetting after this long is stopped (a Pi Zero 2 W takes a few seconds)."""
WORKER_IDLE_S = 15.0
"""The worker exits after this long without a request: a burst of decisions at the counter
reuses it (no new start, no new font parsing), and its memory is back soon after."""

log = logging.getLogger(__name__)
_ROOT = Path(__file__).resolve().parents[2]  # the folder holding the ``appliance`` package
_render_lock = threading.Lock()  # one worker, one request at a time: bounded peak memory


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
    rating_url: str | None = None  # the case's one-time rating link (一事一评, R-E2)
    rating_caption: str = "办结后扫码评价"
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


class NoticeRenderFailed(Conflict):
    """The notice could not be typeset; nothing was saved, the clerk may retry."""

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"通知书未能生成（{reason}），本次操作没有保存，请重试；仍不成功请联系技术支持。",
            code="notice_render_failed",
        )


def encode_notices(notices: Sequence[Notice]) -> bytes:
    """The worker's input: the notices as JSON (dates as ISO strings; same print)."""
    items = []
    for notice in notices:
        fields = asdict(notice)
        if isinstance(notice.date, date):
            fields["date"] = notice.date.isoformat()
        items.append(fields)
    return json.dumps(items, ensure_ascii=False).encode()


def decode_notices(data: bytes) -> list[Notice]:
    """The notices :func:`encode_notices` wrote."""
    notices = []
    for fields in json.loads(data):
        fields["body"] = tuple(fields["body"])
        fields["rows"] = tuple((str(k), str(v)) for k, v in fields["rows"])
        notices.append(Notice(**fields))
    return notices


def frame(pdfs: Sequence[bytes]) -> bytes:
    """The worker's output: each PDF after its length (8 bytes, big-endian)."""
    return b"".join(struct.pack(">Q", len(pdf)) + pdf for pdf in pdfs)


def unframe(data: bytes) -> list[bytes]:
    """The PDFs :func:`frame` wrote; ValueError when the output is cut short."""
    pdfs, pos = [], 0
    while pos < len(data):
        if pos + 8 > len(data):
            raise ValueError("truncated length")
        (size,) = struct.unpack(">Q", data[pos : pos + 8])
        pdfs.append(data[pos + 8 : pos + 8 + size])
        pos += 8 + size
        if pos > len(data) or not pdfs[-1].startswith(b"%PDF"):
            raise ValueError("truncated PDF")
    return pdfs


def _worker_env() -> dict[str, str]:
    env = dict(os.environ)
    paths = [str(_ROOT), *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    return env


class _WorkerGone(Exception):
    """The worker closed its output before answering (it had just gone idle, or died)."""


_worker: subprocess.Popen[bytes] | None = None
_worker_command: list[str] = []


def _running_worker() -> subprocess.Popen[bytes]:
    """The warm worker, started when there is none (or it exited, or the command changed)."""
    global _worker, _worker_command
    command = [sys.executable, *WORKER, str(WORKER_IDLE_S)]
    if _worker is not None and (_worker.poll() is not None or command != _worker_command):
        _stop(_worker)
    if _worker is None:
        try:
            _worker = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=_worker_env()
            )
        except OSError as exc:
            log.error("notice worker could not start: %s", exc)
            raise NoticeRenderFailed("排版程序无法启动") from exc
        _worker_command = command
        # reaps the worker as soon as it exits when idle: no zombie waits for the next notice
        threading.Thread(target=_worker.wait, name="yizhan-notice-reaper", daemon=True).start()
    return _worker


def _stop(worker: subprocess.Popen[bytes]) -> None:
    global _worker
    with contextlib.suppress(OSError):
        worker.kill()
    worker.wait()
    for pipe in (worker.stdin, worker.stdout):
        if pipe is not None:
            pipe.close()
    if worker is _worker:
        _worker = None


def _read(fd: int, size: int, deadline: float) -> bytes:
    """Exactly ``size`` bytes from ``fd`` before ``deadline``; fewer at end of file."""
    data = b""
    while len(data) < size:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise TimeoutError
        chunk = os.read(fd, size - len(data))
        if not chunk:
            break
        data += chunk
    return data


def _ask(worker: subprocess.Popen[bytes], request: bytes) -> tuple[int, bytes]:
    """Send one request; the worker's status byte and body (see ``render_worker``)."""
    assert worker.stdin is not None and worker.stdout is not None
    try:
        worker.stdin.write(struct.pack(">Q", len(request)) + request)
        worker.stdin.flush()
    except (BrokenPipeError, ValueError) as exc:
        raise _WorkerGone from exc
    deadline = time.monotonic() + RENDER_TIMEOUT_S
    fd = worker.stdout.fileno()
    head = _read(fd, 9, deadline)
    if not head:
        raise _WorkerGone
    if len(head) < 9:
        raise ValueError("truncated answer")
    status, size = head[0], struct.unpack(">Q", head[1:])[0]
    body = _read(fd, size, deadline)
    if len(body) < size:
        raise ValueError("truncated answer")
    return status, body


def render_notice_pdfs(notices: Sequence[Notice]) -> list[bytes]:
    """Each notice as an A4 PDF, typeset by the notice worker (one request for all of them).

    The worker starts on demand and exits after :data:`WORKER_IDLE_S` seconds without a
    request, returning reportlab's memory. Raises :class:`NoticeRenderFailed` when it
    cannot start, fails, hangs past :data:`RENDER_TIMEOUT_S` or does not return one PDF per
    notice.
    """
    if not notices:
        return []
    request = encode_notices(notices)
    with _render_lock:
        for attempt in (1, 2):  # a worker that had just gone idle is started again, once
            worker = _running_worker()
            try:
                status, body = _ask(worker, request)
                break
            except _WorkerGone as exc:
                _stop(worker)
                if attempt == 2:
                    log.error("notice worker exited without an answer")
                    raise NoticeRenderFailed("排版程序出错") from exc
            except TimeoutError as exc:
                _stop(worker)
                log.error("notice worker timed out after %.0f s", RENDER_TIMEOUT_S)
                raise NoticeRenderFailed("排版超时") from exc
            except ValueError as exc:
                _stop(worker)
                log.error("notice worker answer unreadable: %s", exc)
                raise NoticeRenderFailed("排版结果不完整") from exc
    if status != 0:
        log.error("notice worker failed: %s", body.decode(errors="replace"))
        raise NoticeRenderFailed("排版程序出错")
    try:
        pdfs = unframe(body)
    except ValueError as exc:
        log.error("notice worker output unreadable: %s", exc)
        raise NoticeRenderFailed("排版结果不完整") from exc
    if len(pdfs) != len(notices):
        log.error("notice worker returned %d PDFs for %d notices", len(pdfs), len(notices))
        raise NoticeRenderFailed("排版结果不完整")
    return pdfs


def render_notice_pdf(notice: Notice) -> bytes:
    """The notice as a one-page (longer bodies flow on) A4 PDF (see :func:`render_notice_pdfs`)."""
    return render_notice_pdfs([notice])[0]


def register_font(path: Path = FONT_PATH) -> str:
    """Register WenQuanYi Zen Hei in this process (imports reportlab); returns its name."""
    from appliance.documents import typeset

    return typeset.register_font(path)


def mono_markup(text: str) -> str:
    """``text`` as paragraph markup with its Latin runs in DejaVu Sans Mono (imports reportlab;
    see :func:`appliance.documents.typeset.mono_markup`)."""
    from appliance.documents import typeset

    return typeset.mono_markup(text)


def _styles(font: str, title_font: str | None = None) -> dict[str, ParagraphStyle]:
    """The notice's paragraph styles (imports reportlab), for other A4 documents."""
    from appliance.documents import typeset

    return typeset._styles(font, title_font)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """A 避头尾 paragraph of plain ``text`` (imports reportlab), for other A4 documents."""
    from appliance.documents import typeset

    return typeset._p(text, style)


def notice_receipt(notice: Notice, paper_mm: int = 58) -> tuple[bytes, str]:
    """ESC/POS bytes and plain text of the notice's condensed receipt version."""
    lines = notice.condensed_lines()
    rating = notice.rating_url
    data = build_notice_receipt(notice.title, lines, notice.qr_url, paper_mm, rating)
    text = "\n".join(notice_receipt_lines(notice.title, lines, notice.qr_url, paper_mm, rating))
    return data, text + "\n"
