"""Figures bench (统计, R-M1): a month's figures against one day's, over a year of events.

A migrated, seeded demo station on disk (SQLite WAL, ``synchronous=FULL``) gets one year of
synthetic events (2026-01-01 … 2026-12-31) written straight into the event table, shaped as
the features write them: on each working day about 120 tickets (issued, called, started,
finished, a few no-shows), 10 cases opened and decided, 15 ratings with the bad ones'
follow-ups, a complaint now and then, and overtime. The first read builds every day's
roll-up (timed apart as ``build_ms``); then ``FigureService.lines`` for November 2026 (by
the whole station) and for 2026-11-23 alone are timed alternately, each after
``gc.collect()``. Each read checks that the roll-ups are current, as every read does.
Figure: the ratio of the medians, ``month_over_day`` (goal ≤ 5).

Prints human-readable lines, then one JSON object as the last line.
Run with ``make bench`` or ``.venv/bin/python bench/figures.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, bench/ is first on sys.path and bench/queue.py would hide the standard
# library's ``queue``: put the project root there instead.
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)
elif str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import sqlite3  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from datetime import UTC, date, datetime, timedelta  # noqa: E402
from typing import Any  # noqa: E402

from appliance.core.clock import FrozenClock  # noqa: E402
from appliance.settings import load_settings  # noqa: E402
from appliance.wiring import build_services  # noqa: E402
from bench.common import database_path, prepare_demo_database, print_result  # noqa: E402

NOW = datetime(2026, 12, 31, 10, 0, tzinfo=UTC)
YEAR = 2026
MONTH = (date(2026, 11, 1), date(2026, 11, 30))
DAY = date(2026, 11, 23)
BEIJING = timedelta(hours=8)

Row = tuple[int, str, str, str, str, str, str]


class Writer:
    """Event rows in the shape of ``appliance.events.log.append_event``."""

    def __init__(self, first_seq: int) -> None:
        self.seq = first_seq
        self.rows: list[Row] = []

    def add(self, type_: str, entity_id: str, payload: dict[str, Any], at: datetime) -> None:
        self.seq += 1
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True)
        stamp = at.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
        self.rows.append(
            (self.seq, str(uuid.uuid4()), type_, type_.split(".")[0], entity_id, body, stamp)
        )


def local(day: date, minutes: float) -> datetime:
    """Beijing ``day`` at ``minutes`` after midnight, as UTC."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC) - BEIJING + timedelta(minutes=minutes)


def synth_day(w: Writer, day: date, rnd: random.Random, cats: list[str], staff: list[str]) -> None:
    bd = day.isoformat()
    for n in range(rnd.randint(100, 140)):
        tid, cat, who = f"t{bd}{n}", rnd.choice(cats), rnd.choice(staff)
        issued = 510 + n * 3.5 + rnd.random()
        called = issued + rnd.uniform(1, 40)
        base = {"business_date": bd, "category_id": cat, "number": f"A{n:03d}"}
        w.add("ticket.issued", tid, {**base, "staff_id": None}, local(day, issued))
        w.add("ticket.called", tid, {**base, "staff_id": who}, local(day, called))
        if rnd.random() < 0.05:
            w.add("ticket.no_show", tid, {**base, "staff_id": who}, local(day, called + 2))
            continue
        w.add("ticket.started", tid, {**base, "staff_id": who}, local(day, called + 1))
        done = called + rnd.uniform(3, 25)
        w.add("ticket.finished", tid, {**base, "staff_id": who}, local(day, done))
        if done > 1050:
            w.add(
                "overtime.logged",
                f"o{tid}",
                {"staff_id": who, "minutes": int(done - 1050) + 1},
                local(day, done),
            )
    for n in range(10):
        cid, item, who = f"c{bd}{n}", f"ITEM-{rnd.randint(1, 30):02d}", rnd.choice(staff)
        w.add("case.opened", cid, {"item_code": item, "staff_id": who}, local(day, 540 + n * 20))
        due = (day + timedelta(days=rnd.randint(-2, 10))).isoformat()
        kind = "case.approve" if rnd.random() < 0.9 else "case.reject"
        w.add(
            kind,
            f"d{cid}",
            {"item_code": item, "staff_id": who, "due_on": due},
            local(day, 560 + n * 20),
        )
    for n in range(15):
        level = rnd.choice([5, 5, 5, 4, 4, 3, 2, 1])
        body = {
            "level": level,
            "source": rnd.choice(["keypad", "qr", "comment_box"]),
            "staff_id": rnd.choice(staff),
            "category_id": rnd.choice(cats),
            "real_name": level == 1,
        }
        w.add("rating.given", f"r{bd}{n}", body, local(day, 600 + n * 15))
        if level <= 2:
            w.add(
                "rating.followup_opened",
                f"f{bd}{n}",
                {"real_name": level == 1},
                local(day, 601 + n * 15),
            )
            w.add(
                "rating.followup_step",
                f"f{bd}{n}",
                {"real_name": level == 1, "closed": True},
                local(day, 900),
            )
    if rnd.random() < 0.2:
        w.add("complaint.registered", f"p{bd}", {"staff_id": rnd.choice(staff)}, local(day, 700))
        w.add("desk.registered", f"k{bd}", {"staff_id": rnd.choice(staff)}, local(day, 710))


def fill_year(db_file: Path, rnd: random.Random) -> int:
    conn = sqlite3.connect(db_file)
    try:
        cats = [r[0] for r in conn.execute("SELECT id FROM category")]
        staff = [r[0] for r in conn.execute("SELECT id FROM staff")]
        w = Writer(int(conn.execute("SELECT coalesce(max(seq), 0) FROM event").fetchone()[0]))
        day = date(YEAR, 1, 1)
        while day.year == YEAR:
            if day.weekday() < 5:
                synth_day(w, day, rnd, cats, staff)
            day += timedelta(days=1)
        conn.executemany(
            "INSERT INTO event (seq, id, type, entity, entity_id, payload, occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            w.rows,
        )
        conn.commit()
        return len(w.rows)
    finally:
        conn.close()


def timed(fn: Any, *args: Any) -> tuple[float, Any]:
    gc.collect()
    t0 = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - t0, result


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--samples", type=int, default=40, help="timed rounds of each read")
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    wall = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix="yizhan-bench-figures-"))
    try:
        prepare_demo_database(root)
        events = fill_year(database_path(root), random.Random(args.seed))
        settings = load_settings(env={}, data_dir=str(root), printer_backend="none")
        services = build_services(settings, FrozenClock(NOW))
        figures = services.figures
        try:
            build, _ = timed(figures.lines, date(YEAR, 1, 1), date(YEAR, 12, 31))
            month_s: list[float] = []
            day_s: list[float] = []
            for i in range(args.samples):
                pair = [(month_s, MONTH), (day_s, (DAY, DAY))]
                for times, (start, end) in pair if i % 2 == 0 else reversed(pair):
                    took, lines = timed(figures.lines, start, end)
                    assert lines and lines[0].tickets > 0
                    times.append(took)
        finally:
            services.close()
        month_ms, day_ms = ms(statistics.median(month_s)), ms(statistics.median(day_s))
        ratio = round(month_ms / day_ms, 2)
        print(
            f"{events} synthetic events over {YEAR}; first read builds the roll-ups in {ms(build)} ms"
        )
        print(
            f"November's figures {month_ms} ms median, one day's {day_ms} ms; ratio {ratio} (goal ≤ 5)"
        )
        print_result(
            {
                "events": events,
                "build_ms": ms(build),
                "month_ms": month_ms,
                "day_ms": day_ms,
                "month_over_day": ratio,
                "wall_s": round(time.perf_counter() - wall, 1),
            }
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
