"""打印与短信队列 (站长): print jobs and SMS of the station, failed ones first; ``e`` retries
the selected one (重打 a print job, 重发 a failed SMS), ``x`` cancels it, ``a`` switches
between the problems only (失败) and everything.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from appliance.jobs.schemas import PrintJobView, SmsView
from tui.screens.admin_common import AdminListScreen, Row, stamp
from tui.screens.desk_common import short

PRINT_STATUS = {
    "pending": "等待打印",
    "printing": "打印中",
    "done": "已打印",
    "error": "打印失败",
    "cancelled": "已取消",
}
SMS_STATUS = {
    "pending": "等待发送",
    "sending": "发送中",
    "sent": "已发送",
    "failed": "发送失败",
    "cancelled": "已取消",
}
FAILED = {"error", "failed"}


def status_cell(label: str, status: str) -> Text:
    style = "bold red" if status in FAILED else "green" if status in {"done", "sent"} else ""
    return Text(label, style=style)


class JobsAdminScreen(AdminListScreen):
    TITLE_TEXT = "打印与短信队列"
    COLUMNS = ("队列", "内容", "状态", "尝试", "原因", "时间")
    HINT = "↑/↓ 选择 · e 重打 / 重发所选 · x 取消所选 · a 只看失败 / 全部 · r 刷新 · Esc 返回"
    BINDINGS = [
        Binding("e", "retry", "重打 / 重发"),
        Binding("x", "cancel_job", "取消"),
        Binding("a", "toggle_all", "切换全部"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.show_all = True

    async def rows(self) -> list[Row] | None:
        jobs = await self.call(self.admin.print_queue())
        messages = await self.call(self.admin.sms_queue())
        if jobs is None or messages is None:
            return None
        if not self.show_all:
            jobs = [j for j in jobs if j.status in FAILED]
            messages = [m for m in messages if m.status in FAILED]
        rows = [(j.status in FAILED, self._print_row(j)) for j in jobs]
        rows += [(m.status in FAILED, self._sms_row(m)) for m in messages]
        return [row for failed, row in sorted(rows, key=lambda r: not r[0])]  # failed first

    def _print_row(self, j: PrintJobView) -> Row:
        label = PRINT_STATUS.get(j.status, j.status)
        cells = ("打印", j.title, status_cell(label, j.status), str(j.attempts))
        when = stamp(j.created_at, self.yz.timezone)
        return f"p-{j.id}", (*cells, short(j.last_error or "", 24), when)

    def _sms_row(self, m: SmsView) -> Row:
        label = SMS_STATUS.get(m.status, m.status)
        text = f"{m.phone_masked} {short(m.body, 24)}"
        cells = ("短信", text, status_cell(label, m.status), str(m.attempts))
        when = stamp(m.created_at, self.yz.timezone)
        return f"s-{m.id}", (*cells, short(m.last_error or "", 24), when)

    async def action_toggle_all(self) -> None:
        self.show_all = not self.show_all
        await self.action_reload()

    async def action_retry(self) -> None:
        key = self.selected or ""
        if key.startswith("p-"):
            job = await self.call(self.admin.reprint_job(key[2:]))
            if job is not None:
                await self.done(f"已重新加入打印队列：{job.title}")
        elif key.startswith("s-"):
            sms = await self.call(self.admin.retry_sms(key[2:]))
            if sms is not None:
                await self.done(f"短信将重新发送：{sms.phone_masked}")
        else:
            self.show_error("请先选择要重打或重发的一项")

    async def action_cancel_job(self) -> None:
        key = self.selected or ""
        if key.startswith("p-"):
            job = await self.call(self.admin.cancel_print_job(key[2:]))
            if job is not None:
                await self.done(f"已取消打印：{job.title}")
        elif key.startswith("s-"):
            sms = await self.call(self.admin.cancel_sms(key[2:]))
            if sms is not None:
                await self.done(f"已取消短信：{sms.phone_masked}")
        else:
            self.show_error("请先选择要取消的一项")
