"""统计 (R-M1, R-M3): the station's figures from the daily roll-ups, the head's home, and the
export of any period as CSV or XLSX with Chinese headers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from appliance.catalogue.tables import CatalogueItem
from appliance.core.clock import Clock
from appliance.core.errors import Invalid
from appliance.db.database import Database
from appliance.documents.exports import (
    FORMATS,
    DateRange,
    ExportFile,
    Sheet,
    date_range,
    to_csv,
    to_xlsx,
)
from appliance.figures.rules.figures import (
    DIMENSIONS,
    PERIODS,
    FigureLine,
    figures,
    queue_curve,
)
from appliance.figures.rules.rollup import DayRollup
from appliance.figures.rules.table import HEADERS, row_cells
from appliance.figures.schemas import FigureRowView, FiguresView, HeadHomeView, TrendPoint
from appliance.figures.service import rollups
from appliance.queue.tables import Category
from appliance.settings import Settings
from appliance.staff.tables import Staff

FIRST_HOUR, LAST_HOUR = 7, 19  # the hours the head's queue chart shows
TREND_DAYS = 14
SHEETS = (("all", "全站"), ("category", "按业务类别"), ("staff", "按工作人员"), ("item", "按事项"))


def view_of(line: FigureLine, label: str) -> FigureRowView:
    return FigureRowView(
        period=line.period,
        key=line.key,
        label=label,
        tickets=line.tickets,
        served=line.served,
        no_shows=line.no_shows,
        wait_median_min=line.wait_median_min,
        wait_p90_min=line.wait_p90_min,
        service_median_min=line.service_median_min,
        service_p90_min=line.service_p90_min,
        cases=line.cases,
        decided=line.decided,
        on_time=line.on_time,
        late=line.late,
        on_time_pct=line.on_time_pct,
        overdue=line.overdue,
        ratings=line.ratings,
        levels=list(line.levels),
        visitor_ratings=line.visitor_ratings,
        comment_box=line.comment_box,
        defaulted=line.defaulted,
        satisfaction_pct=line.satisfaction_pct,
        active_pct=line.active_pct,
        followups=line.followups,
        followups_closed=line.followups_closed,
        followup_pct=line.followup_pct,
        real_name_followups=line.real_name_followups,
        real_name_closed=line.real_name_closed,
        complaints=line.complaints,
        complaints_closed=line.complaints_closed,
        desk=line.desk,
        desk_closed=line.desk_closed,
        overtime_minutes=line.overtime_minutes,
    )


class FigureService:
    """Reads figures; brings the roll-ups up to date first when events were written."""

    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.tz = ZoneInfo(settings.timezone)

    def today(self) -> date:
        return self.clock.now().astimezone(self.tz).date()

    def rollups(self, start: date, end: date) -> tuple[list[DayRollup], tuple[int, int]]:
        """The roll-ups of [start, end] and the open counts, never behind the event log."""
        with self.db.read() as s:
            if not rollups.stale(s):
                return rollups.load_days(s, start, end), rollups.open_counts(s)
        with self.db.write() as s:
            rollups.refresh(s, self.tz, self.clock.now())
            return rollups.load_days(s, start, end), rollups.open_counts(s)

    def lines(
        self, start: date, end: date, period: str = "all", by: str = "all"
    ) -> list[FigureLine]:
        if period not in PERIODS:
            raise Invalid(f"统计周期“{period}”不支持，可选 day、week、month、all", "bad_period")
        if by not in DIMENSIONS:
            raise Invalid(f"统计维度“{by}”不支持，可选 all、category、staff、item", "bad_by")
        days, _ = self.rollups(start, end)
        return figures(days, start, end, period, by)

    def figures(
        self, start: date | None, end: date | None, period: str = "all", by: str = "all"
    ) -> FiguresView:
        """统计 for [start, end] (default: the last 30 days up to today)."""
        span = date_range(start, end, self.today())
        found = self.lines(span.start, span.end, period, by)
        labels = self._labels(by, [line.key for line in found])
        rows = [view_of(line, labels.get(line.key, line.key)) for line in found]
        return FiguresView(start=span.start, end=span.end, period=period, by=by, rows=rows)

    def home(self) -> HeadHomeView:
        """站长首页: today's figures, the queue per hour, the trend, open follow-ups and
        complaints."""
        today = self.today()
        first = today - timedelta(days=TREND_DAYS - 1)
        days, (open_followups, open_complaints) = self.rollups(first, today)
        by_day = {r.day: r for r in days}
        daily = figures(days, first, today, "day")
        trend = [
            TrendPoint(
                day=date.fromisoformat(line.period),
                cases=line.cases,
                tickets=line.tickets,
                wait_median_min=line.wait_median_min,
                satisfaction_pct=line.satisfaction_pct,
            )
            for line in daily
        ]
        curve = queue_curve(by_day.get(today.isoformat()), FIRST_HOUR, LAST_HOUR)
        return HeadHomeView(
            today=today,
            figures=view_of(daily[-1], "全站"),
            queue_hours=list(range(FIRST_HOUR, LAST_HOUR + 1)),
            queue_by_hour=curve,
            trend=trend,
            open_followups=open_followups,
            open_complaints=open_complaints,
        )

    def export(
        self, start: date | None, end: date | None, fmt: str, period: str = "day"
    ) -> ExportFile:
        """统计报表 (R-M3): the whole station per ``period``, then the period's figures per
        category, staff member and item; XLSX one sheet each, CSV one table."""
        if fmt not in FORMATS:
            raise Invalid(f"导出格式“{fmt}”不支持，可选 csv 或 xlsx", "bad_format")
        span = date_range(start, end, self.today())
        sheets = [self._sheet(span, period, "all", "全站")]
        sheets += [self._sheet(span, "all", by, title) for by, title in SHEETS[1:]]
        if fmt == "csv":
            rows = [row for sheet in sheets for row in sheet.rows]
            content = to_csv(Sheet("统计报表", HEADERS, rows), self.tz)
        else:
            content = to_xlsx(sheets, self.tz)
        stem = f"figures-{span.label()}.{fmt}"
        label = f"统计报表（{span.start.isoformat()}至{span.end.isoformat()}）.{fmt}"
        return ExportFile(content, FORMATS[fmt], stem, label)

    def _sheet(self, span: DateRange, period: str, by: str, title: str) -> Sheet:
        found = self.lines(span.start, span.end, period, by)
        if by == "all" and period != "all":
            found += self.lines(span.start, span.end, "all", "all")
        labels = self._labels(by, [line.key for line in found])
        rows = [row_cells(line, by, labels.get(line.key, line.key)) for line in found]
        return Sheet(title, HEADERS, rows)

    def _labels(self, by: str, keys: Sequence[str]) -> dict[str, str]:
        """Chinese names of the keys: 全站, ``A 综合受理``, a staff member's name, an item."""
        if by == "all":
            return {"all": "全站"}
        wanted = set(keys)
        with self.db.read() as s:
            return {k: v for k, v in _names(s, by).items() if k in wanted}


def _names(s: Session, by: str) -> dict[str, str]:
    if by == "category":
        return {c.id: f"{c.prefix} {c.name}" for c in s.exec(select(Category))}
    if by == "staff":
        return {m.id: f"{m.name}（{m.code}）" for m in s.exec(select(Staff))}
    return {i.code: i.name for i in s.exec(select(CatalogueItem))}


__all__ = ["FigureService", "view_of"]
