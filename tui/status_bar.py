"""状态栏: server state, who is logged in at which window, county sync, time, open alerts."""

from __future__ import annotations

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


class StatusSource(Protocol):
    def status(self) -> Status: ...


def _net_text(online: bool | None) -> Text:
    if online is None:
        return Text("◌ 连接中", style="bold yellow")
    if online:
        return Text("● 在线", style="bold green")
    return Text("○ 离线 · 正在重试", style="bold red")


class StatusBar(Vertical):
    """Docked at the top of every screen; the app pushes a fresh ``Status`` every poll."""

    DEFAULT_CSS = """
    StatusBar #status-sync {
        width: auto;
        padding: 0 1;
    }
    """
    _shown: Status | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="status-line"):
            yield Static(id="status-net")
            yield Static(id="status-who")
            yield Static(id="status-sync")
            yield Static(id="status-time")
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
        sync.display = bool(status.sync)
        alerts = self.query_one("#status-alerts", Static)
        alerts.update(Text("\n".join(f"⚠ {message}" for message in status.alerts)))
        alerts.display = bool(status.alerts)
