"""Station figures (R-M1): a scripted day gives exactly the golden figures, by the whole
station and by category, staff member and item; the roll-ups follow every new event; the
head reads them over HTTP and nobody else does."""

from __future__ import annotations

from datetime import date

import msgspec
from litestar.testing import TestClient
from sqlalchemy import delete

from appliance.figures.schemas import FigureRowView, FiguresView, HeadHomeView
from appliance.figures.tables import FigureDay, FigureMark
from tests.figures.scripted_day import DAY, GOLDEN, at, run_day, staff_id, station_category
from tests.support.station import MANAGER, WINDOW_CLERK, Station, login

D = date.fromisoformat(DAY)


def golden_part(row: FigureRowView) -> dict[str, object]:
    return {k: v for k, v in msgspec.structs.asdict(row).items() if k in GOLDEN}


def test_scripted_day_gives_the_golden_figures_r_m1(station: Station) -> None:
    run_day(station)
    found = station.services.figures.figures(D, D, "day", "all")
    assert [r.period for r in found.rows] == [DAY]
    assert golden_part(found.rows[0]) == GOLDEN


def test_figures_by_category_staff_and_item_r_m1_r_t4(station: Station) -> None:
    run_day(station)
    figures = station.services.figures
    cat, clerk = station_category(station, "A"), staff_id(station, "ck01")
    by_cat = {r.key: r for r in figures.figures(D, D, "all", "category").rows}
    assert by_cat[cat].label.startswith("A ") and by_cat[cat].tickets == 4
    assert by_cat[cat].ratings == 3 and by_cat[cat].defaulted == 1
    by_staff = {r.key: r for r in figures.figures(D, D, "all", "staff").rows}
    mine = by_staff[clerk]
    assert (mine.tickets, mine.served, mine.no_shows, mine.cases) == (4, 3, 1, 2)
    assert mine.overtime_minutes == 15 and "王秀英" in mine.label
    by_item = {r.key: r for r in figures.figures(D, D, "all", "item").rows}
    assert (by_item["X1"].cases, by_item["X1"].on_time, by_item["X1"].late) == (1, 1, 1)
    assert (by_item["X2"].cases, by_item["X2"].overdue) == (1, 1)


def test_week_and_month_merge_days_r_m1(station: Station) -> None:
    run_day(station)
    figures = station.services.figures
    week = figures.figures(date(2026, 11, 17), date(2026, 11, 30), "week", "all").rows
    assert [r.period for r in week] == ["2026-W47", "2026-W48", "2026-W49"]
    assert [r.tickets for r in week] == [0, 4, 0]
    month = figures.figures(date(2026, 11, 1), date(2026, 11, 30), "month", "all").rows
    assert len(month) == 1 and golden_part(month[0]) == GOLDEN


def test_roll_ups_follow_new_events_r_m1(station: Station) -> None:
    """A read after any write sees it: the touched day is rebuilt from the event log."""
    run_day(station)
    figures = station.services.figures
    assert figures.figures(D, D).rows[0].tickets == 4
    with station.services.db.read() as s:
        built = s.get(FigureDay, DAY)
        assert built is not None and built.events > 0
    station.clock.set(at(17, 50))
    station.services.queue.issue(station_category(station, "B"), "kiosk")
    row = figures.figures(D, D).rows[0]
    assert row.tickets == 5 and row.served == 3
    assert figures.figures(D, D).rows[0].tickets == 5  # nothing new: read as stored


def test_head_reads_figures_over_http_r_m1_r_t1(station: Station, client: TestClient) -> None:
    run_day(station)
    head = login(client, *MANAGER)
    r = client.get(f"/api/figures?start={DAY}&end={DAY}&period=day", headers=head)
    assert r.status_code == 200, r.text
    view = msgspec.convert(r.json(), FiguresView)
    assert golden_part(view.rows[0]) == GOLDEN
    home = client.get("/api/figures/home", headers=head)
    assert home.status_code == 200, home.text
    h = msgspec.convert(home.json(), HeadHomeView)
    assert h.today == D and h.figures.tickets == 4 and h.open_complaints == 1
    assert h.open_followups == 0 and len(h.trend) == 14 and h.trend[-1].cases == 2
    assert max(h.queue_by_hour) == 3  # three waiting at 09:10
    clerk = login(client, *WINDOW_CLERK)
    assert client.get("/api/figures", headers=clerk).status_code == 403
    assert client.get("/api/figures/home", headers=clerk).status_code == 403


def test_bad_figure_requests_are_refused_in_chinese_r_m1(client: TestClient) -> None:
    head = login(client, *MANAGER)
    for query in (
        "period=year",
        "by=window",
        "start=2026-12-01&end=2026-11-01",
        "start=2000-01-01&end=2026-11-01",
    ):
        r = client.get(f"/api/figures?{query}", headers=head)
        assert r.status_code == 400, (query, r.text)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in r.text), r.text
    r = client.get("/api/figures?start=2026-13-01", headers=head)
    assert r.status_code == 400


def test_reads_during_the_day_change_nothing_r_m1(station: Station) -> None:
    """Roll-ups brought up to date piece by piece (reads mid-day) equal roll-ups rebuilt
    from scratch out of the whole event log."""
    figures = station.services.figures
    seen: list[int] = []
    run_day(station, lambda: seen.append(figures.figures(D, D).rows[0].tickets))
    assert seen == [4, 4]
    dims = ("all", "category", "staff", "item")
    piecewise = {by: figures.lines(D, D, "day", by) for by in dims}
    with station.services.db.write() as s:
        s.execute(delete(FigureDay))
        s.execute(delete(FigureMark))
    rebuilt = {by: figures.lines(D, D, "day", by) for by in dims}
    assert rebuilt == piecewise
    assert golden_part(station.services.figures.figures(D, D).rows[0]) == GOLDEN
