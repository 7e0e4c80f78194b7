"""Page services: each gathers one page's data in one read transaction (thin handlers call
these and render the result)."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from sync.county.dashboard import charts
from sync.county.dashboard.archives import archive_status
from sync.county.dashboard.case_figures import STATE_HEADERS, state_label
from sync.county.dashboard.exports import Sheet
from sync.county.dashboard.figures import (
    DAILY_HEADERS,
    FIGURE_HEADERS,
    RATING_LABELS,
    Figures,
    compute_figures,
    daily_table,
    figures_table,
    state_table,
)
from sync.county.dashboard.health import HEALTH_HEADERS, StationHealth, health_table, station_health
from sync.county.dashboard.oversight import bad_ratings, case_alerts, open_complaints
from sync.county.dashboard.quarantine_view import backlogs, open_quarantine
from sync.county.models import Station
from sync.county.services import CountyServices


def health_page(svc: CountyServices) -> dict[str, Any]:
    now = svc.clock.now()
    with svc.db.snapshot() as s:
        rows = station_health(s, now)
        archives = archive_status(s)  # 一事一档 packages per station (R-A3)
    counts = {lvl: sum(1 for r in rows if r.level == lvl) for lvl in ("ok", "warn", "bad", "off")}
    return {"rows": rows, "now": now, "counts": counts, "archives": archives}


def health_rows(svc: CountyServices) -> list[StationHealth]:
    with svc.db.snapshot() as s:
        return station_health(s, svc.clock.now())


def oversight_page(svc: CountyServices) -> dict[str, Any]:
    now = svc.clock.now()
    with svc.db.snapshot() as s:
        return {"cases": case_alerts(s, now), "now": now}


def followups_page(svc: CountyServices) -> dict[str, Any]:
    now = svc.clock.now()
    with svc.db.snapshot() as s:
        return {"ratings": bad_ratings(s, now), "complaints": open_complaints(s, now), "now": now}


def figures_data(svc: CountyServices, days: int) -> Figures:
    with svc.db.snapshot() as s:
        return compute_figures(s, svc.clock.now(), days)


def figure_charts(f: Figures) -> dict[str, str]:
    """The figures page's inline SVG charts."""
    day_labels = [d[5:] for d in f.days]
    per_day = [
        charts.Series(x.name, [float(f.per_day[x.station_id][d]) for d in f.days])
        for x in f.stations
    ]
    names = [x.name for x in f.stations]
    waits = charts.bar_chart(
        "等候与办理时长中位数（分钟）",
        names,
        [
            charts.Series("等候", [x.median_wait_min or 0.0 for x in f.stations]),
            charts.Series("办理", [x.median_service_min or 0.0 for x in f.stations]),
        ],
    )
    total = f.total
    levels = (5, 4, 3, 2, 1)
    ratings = (
        charts.bar_chart(
            "评价分布（全部站点）",
            [RATING_LABELS[k] for k in levels],
            [charts.Series("评价数", [float(total.ratings[k]) for k in levels])],
        )
        if total.rating_count
        else charts.empty_chart("评价分布（全部站点）", "暂无评价")
    )
    states = sorted(total.case.by_state.items(), key=lambda kv: -kv[1])
    cases = (
        charts.bar_chart(
            "办件状态（期内收件）",
            [state_label(state) for state, _ in states],
            [charts.Series("办件数", [float(n) for _, n in states])],
        )
        if states
        else charts.empty_chart("办件状态（期内收件）", "暂无办件")
    )
    return {
        "tickets": charts.line_chart("每日取号数", day_labels, per_day),
        "waits": waits,
        "ratings": ratings,
        "cases": cases,
    }


def figures_page(svc: CountyServices, days: int) -> dict[str, Any]:
    f = figures_data(svc, days)
    return {"f": f, "total": f.total, "charts": figure_charts(f), "labels": RATING_LABELS}


def quarantine_page(svc: CountyServices) -> dict[str, Any]:
    with svc.db.snapshot() as s:
        return {"items": open_quarantine(s), "backlogs": backlogs(s), "now": svc.clock.now()}


def station_choices(svc: CountyServices) -> list[tuple[str, str]]:
    with svc.db.snapshot() as s:
        return [(st.id, st.name) for st in s.exec(select(Station).order_by(col(Station.id)))]


def health_sheet(svc: CountyServices) -> Sheet:
    return Sheet("站点健康", HEALTH_HEADERS, health_table(health_rows(svc)))


def figure_sheets(svc: CountyServices, days: int) -> list[Sheet]:
    f = figures_data(svc, days)
    return [
        Sheet(f"统计汇总 {f.start} 至 {f.end}"[:31], FIGURE_HEADERS, figures_table(f)),
        Sheet("每日取号", DAILY_HEADERS, daily_table(f)),
        Sheet("办件状态", STATE_HEADERS, state_table(f)),
    ]
