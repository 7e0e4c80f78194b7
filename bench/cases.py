"""Case bench (办件): submitting a notice against rendering it, and "my cases" as cases pile up.

Both parts run in process against ``CaseService`` over a migrated, seeded demo station on
disk (SQLite WAL, ``synchronous=FULL``), with a frozen clock (Mon 2026-11-23 09:00).

(a) **Notice submit vs render.** Each round opens a case (not timed), then times
    ``CaseService.act(number, "accept")``: the step, the 受理通知书 built and rendered, its
    PDF written and fsync'ed with its folder, the write transaction with the ``case_notice``
    row, the print job (copies=2), the SMS and the events, and the commit. The same round
    times ``render_notice_pdf`` alone on that notice (rebuilt from the print job's fields)
    right after, or on the previous round's notice right before (odd rounds), so both see
    the same load. Each timed call starts after ``gc.collect()``. Figure: the ratio of the
    medians, ``notice_submit_over_render`` (goal ≤ 1.3).

(b) **My cases at 15,000 vs 100.** Two databases share the same 60 open cases of the clerk
    ``ck01`` (opened and accepted through the service, due dates spread over 3 weeks);
    around them, filler rows written straight into ``case_file`` (cloned from real cases)
    bring the total to 100 in one and 15,000 in the other, over three years: finished
    cases of ``ck01`` (a third) and a colleague's (about 40 of them still open, the rest
    finished). ``list_mine(ck01)`` returns the
    same 60 cases from both; the two are timed alternately. Figure: the ratio of the
    medians, ``list_15000_over_100`` (goal ≤ 2).

Prints human-readable lines, then one JSON object as the last line; see docs/benchmarks.md.
Run with ``make bench`` or ``.venv/bin/python bench/cases.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, bench/ is first on sys.path and bench/queue.py would hide the standard
# library's ``queue`` (logging imports it): put the project root there instead.
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

from appliance.cases.service.cases import CaseService  # noqa: E402
from appliance.core.clock import FrozenClock  # noqa: E402
from appliance.documents.pdf import Notice, render_notice_pdf  # noqa: E402
from appliance.settings import load_settings  # noqa: E402
from appliance.wiring import Services, build_services  # noqa: E402
from bench.common import prepare_demo_database, print_result  # noqa: E402

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # Monday 09:00 Beijing time
ITEM = "410122-MZ-001"  # 高龄津贴申请: 承诺件, 15 working days, 4 materials
ALL = {"M1": "received", "M2": "received", "M3": "received", "M4": "received"}
APPLICANT = {
    "kind": "person",
    "name": "张桂兰",
    "id_number": "410122194001080021",
    "phone": "13800001234",
}


def open_station(data_dir: Path, clock: FrozenClock) -> Services:
    settings = load_settings(env={}, data_dir=str(data_dir), printer_backend="none")
    return build_services(settings, clock)


def staff_id(services: Services, code: str) -> str:
    with services.db.read() as s:
        row = s.connection().exec_driver_sql("SELECT id FROM staff WHERE code = ?", (code,)).one()
    return str(row[0])


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


# ---- (a) notice submit vs render ------------------------------------------------------------
def timed(fn: Any, *args: Any) -> tuple[float, Any]:
    """Seconds one call takes (after a full garbage collection, so neither side pays for
    the other's garbage) and what it returned."""
    gc.collect()
    t0 = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - t0, result


def notice_of_job(services: Services, job_id: str) -> Notice:
    with services.db.read() as s:
        payload = (
            s.connection()
            .exec_driver_sql("SELECT payload FROM print_job WHERE id = ?", (job_id,))
            .scalar_one()
        )
    return Notice(**json.loads(payload)["notice"])


def bench_notice(root: Path, samples: int, warmup: int) -> dict[str, Any]:
    data_dir = root / "notice"
    prepare_demo_database(data_dir)
    clock = FrozenClock(T0)
    services = open_station(data_dir, clock)
    cases = CaseService(services.db, services.settings, clock)
    clerk = staff_id(services, "ck01")
    submit: list[float] = []
    render: list[float] = []
    previous: Notice | None = None
    try:
        for i in range(warmup + samples):
            number = cases.open(
                {"item_code": ITEM, "applicant": APPLICANT, "materials": ALL}, clerk, "ck01"
            ).case_number
            render_first = i % 2 == 1 and previous is not None
            if render_first:  # odd rounds: the previous round's notice, before the submit
                t_render, _ = timed(render_notice_pdf, previous)
            t_submit, step = timed(cases.act, number, "accept", {}, "ck01")
            notice = notice_of_job(services, step.print_job_ids[0])
            if not render_first:
                t_render, _ = timed(render_notice_pdf, notice)
            previous = notice
            if i >= warmup:
                submit.append(t_submit)
                render.append(t_render)
    finally:
        services.close()
    med_submit, med_render = statistics.median(submit), statistics.median(render)
    return {
        "notice_submit_ms_median": ms(med_submit),
        "notice_submit_ms_min": ms(min(submit)),
        "notice_render_ms_min": ms(min(render)),
        "notice_render_ms_median": ms(med_render),
        "notice_overhead_ms_median": ms(med_submit - med_render),
        "notice_submit_over_render": round(med_submit / med_render, 3),
        "notice_samples": samples,
    }


# ---- (b) my cases at 15,000 vs 100 ----------------------------------------------------------
def _db_time(at: datetime) -> str:
    return at.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def base_station(root: Path, open_cases: int) -> tuple[Path, list[dict[str, Any]]]:
    """The demo station with ``open_cases`` accepted cases of ck01 (through the service),
    and template rows of finished cases to clone."""
    data_dir = root / "base"
    prepare_demo_database(data_dir)
    clock = FrozenClock(T0 - timedelta(days=21))
    services = open_station(data_dir, clock)
    cases = CaseService(services.db, services.settings, clock)
    clerk = staff_id(services, "ck01")
    body = {"item_code": ITEM, "applicant": APPLICANT, "materials": ALL}
    try:
        for i in range(open_cases):
            if i and i % 3 == 0:
                clock.advance(days=1)  # due dates spread over three weeks
            cases.act(cases.open(body, clerk, "ck01").case_number, "accept", {}, "ck01")
        done = []  # one delivered, one refused: the finished rows cloned as filler
        number = cases.open(body, clerk, "ck01").case_number
        cases.act(number, "accept", {}, "ck01")
        cases.act(number, "approve", {"decided_by": "县民政局"}, "ck01")
        cases.act(
            number,
            "deliver",
            {
                "delivery": {
                    "method": "pickup",
                    "collector_name": "张桂兰",
                    "collector_id": "410122194001080021",
                    "signature_ref": "QS-1",
                }
            },
            "ck01",
        )
        done.append(number)
        number = cases.open(body, clerk, "ck01").case_number
        cases.act(number, "refuse", {"reason": "不属于本站受理范围"}, "ck01")
        done.append(number)
        opened = cases.open(body, clerk, "ck01").case_number  # an open colleague's case, later
        cases.act(opened, "accept", {}, "ck01")
    finally:
        services.close()
    con = sqlite3.connect(data_dir / "station.db")
    con.row_factory = sqlite3.Row
    templates = [
        dict(r)
        for r in con.execute(
            "SELECT * FROM case_file WHERE case_number IN (?, ?, ?)", (*done, opened)
        )
    ]
    con.execute("DELETE FROM case_notice WHERE case_number IN (?, ?, ?)", (*done, opened))
    con.execute(
        "DELETE FROM case_transition WHERE case_id IN (SELECT id FROM case_file "
        "WHERE case_number IN (?, ?, ?))",
        (*done, opened),
    )
    con.execute("DELETE FROM case_file WHERE case_number IN (?, ?, ?)", (*done, opened))
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return data_dir, templates


def add_filler(
    db: Path, templates: list[dict[str, Any]], count: int, clerk: str, colleague: str, seed: int
) -> None:
    """``count`` cloned rows over three years: 1/3 finished cases of ck01, the rest a
    colleague's, of which the latest 40 are still open (older cases are long finished)."""
    rng = random.Random(seed)
    finished = [t for t in templates if t["state"] in ("delivered", "refused")]
    still_open = [t for t in templates if t["state"] not in ("delivered", "refused")]
    first = date(2023, 11, 20)
    rows = []
    for i in range(count):
        day = first + timedelta(days=i * 1095 // max(count, 1))
        seq = 1000 + i  # unique: the service-made cases use 1, 2, 3 …
        who = clerk if i % 3 == 0 else colleague
        recent = i >= count - 60  # the colleague's share of the last 60 rows: ~40 open
        tpl = rng.choice(still_open if (who == colleague and recent) else finished)
        number = f"YZ0001-{day:%Y%m%d}-{seq:04d}"
        at = _db_time(datetime(day.year, day.month, day.day, 2, tzinfo=UTC))
        row = dict(tpl)
        row.update(
            id=str(uuid.uuid4()),
            case_number=number,
            business_date=day.isoformat(),
            seq=seq,
            data=tpl["data"].replace(tpl["case_number"], number),
            staff_id=who,
            created_at=at,
            updated_at=at,
        )
        rows.append(row)
    con = sqlite3.connect(db)
    cols = list(rows[0]) if rows else []
    if rows:
        con.executemany(
            f"INSERT INTO case_file ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",  # noqa: S608
            [tuple(r[c] for c in cols) for r in rows],
        )
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def bench_list(
    root: Path, samples: int, open_cases: int, sizes: tuple[int, int], seed: int
) -> dict[str, Any]:
    base, templates = base_station(root, open_cases)
    stations: dict[int, Services] = {}
    clock = FrozenClock(T0)
    for size in sizes:
        data_dir = root / f"list-{size}"
        shutil.copytree(base, data_dir)
        services = open_station(data_dir, clock)
        clerk, colleague = staff_id(services, "ck01"), staff_id(services, "zz01")
        services.close()
        add_filler(data_dir / "station.db", templates, size - open_cases, clerk, colleague, seed)
        stations[size] = open_station(data_dir, clock)
    times: dict[int, list[float]] = {size: [] for size in sizes}
    returned: dict[int, int] = {}
    try:
        services = stations[sizes[0]]
        clerk = staff_id(services, "ck01")
        for i in range(samples + 5):
            order = sizes if i % 2 == 0 else sizes[::-1]
            for size in order:
                svc = CaseService(stations[size].db, stations[size].settings, clock)
                t0 = time.perf_counter()
                mine = svc.list_mine(clerk)
                elapsed = time.perf_counter() - t0
                returned[size] = len(mine)
                if i >= 5:
                    times[size].append(elapsed)
    finally:
        for services in stations.values():
            services.close()
    small, big = sizes
    med = {size: statistics.median(times[size]) for size in sizes}
    return {
        f"list_{small}_ms_median": ms(med[small]),
        f"list_{big}_ms_median": ms(med[big]),
        f"list_{big}_over_{small}": round(med[big] / med[small], 3),
        "list_returned": returned[big],
        "list_returned_small": returned[small],
        "list_samples": samples,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--samples", type=int, default=40, help="timed rounds of each part")
    parser.add_argument("--warmup", type=int, default=3, help="untimed notice rounds first")
    parser.add_argument("--open-cases", type=int, default=60, help="ck01's open cases")
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    wall = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix="yizhan-bench-cases-"))
    try:
        a = bench_notice(root, args.samples, args.warmup)
        print(
            f"(a) accept with its 受理通知书: {a['notice_submit_ms_median']} ms median; "
            f"render alone {a['notice_render_ms_median']} ms; "
            f"ratio {a['notice_submit_over_render']} (goal ≤ 1.3)"
        )
        b = bench_list(root, args.samples, args.open_cases, (100, 15000), args.seed)
        print(
            f"(b) my cases ({b['list_returned']} returned): 100 cases {b['list_100_ms_median']} ms, "
            f"15000 cases {b['list_15000_ms_median']} ms; ratio {b['list_15000_over_100']} "
            "(goal ≤ 2)"
        )
        print_result({**a, **b, "wall_s": round(time.perf_counter() - wall, 1)})
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
