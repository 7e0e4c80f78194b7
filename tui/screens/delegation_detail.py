"""One 帮办 or 代办 (R-D1, R-D2): who, what, the agent and period, the ledger of progress fed
back, home visits, fees the applicant paid and the papers.

``p`` 进展反馈 (SMS too) · ``s`` 中止 (one of JC's seven grounds) · ``c`` 续办 · ``k`` 办结 ·
``v`` 安排上门 · ``e`` 上门结果 · ``f`` 申请人缴费 · ``d`` 保存文书 PDF (to print and sign) ·
Esc goes back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import tzinfo
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from appliance.delegation.rules import yuan
from appliance.delegation.schemas import DelegationView
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen
from tui.screens.case_common import guarded, local_today
from tui.screens.consult_common import OVERDUE_STYLE, TODAY_STYLE, default_export_dir
from tui.screens.delegation_dialogs import (
    SuspendDialog,
    complete_dialog,
    fee_dialog,
    progress_dialog,
    resume_dialog,
    visit_dialog,
    visit_done_dialog,
)
from tui.status_bar import StatusBar


def describe(d: DelegationView, tz: tzinfo) -> Text:
    def at(moment: Any) -> str:
        return str(moment.astimezone(tz).strftime("%Y-%m-%d %H:%M"))

    text = Text()
    text.append(f"{d.kind_label} {d.number} · {d.item_name}\n", style="bold")
    text.append(f"服务对象：{d.applicant_name}")
    text.append(f" · 电话：{d.applicant_phone or '—'}\n")
    text.append(f"内容：{d.content}\n")
    text.append(f"{'代办员' if d.kind == 'delegate' else '帮办人'}：{d.agent_name}")
    text.append(f" · 登记：{at(d.created_at)} {d.recorded_by}\n")
    if d.period_start and d.period_end:
        style = OVERDUE_STYLE if d.overdue else ""
        text.append(
            f"委托期限：{d.period_start.isoformat()} 至 {d.period_end.isoformat()}\n", style
        )
    style = {"suspended": TODAY_STYLE, "completed": "bold green"}.get(d.status, "bold")
    text.append(f"状态：{d.status_label}" + ("（超过委托期限）" if d.overdue else ""), style)
    if d.suspend_reason_label:
        text.append(f" · 中止原因：{d.suspend_reason_label}", TODAY_STYLE)
    text.append("\n")
    if d.result:
        text.append(f"办理结果：{d.result}\n", "green")
    if d.rating_open:
        text.append("已办结，请服务对象评价（一事一评）\n", "green")
    text.append(f"申请人自行缴费：{yuan(d.fees_paid_fen)}（代办员不代收）\n")
    text.append("\n工作台账\n", style="bold underline")
    for e in d.entries:
        sms = " [已发短信]" if e.sms_queued else ""
        text.append(f"{at(e.at)} {e.kind_label}（{e.staff_name}）：{e.text}{sms}\n")
    if d.visits:
        text.append("\n上门服务\n", style="bold underline")
        for v in d.visits:
            state = f"已完成：{v.outcome}" if v.status == "done" else "待上门"
            text.append(
                f"{at(v.scheduled_for)} {v.address}（{v.purpose}）{v.staff_name} · {state}\n"
            )
    if d.documents:
        text.append("\n文书\n", style="bold underline")
        for doc in d.documents:
            text.append(f"{doc.title} {doc.number}（{at(doc.created_at)}）\n")
    return text


class DelegationDetailScreen(AppScreen):
    DEFAULT_CSS = """
    #delegation-detail { height: auto; padding: 0 1; border: round $primary; }
    #delegation-scroll { height: 1fr; }
    #delegation-actions { height: auto; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "back", "返回"),
        Binding("p", "progress", "进展反馈"),
        Binding("s", "suspend", "中止"),
        Binding("c", "resume", "续办"),
        Binding("k", "complete", "办结"),
        Binding("v", "visit", "安排上门"),
        Binding("e", "visit_done", "上门结果"),
        Binding("f", "fee", "申请人缴费"),
        Binding("d", "save_papers", "保存文书"),
    ]

    def __init__(self, ref: str, entry: DelegationView | None = None) -> None:
        super().__init__()
        self.ref = ref
        self.entry = entry

    def compose(self) -> ComposeResult:
        yield StatusBar()
        with VerticalScroll(id="delegation-scroll"):
            yield Static("正在读取…", id="delegation-detail")
        yield Static("", id="delegation-actions")
        yield Static("", id="delegation-error", classes="dialog-error")
        yield KeyFooter(compact=True, show_command_palette=False)

    async def on_screen_resume(self) -> None:
        if self.entry is not None:
            self.show(self.entry)
        entry = await guarded(self.app, self.yz.api.delegation(self.ref), self._show_error)
        if entry is not None:
            self.show(entry)

    def _show_error(self, message: str) -> None:
        self.query_one("#delegation-error", Static).update(message)

    def show(self, entry: DelegationView) -> None:
        self.entry = entry
        self.query_one("#delegation-detail", Static).update(describe(entry, self.yz.timezone))
        if entry.status == "completed":
            actions = "d 保存文书 · Esc 返回"
        elif entry.status == "suspended":
            actions = "c 续办 · p 进展反馈 · f 申请人缴费 · d 保存文书 · Esc 返回"
        elif entry.kind == "help":
            actions = "p 进展反馈 · k 办结 · v 安排上门 · e 上门结果 · Esc 返回"
        else:
            actions = (
                "p 进展反馈 · s 中止 · k 办结 · v 安排上门 · e 上门结果 · f 申请人缴费"
                " · d 保存文书 · Esc 返回"
            )
        self.query_one("#delegation-actions", Static).update(actions)

    def _ask(
        self,
        dialog: Any,
        send: Callable[[str, Any], Awaitable[DelegationView]],
        done: str,
    ) -> None:
        entry = self.entry
        if entry is None:
            return

        async def answered(body: Any) -> None:
            if body is None:
                return
            changed = await guarded(self.app, send(entry.number, body), self._show_error)
            if changed is not None:
                self._show_error("")
                self.show(changed)
                self.notify(done.format(n=changed.number), markup=False)

        self.app.push_screen(dialog, answered)

    def action_progress(self) -> None:
        if self.entry is not None:
            dialog = progress_dialog(bool(self.entry.applicant_phone))
            self._ask(dialog, self.yz.api.delegation_progress, "{n} 已记录进展反馈")

    async def action_suspend(self) -> None:
        if self.entry is None:
            return
        reasons = await guarded(self.app, self.yz.api.suspend_reasons(), self._show_error)
        if reasons is not None:
            dialog = SuspendDialog(self.entry.number, reasons)
            self._ask(dialog, self.yz.api.suspend_delegation, "{n} 已中止，请打印中止单签字")

    def action_resume(self) -> None:
        dialog = resume_dialog(local_today(self.app))
        self._ask(dialog, self.yz.api.resume_delegation, "{n} 已续办，请打印续办委托书签字")

    def action_complete(self) -> None:
        if self.entry is not None:
            dialog = complete_dialog(self.entry.number, self.entry.kind_label)
            self._ask(dialog, self.yz.api.complete_delegation, "{n} 已办结，请服务对象评价")

    def action_visit(self) -> None:
        dialog = visit_dialog(local_today(self.app), self.yz.timezone)
        self._ask(dialog, self.yz.api.schedule_visit, "{n} 已安排上门服务")

    def action_visit_done(self) -> None:
        entry = self.entry
        waiting = [v for v in entry.visits if v.status == "scheduled"] if entry else []
        if not waiting:
            self._show_error("没有待上门的服务")
            return
        visit_id = waiting[0].id

        def send(ref: str, body: Any) -> Awaitable[DelegationView]:
            return self.yz.api.visit_done(ref, visit_id, body)

        self._ask(visit_done_dialog(), send, "{n} 已登记上门服务结果")

    def action_fee(self) -> None:
        self._ask(fee_dialog(), self.yz.api.record_fee, "{n} 已登记申请人自行缴费")

    async def action_save_papers(self) -> None:
        """Every paper of the delegation as PDF into the export folder (USB stick first)."""
        entry = self.entry
        if entry is None or not entry.documents:
            self._show_error("这件没有文书（帮办不签委托书）")
            return
        folder = default_export_dir()
        saved: list[Path] = []
        for doc in entry.documents:
            pdf = await guarded(self.app, self.yz.api.delegation_pdf(doc.url), self._show_error)
            if pdf is None:
                return
            path = folder / f"{doc.title}-{doc.number}.pdf"
            try:
                folder.mkdir(parents=True, exist_ok=True)
                path.write_bytes(pdf)
            except OSError as exc:
                self._show_error(f"无法写入 {folder}：{exc.strerror or exc}")
                return
            saved.append(path)
        self.notify(f"已保存 {len(saved)} 份文书到 {folder}", markup=False)

    def action_back(self) -> None:
        self.app.pop_screen()
