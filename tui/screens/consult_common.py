"""Shared by the front-desk ledger screens (首问登记、咨询台账、知识库): the reply-date field,
knowledge suggestions, a small table, and the export dialog (台账导出, R-M3).

Reply dates are typed the short way: ``3`` is three working days (the server counts them
on the station calendar), ``11-26`` is 26 November of this year, ``2026-11-26`` a full date;
empty leaves the default (letters and e-mail: 3 working days).
"""

from __future__ import annotations

import glob
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from appliance.knowledge.schemas import KnowledgeView
from tui.case_widgets import ChoiceBar, compact_input, field_row
from tui.screens.base import Dialog
from tui.screens.case_common import guarded, local_today

if TYPE_CHECKING:
    from tui.app import YizhanApp

USB_GLOB = "/media/yizhan-usb*"  # where a USB stick is mounted (as for backups)
HOME_EXPORTS = Path.home() / "yizhan-exports"
FORMATS = (("xlsx", "Excel（XLSX）"), ("csv", "CSV"))
OVERDUE_STYLE = "bold red"
TODAY_STYLE = "bold dark_orange"


class FormError(ValueError):
    """A field a form can check itself is wrong; ``message`` is shown in the form."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ReplyPlan:
    """约定答复: a date, or a number of working days; both None: the server's default."""

    reply_due: date | None = None
    in_working_days: int | None = None


_MONTH_DAY = re.compile(r"^(\d{1,2})[-/.月](\d{1,2})日?$")


def parse_reply(text: str, today: date) -> ReplyPlan:
    """``3`` → 3 working days; ``11-26`` or ``11月26日`` → that day this year (next year when
    already past); ``2026-11-26`` → that day; empty → the default."""
    value = text.strip()
    if not value:
        return ReplyPlan()
    if value.isdigit() and len(value) <= 2:
        return ReplyPlan(in_working_days=int(value))
    try:
        return ReplyPlan(reply_due=date.fromisoformat(value))
    except ValueError:
        pass
    match = _MONTH_DAY.match(value)
    if match:
        month, day = int(match.group(1)), int(match.group(2))
        try:
            due = date(today.year, month, day)
            if due < today:
                due = date(today.year + 1, month, day)
            return ReplyPlan(reply_due=due)
        except ValueError:
            pass
    raise FormError(f"答复期限“{value}”看不懂：填工作日数（如 3）或日期（如 11-26、2026-11-26）")


def default_export_dir() -> Path:
    """A mounted USB stick if there is one, else ~/yizhan-exports."""
    sticks = sorted(glob.glob(USB_GLOB))
    return Path(sticks[0]) if sticks else HOME_EXPORTS


def knowledge_option(entry: KnowledgeView) -> Option:
    answer = " ".join(entry.answer.split())
    short = answer if len(answer) <= 24 else answer[:24] + "…"
    prompt = Text.assemble(("知识库 ", "bold green"), (entry.question, "bold"), f"  {short}")
    return Option(prompt, id=f"k:{entry.id}")


class LedgerTable(DataTable[Text]):
    """A list of ledger rows; each row's key is the record id."""

    def __init__(self, columns: tuple[str, ...], *, id: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=id)
        self.add_columns(*columns)
        self.ids: list[str] = []

    def fill(self, rows: list[tuple[str, tuple[Text | str, ...]]]) -> None:
        """Show ``rows``; the cursor stays on the record it was on (a reload after a dialog
        must not move the clerk's selection to the top)."""
        keep = self.selected
        self.clear()
        self.ids = []
        for key, cells in rows:
            self.add_row(*(c if isinstance(c, Text) else Text(c) for c in cells), key=key)
            self.ids.append(key)
        if keep in self.ids:
            self.move_cursor(row=self.ids.index(keep))

    @property
    def selected(self) -> str | None:
        if not self.ids or self.cursor_row < 0 or self.cursor_row >= len(self.ids):
            return None
        return self.ids[self.cursor_row]


class ExportDialog(Dialog[Path]):
    """导出 a ledger for any period as XLSX or CSV into a folder (USB stick by default)."""

    DEFAULT_CSS = """
    ExportDialog .field-row { height: auto; }
    """

    def __init__(self, ledger: str, title: str) -> None:
        super().__init__()
        self.ledger = ledger
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"导出{self.title_text}", classes="dialog-title")
            yield field_row(
                "起始日期：", compact_input("export-start", "如 2026-11-01；空为 30 天前")
            )
            yield field_row("结束日期：", compact_input("export-end", "如 2026-11-30；空为今天"))
            yield field_row("格式：", ChoiceBar(FORMATS, id="export-format"))
            yield field_row(
                "保存到：", compact_input("export-dir", value=str(default_export_dir()))
            )
            yield Static("", classes="dialog-error", id="export-error")
            yield Static("Enter 导出 · Tab 切换 · Esc 取消", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#export-start", Input).focus()

    def _error(self, message: str) -> None:
        self.query_one("#export-error", Static).update(message)

    def _date(self, field_id: str) -> str:
        value = self.query_one(f"#{field_id}", Input).value.strip()
        if value:
            try:
                date.fromisoformat(value)
            except ValueError:
                raise FormError(f"日期“{value}”应写成 2026-11-01 的样子") from None
        return value

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            start, end = self._date("export-start"), self._date("export-end")
        except FormError as exc:
            self._error(exc.message)
            return
        fmt = self.query_one("#export-format", ChoiceBar).value
        folder = Path(self.query_one("#export-dir", Input).value.strip() or default_export_dir())
        self._error("正在导出…")
        yz = cast("YizhanApp", self.app)
        content = await guarded(
            self.app, yz.api.ledger_export(self.ledger, fmt, start, end), self._error
        )
        if content is None:
            return
        today = local_today(self.app).isoformat()
        path = folder / f"{self.title_text}-{start or '近30天'}-{end or today}.{fmt}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        except OSError as exc:
            self._error(f"无法写入 {folder}：{exc.strerror or exc}；请换一个文件夹")
            return
        self.app.notify(f"已导出到 {path}", markup=False)
        self.dismiss(path)


async def knowledge_hits(
    app: App[object], query: str, hits: OptionList, show: Callable[[str], None]
) -> list[KnowledgeView]:
    """Fill ``hits`` with knowledge entries matching ``query`` (nothing when it is empty)."""
    api = cast("YizhanApp", app).api
    found = await guarded(app, api.search_knowledge(query, 6), show) if query else []
    hits.clear_options()
    if found:
        hits.add_options([knowledge_option(e) for e in found])
        hits.highlighted = 0
    hits.display = bool(found)
    return found or []
