"""状态栏: server state, who is logged in at which window, county sync, the age of the last
backup, time, a hardware fault (the hardware service silent or stuck) and open alerts.

Case alerts (办件预警, raised by the server's case sweep with kinds ``case_<kind>``) are not
listed one by one: they are counted on one line, "超期办件 2 件 · 临期 1 件", so a busy
station's bar stays short and shows no personal data at all (R-K3, R-I3).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static


@dataclass(frozen=True)
class Status:
    """What the status bar shows; ``online`` is None until the first answer (or silence)."""

    online: bool | None
    time_text: str
    who: str
    alerts: tuple[str, ...] = ()
    sync: str = ""  # 同步状态 line, e.g. "同步正常 · 上次成功 11-20 09:12"; empty = hidden
    cases: str = ""  # 办件预警 line, e.g. "超期办件 2 件 · 临期 1 件"; empty = hidden
    hardware: str = ""  # 硬件服务 fault, e.g. "硬件服务无响应（已 25 秒没有心跳…）"; "" = fine
    backup: str = ""  # 备份 age, e.g. "备份：3 小时前"; empty = hidden
    backup_warn: bool = False  # the last good backup is too old (or there is none)


CASE_ALERT_PREFIX = "case_"
# Alert kinds of appliance.cases.service.sweep, in the order the bar lists them.
CASE_ALERT_LABELS = {
    "case_overdue": "超期办件",
    "case_reminder": "临期",
    "case_correction_lapsed": "补正逾期",
    "case_pickup_late": "取件通知未发",
}


def is_case_alert(kind: str) -> bool:
    return kind.startswith(CASE_ALERT_PREFIX)


def case_summary(kinds: Iterable[str]) -> str:
    """ "超期办件 2 件 · 临期 1 件" from the kinds of the open case alerts ("" when none)."""
    counts = Counter(k for k in kinds if is_case_alert(k))
    labels = [*CASE_ALERT_LABELS, *sorted(set(counts) - set(CASE_ALERT_LABELS))]
    return " · ".join(
        f"{CASE_ALERT_LABELS.get(kind, '办件预警')} {counts[kind]} 件"
        for kind in labels
        if counts[kind]
    )


class StatusSource(Protocol):
    def status(self) -> Status: ...


def _net_text(online: bool | None) -> Text:
    if online is None:
        return Text("◌ 连接中", style="bold yellow")
    if online:
        return Text("● 在线", style="bold green")
    return Text("○ 离线 · 正在重试", style="bold red")


def _hardware_text(fault: str) -> Text:
    return Text(f"✘ 硬件故障：{fault}", style="bold white on red") if fault else Text("")


def _backup_text(backup: str, warn: bool) -> Text:
    return Text(f"⚠ {backup}" if warn else backup, style="bold yellow" if warn else "")


class StatusBar(Vertical):
    """Docked at the top of every screen; the app pushes a fresh ``Status`` every poll."""

    DEFAULT_CSS = """
    StatusBar #status-sync {
        width: auto;
        padding: 0 1;
    }
    StatusBar #status-backup {
        width: auto;
        padding: 0 1;
    }
    StatusBar #status-hw {
        padding: 0 1;
    }
    StatusBar #status-cases {
        color: $error;
        text-style: bold;
    }
    """
    _shown: Status | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="status-line"):
            yield Static(id="status-net")
            yield Static(id="status-who")
            yield Static(id="status-sync")
            yield Static(id="status-backup")
            yield Static(id="status-time")
        yield Static(id="status-hw")
        yield Static(id="status-cases")
        yield Static(id="status-alerts")

    def on_mount(self) -> None:
        self._draw(cast(StatusSource, self.app).status())

    def show(self, status: Status) -> None:
        """Redraw if mounted and changed (an unmounted bar draws itself on mount)."""
        if self.is_mounted and status != self._shown:
            self._draw(status)

    def _draw(self, status: Status) -> None:
        self._shown = status
        self.query_one("#status-net", Static).update(_net_text(status.online))
        self.query_one("#status-who", Static).update(Text(status.who))
        self.query_one("#status-time", Static).update(Text(status.time_text))
        sync = self.query_one("#status-sync", Static)
        sync.update(Text(status.sync))
        # stays on show when empty: it is the 1fr gap that keeps the time on the right
        backup = self.query_one("#status-backup", Static)
        backup.update(_backup_text(status.backup, status.backup_warn))
        backup.display = bool(status.backup)
        hardware = self.query_one("#status-hw", Static)
        hardware.update(_hardware_text(status.hardware))
        hardware.display = bool(status.hardware)
        cases = self.query_one("#status-cases", Static)
        cases.update(Text(f"⚠ {status.cases}" if status.cases else ""))
        cases.display = bool(status.cases)
        alerts = self.query_one("#status-alerts", Static)
        alerts.update(Text("\n".join(f"⚠ {message}" for message in status.alerts)))
        alerts.display = bool(status.alerts)
