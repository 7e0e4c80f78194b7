"""首问登记台账 (R-C1): today's contacts, newest first, or every pending one (``p``).

Enter opens a contact (detail, and closing a pending one); ``n`` records a new contact;
``x`` exports any period (station head, R-M3); Esc goes back.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from appliance.contacts.schemas import ContactView
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen
from tui.screens.case_common import guarded
from tui.screens.consult_common import ExportDialog, LedgerTable
from tui.status_bar import StatusBar

COLUMNS = ("时间", "渠道", "事项", "首问责任人", "结果", "去向 / 号码 / 咨询")


def outcome_cell(c: ContactView) -> Text:
    return Text(c.outcome_label, style="bold dark_orange" if c.open else "")


def where_cell(c: ContactView) -> str:
    return c.guided_to or c.referred_to or c.consultation_number or (c.case_number or "")


class ContactListScreen(AppScreen):
    DEFAULT_CSS = """
    #contacts-head { height: auto; padding: 0 1; text-style: bold; }
    #contacts-table { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "back", "返回"),
        Binding("enter", "open", "查看"),
        Binding("n", "new", "新登记"),
        Binding("p", "toggle_pending", "切换待处理"),
        Binding("x", "export", "导出"),
        Binding("r", "reload", "刷新"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.pending = False
        self.contacts: list[ContactView] | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("首问登记台账 · 正在读取…", id="contacts-head")
        yield LedgerTable(COLUMNS, id="contacts-table")
        yield Static("", id="contacts-error", classes="dialog-error")
        yield Static(
            "↑/↓ 选择 · Enter 查看或登记处理结果 · n 新登记 · p 今日 / 全部待处理 · x 导出",
            classes="dialog-hint",
        )
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(LedgerTable).focus()

    async def on_screen_resume(self) -> None:
        await self.action_reload()

    def _show_error(self, message: str) -> None:
        self.query_one("#contacts-error", Static).update(message)

    async def action_reload(self) -> None:
        pending = self.pending
        contacts = await guarded(self.app, self.yz.api.contacts(pending), self._show_error)
        if contacts is None or pending != self.pending:
            return
        self.contacts = contacts
        open_count = sum(1 for c in contacts if c.open)
        scope = "全部待处理" if pending else "今日"
        self.query_one("#contacts-head", Static).update(
            f"首问登记台账（{scope}）· {len(contacts)} 条 · 待处理 {open_count} 条"
        )
        self._show_error("" if contacts else "暂无首问登记")
        tz = self.yz.timezone
        self.query_one(LedgerTable).fill(
            [
                (
                    c.id,
                    (
                        c.occurred_at.astimezone(tz).strftime("%m-%d %H:%M"),
                        c.channel_label,
                        c.matter,
                        c.responsible.name,
                        outcome_cell(c),
                        where_cell(c),
                    ),
                )
                for c in contacts
            ]
        )

    async def action_toggle_pending(self) -> None:
        self.pending = not self.pending
        await self.action_reload()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        from tui.screens.contacts_detail import ContactDetailScreen

        contact_id = self.query_one(LedgerTable).selected
        if contact_id:
            self.app.push_screen(ContactDetailScreen(contact_id))

    def action_new(self) -> None:
        from tui.screens.contacts import ContactFormScreen

        self.app.push_screen(ContactFormScreen())

    def action_export(self) -> None:
        self.app.push_screen(ExportDialog("contacts", "首问登记台账"))

    def action_back(self) -> None:
        self.app.pop_screen()
