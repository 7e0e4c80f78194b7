"""站长首页 (R-M1, R-M3): today's figures, charts drawn in the terminal (plotext) — the
waiting line through the day, waiting time, daily cases and the satisfaction trend of the
last 14 days — the follow-ups and complaints still open, and ``x`` to export any period
as CSV or XLSX. ``r`` reloads (it also reloads every 30 s); Esc goes back.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot

from appliance.figures.schemas import FigureRowView, HeadHomeView
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen
from tui.screens.case_common import guarded
from tui.screens.consult_common import ExportDialog
from tui.status_bar import StatusBar

RELOAD_SECONDS = 30.0
CHARTS = (
    ("chart-queue", "今日各时段排队人数（人）"),
    ("chart-wait", "近 14 天等候时间中位数（分钟）"),
    ("chart-cases", "近 14 天受理办件（件）"),
    ("chart-satisfaction", "近 14 天满意率（%）"),
)


def minutes(value: float | None) -> str:
    return "—" if value is None else f"{value:g} 分钟"


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:g}%"


def figures_text(f: FigureRowView) -> Text:
    """Today's figures in four short lines."""
    out = Text()
    out.append("排队叫号  ", style="bold")
    out.append(
        f"取号 {f.tickets} · 办结 {f.served} · 过号 {f.no_shows} · "
        f"等候中位数 {minutes(f.wait_median_min)}（P90 {minutes(f.wait_p90_min)}）· "
        f"办理中位数 {minutes(f.service_median_min)}（P90 {minutes(f.service_p90_min)}）\n"
    )
    out.append("办件      ", style="bold")
    out.append(
        f"受理 {f.cases} · 办结 {f.decided} · 按时办结率 {pct(f.on_time_pct)} · "
        f"新增超期 {f.overdue} · 延时服务 {f.overtime_minutes} 分钟\n"
    )
    out.append("好差评    ", style="bold")
    out.append(
        f"评价 {f.ratings}（意见箱 {f.comment_box}，默认 {f.defaulted} 另计）· "
        f"满意率 {pct(f.satisfaction_pct)} · 主动评价率 {pct(f.active_pct)} · "
        f"差评回访 {f.followups_closed}/{f.followups}\n"
    )
    out.append("投诉·办不成事  ", style="bold")
    out.append(f"投诉登记 {f.complaints} · 办不成事登记 {f.desk}")
    return out


class HeadHomeScreen(AppScreen):
    DEFAULT_CSS = """
    #home-head { height: auto; padding: 0 1; text-style: bold; }
    #home-figures { height: auto; padding: 0 1; }
    #home-open { height: auto; padding: 0 1; }
    #home-charts { grid-size: 2 2; height: 1fr; }
    .chart-box { height: 1fr; }
    .chart-title { height: 1; padding: 0 1; text-style: bold; }
    PlotextPlot { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "back", "返回"),
        Binding("r", "reload", "刷新"),
        Binding("x", "export", "导出统计报表"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.home: HeadHomeView | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("站长首页 · 正在读取…", id="home-head")
        yield Static("", id="home-figures")
        yield Static("", id="home-open")
        with Grid(id="home-charts"):
            for chart_id, title in CHARTS:
                with Vertical(classes="chart-box"):
                    yield Static(title, classes="chart-title")
                    yield PlotextPlot(id=chart_id)
        yield Static("", id="home-error", classes="dialog-error")
        yield Static(
            "r 刷新 · x 导出任意期间统计报表（CSV / XLSX）· Esc 返回", classes="dialog-hint"
        )
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.set_interval(RELOAD_SECONDS, self.action_reload)

    async def on_screen_resume(self) -> None:
        await self.action_reload()

    def _show_error(self, message: str) -> None:
        self.query_one("#home-error", Static).update(message)

    async def action_reload(self) -> None:
        home = await guarded(self.app, self.yz.api.head_home(), self._show_error)
        if home is None:
            return
        self.home = home
        self._show_error("")
        self.query_one("#home-head", Static).update(f"站长首页 · {home.today.isoformat()} 今日统计")
        self.query_one("#home-figures", Static).update(figures_text(home.figures))
        open_text = Text("待办  ", style="bold")
        open_text.append(
            f"未办结差评回访 {home.open_followups} 件",
            style="bold red" if home.open_followups else "",
        )
        open_text.append(" · ")
        open_text.append(
            f"未办结投诉 {home.open_complaints} 件",
            style="bold red" if home.open_complaints else "",
        )
        self.query_one("#home-open", Static).update(open_text)
        self._draw(home)

    def _draw(self, home: HeadHomeView) -> None:
        days = [p.day.strftime("%m-%d") for p in home.trend]
        hours = [str(h) for h in home.queue_hours]
        self._bars("chart-queue", hours, [float(n) for n in home.queue_by_hour])
        self._line("chart-wait", days, [p.wait_median_min for p in home.trend])
        self._bars("chart-cases", days, [float(p.cases) for p in home.trend])
        rates = [p.satisfaction_pct for p in home.trend]
        self._line("chart-satisfaction", days, rates, top=100.0)

    def _bars(self, chart_id: str, labels: list[str], values: list[float]) -> None:
        plot = self.query_one(f"#{chart_id}", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.bar(labels, values, marker="hd")
        plot.refresh()

    def _line(
        self,
        chart_id: str,
        labels: list[str],
        values: list[float | None],
        top: float | None = None,
    ) -> None:
        """A line over the days that have a value (a day without services has none)."""
        plot = self.query_one(f"#{chart_id}", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        points = [(float(i), v) for i, v in enumerate(values) if v is not None]
        if points:
            xs, ys = [x for x, _ in points], [y for _, y in points]
            plt.plot(xs, ys, marker="hd")
            plt.scatter(xs, ys, marker="o")  # a lone day still shows
        ticks = [float(i) for i in range(len(labels))]
        plt.xticks(ticks[::3], labels[::3])
        plt.xlim(0, max(1.0, len(labels) - 1.0))
        if top is not None:
            plt.ylim(0, top)
        plot.refresh()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_export(self) -> None:
        self.app.push_screen(ExportDialog("figures", "统计报表"))
