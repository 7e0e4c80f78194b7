"""归档 (一事一档, R-A1, R-A3): finished cases whose package is due, nearest deadline first,
and the packages built; ``b`` builds every due package now, ``t`` opens the transfer lists.

The server builds due packages by itself (its archive pass); a case stays on this list when
its package cannot be built (a kept notice lost or altered): red once its month (HN-5
7.3.2.2) is over, amber within a week of it.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from appliance.archives.schemas import DuePackage, PackageView
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen
from tui.screens.case_common import guarded
from tui.status_bar import StatusBar

STYLES = {"overdue": "bold red", "soon": "dark_orange", "due": ""}


def heading(due: list[DuePackage], built: int) -> Text:
    """E.g. 归档 · 待归档 3 件 · 临期 1 件 · 已逾期 1 件 · 已归档 12 件."""
    soon = sum(1 for d in due if d.urgency == "soon")
    late = sum(1 for d in due if d.urgency == "overdue")
    text = Text(f"归档（一事一档）· 待归档 {len(due)} 件 · ", style="bold")
    text.append(f"临期 {soon} 件", style=STYLES["soon"])
    text.append(" · ")
    text.append(f"已逾期 {late} 件", style=STYLES["overdue"])
    text.append(f" · 已归档 {built} 件")
    return text


class ArchivesScreen(AppScreen):
    BINDINGS = [
        Binding("escape", "back", "返回"),
        Binding("r", "reload", "刷新"),
        Binding("b", "build", "立即归档"),
        Binding("t", "transfers", "移交清单"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.due: list[DuePackage] | None = None
        self.packages: list[PackageView] | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("归档 · 正在读取…", id="arch-head")
        yield DataTable(id="arch-due", cursor_type="row", zebra_stripes=True)
        yield Static("", id="arch-result")
        yield Static("已归档", classes="dialog-title")
        yield DataTable(id="arch-packages", cursor_type="row", zebra_stripes=True)
        yield Static("", id="arch-error", classes="dialog-error")
        yield Static(
            "b 立即归档全部待归档的办件 · t 移交清单（纸质文件移交） · r 刷新 · Esc 返回"
            " · 办结后 1 个月内须归档：红色 已逾期 · 橙色 7 天内到期",
            classes="dialog-hint",
        )
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        due = self.query_one("#arch-due", DataTable)
        due.add_columns("办件编号", "事项", "状态", "办结日期", "归档期限", "情况")
        pkgs = self.query_one("#arch-packages", DataTable)
        pkgs.add_columns("档号", "办件编号", "事项", "保管期限", "文件", "移交清单", "县级中心")
        due.focus()

    async def on_screen_resume(self) -> None:
        await self.action_reload()

    def _error(self, message: str) -> None:
        self.query_one("#arch-error", Static).update(message)

    async def action_reload(self) -> None:
        due = await guarded(self.app, self.yz.api.archives_due(), self._error)
        pkgs = await guarded(self.app, self.yz.api.archive_packages(), self._error)
        if due is None or pkgs is None:
            return
        self.due, self.packages = due, pkgs
        self._error("")
        self.query_one("#arch-head", Static).update(heading(due, len(pkgs)))
        table = self.query_one("#arch-due", DataTable)
        table.clear()
        for d in due:
            days = f"剩 {d.days_left} 天" if d.days_left >= 0 else f"逾期 {-d.days_left} 天"
            label = Text(f"{d.urgency_label}（{days}）", style=STYLES.get(d.urgency, ""))
            if d.rebuild:
                label.append(" · 办结后有变动，需重新归档")
            table.add_row(
                d.case_number,
                d.item_name,
                d.state_label,
                str(d.completed_on),
                str(d.due_on),
                label,
                key=d.case_number,
            )
        if not due:
            self.query_one("#arch-result", Static).update("没有待归档的办件")
        table = self.query_one("#arch-packages", DataTable)
        table.clear()
        for p in pkgs:
            table.add_row(
                p.archive_no,
                p.case_number,
                p.item_name,
                p.retention,
                str(p.file_count),
                p.transfer or "—",
                "已上传" if p.uploaded else "待上传",
                key=p.archive_no,
            )

    async def action_build(self) -> None:
        """b: build every due package now; say what was built and what could not be."""
        report = await guarded(self.app, self.yz.api.build_archives(), self._error)
        if report is None:
            return
        lines = [f"已归档 {len(report.built)} 件"]
        lines += [f"未能归档：{line}" for line in report.failed]
        self.query_one("#arch-result", Static).update("\n".join(lines))
        await self.action_reload()
        if report.built or report.failed:
            self.query_one("#arch-result", Static).update("\n".join(lines))

    def action_transfers(self) -> None:
        from tui.screens.archives_transfers import TransfersScreen

        self.app.push_screen(TransfersScreen())

    def action_back(self) -> None:
        self.app.pop_screen()
