"""Queue latency bench (取号叫号): issue-ticket and call-next through the real HTTP API.

Two stations run side by side as real server subprocesses:

* ``empty``: a fresh demo database (``yizhan demo seed``);
* ``year``: the same, plus one year of synthetic history written straight into SQLite
  before the server starts: ~50,000 finished tickets over 250 business days in categories
  A/B/C, each with its receipt print job and the events the server would have written
  (``ticket.issued``, ``print_job.created``, ``ticket.called``, ``ticket.finished``), with a
  gapless event seq in time order.

One sequential httpx client per station. After a warm-up, the two stations take turns
every iteration (order swapped each time), so background load on the machine hits both alike. One iteration issues a ticket
(timed), calls the next ticket at a window serving that category (timed) and finishes it
(not timed, frees the window). Waiting queues are prefilled so call-next always finds
someone and the queue depth stays constant.

Prints human-readable lines, then one JSON object as the last line; see docs/benchmarks.md.
Run with ``make bench`` or ``.venv/bin/python bench/queue.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder is first on sys.path and this file would hide the
# standard library's ``queue`` module (which concurrent.futures and logging import).
ROOT = Path(__file__).resolve().parents[1]
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import sqlite3  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from datetime import UTC, date, datetime, timedelta  # noqa: E402
from typing import Any  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

import httpx  # noqa: E402

from bench.common import (  # noqa: E402
    ServerProcess,
    database_path,
    login,
    percentile,
    prepare_demo_database,
    print_result,
)

TZ = ZoneInfo("Asia/Shanghai")  # the demo station's time zone (settings.timezone)
CATEGORY_SHARE = {"A": 0.45, "B": 0.35, "C": 0.20}
SERVICE_MINUTES = {"A": 6.0, "B": 8.0, "C": 10.0}  # the demo categories' prior minutes
WINDOWS_OF = {"A": [1], "B": [1, 2], "C": [2]}  # demo_seed.DEMO_WINDOWS
STAFF_OF_WINDOW = {1: "ck01", 2: "zz01"}
CLERK = ("zz01", "112233")  # 站长: the only role that may act for both windows (R-Q6)


# ---- one year of history ------------------------------------------------------------------
def _db_time(at: datetime) -> str:
    """How ``UtcDateTime`` stores a moment in SQLite: naive UTC, microseconds."""
    return at.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def _uuid7(rng: random.Random, at: datetime) -> str:
    ms = int(at.timestamp() * 1000)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | rng.getrandbits(12) << 64
    value |= 0b10 << 62 | rng.getrandbits(62)
    return str(uuid.UUID(int=value))


def business_days(before: date, count: int) -> list[date]:
    """The ``count`` weekdays before ``before``, oldest first."""
    days: list[date] = []
    day = before
    while len(days) < count:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return days[::-1]


def _ticket_payload(
    t: dict[str, Any], status: str, window: str | None, staff: str | None, **extra: Any
) -> str:
    """What ``queue_service.ticket_payload`` puts in a ticket event."""
    payload = {
        "number": t["number"],
        "category_id": t["category_id"],
        "business_date": t["business_date"],
        "status": status,
        "priority": "normal",
        "source": "kiosk",
        "window_id": window,
        "staff_id": staff,
        "people_ahead": t["people_ahead"],
        "est_wait_min": t["est_wait_min"],
        "phone": None,
        **extra,
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True)


def insert_rows(con: sqlite3.Connection, table: str, rows: list[dict[str, Any]]) -> None:
    """executemany by column name; fails loudly if the schema gained a column we cannot fill."""
    columns = [(c[1], bool(c[3]), c[4]) for c in con.execute(f"PRAGMA table_info({table})")]
    missing = [name for name, notnull, default in columns
               if notnull and default is None and name not in rows[0]]  # fmt: skip
    if missing:
        raise RuntimeError(f"bench/queue.py does not fill {table}.{', '.join(missing)}; add it")
    names = [name for name, _, _ in columns if name in rows[0]]
    con.executemany(
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(':' + n for n in names)})",
        rows,
    )


@dataclass
class History:
    """Rows for the ``ticket``, ``print_job`` and ``event`` tables (events in time order)."""

    tickets: list[dict[str, Any]] = field(default_factory=list)
    jobs: list[dict[str, Any]] = field(default_factory=list)
    events: list[tuple[datetime, str, str, str, str]] = field(default_factory=list)


def synthesize_history(
    con: sqlite3.Connection, days: int, per_day: int, rng: random.Random
) -> History:
    """``days`` x ``per_day`` finished tickets, as the server would have written them."""
    cats = dict(con.execute("SELECT prefix, id FROM category"))
    cat_names = dict(con.execute("SELECT prefix, name FROM category"))
    windows = dict(con.execute("SELECT number, id FROM service_window"))
    staff = dict(con.execute("SELECT code, id FROM staff"))
    station_name = "示范村便民服务站"
    prefixes, weights = list(CATEGORY_SHARE), list(CATEGORY_SHARE.values())
    h = History()
    for day in business_days(datetime.now(TZ).date(), days):
        opening = datetime(day.year, day.month, day.day, 8, 30, tzinfo=TZ)
        seqs = dict.fromkeys(prefixes, 0)
        for minute in sorted(rng.uniform(0, 8 * 60) for _ in range(per_day)):
            prefix = rng.choices(prefixes, weights)[0]
            seqs[prefix] += 1
            issued = opening + timedelta(minutes=minute)
            called = issued + timedelta(minutes=rng.uniform(0.5, 25))
            served = rng.uniform(0.5, 2.5 * SERVICE_MINUTES[prefix])
            finished = called + timedelta(minutes=served)
            win_no = rng.choice(WINDOWS_OF[prefix])
            win, clerk = windows[win_no], staff[STAFF_OF_WINDOW[win_no]]
            t = {
                "id": _uuid7(rng, issued),
                "business_date": day.isoformat(),
                "category_id": cats[prefix],
                "number": f"{prefix}{seqs[prefix]:03d}",
                "people_ahead": rng.randint(0, 8),
                "est_wait_min": rng.randint(0, 40),
            }
            h.tickets.append({
                **t, "seq": seqs[prefix], "issue_category_id": cats[prefix],
                "source": "kiosk", "priority": "normal", "status": "done",
                "queue_at": _db_time(issued), "issued_at": _db_time(issued),
                "called_at": _db_time(called), "started_at": _db_time(called),
                "finished_at": _db_time(finished), "window_id": win, "staff_id": clerk,
                "recall_count": 0, "no_show_count": 0, "rejoin_count": 0,
            })  # fmt: skip
            receipt = {
                "station_name": station_name,
                "ticket": {**t, "category_name": cat_names[prefix], "status": "waiting",
                           "priority": "normal", "source": "kiosk",
                           "issued_at": issued.astimezone(UTC).isoformat()},
            }  # fmt: skip
            job_id = _uuid7(rng, issued)
            h.jobs.append({
                "id": job_id, "kind": "receipt", "ticket_id": t["id"],
                "payload": json.dumps(receipt, ensure_ascii=False), "status": "done",
                "attempts": 1, "created_at": _db_time(issued),
                "done_at": _db_time(issued + timedelta(seconds=2)),
            })  # fmt: skip
            h.events += [
                (issued, "ticket.issued", "ticket", t["id"],
                 _ticket_payload(t, "waiting", None, None)),
                (issued, "print_job.created", "print_job", job_id, '{"kind": "receipt"}'),
                (called, "ticket.called", "ticket", t["id"],
                 _ticket_payload(t, "called", win, clerk, window_number=win_no)),
                (finished, "ticket.finished", "ticket", t["id"],
                 _ticket_payload(t, "done", win, clerk, window_number=win_no)),
            ]  # fmt: skip
    h.events.sort(key=lambda e: e[0])  # stable: issued stays before print_job.created
    return h


def add_year_of_history(db: Path, days: int, per_day: int, seed: int) -> tuple[int, int]:
    """Write the history into a seeded station database; returns (tickets, events)."""
    rng = random.Random(seed)
    con = sqlite3.connect(db)
    try:
        h = synthesize_history(con, days, per_day, rng)
        con.execute("PRAGMA synchronous=OFF")  # a setup step, not what is measured
        with con:
            # The seed's own events (categories, windows, staff) move behind the history.
            con.execute("UPDATE event SET seq = -seq")
            con.execute("UPDATE event SET seq = ? - seq", (len(h.events),))
            insert_rows(con, "ticket", h.tickets)
            insert_rows(con, "print_job", h.jobs)
            insert_rows(
                con,
                "event",
                [
                    {"seq": seq, "id": _uuid7(rng, at), "type": type_, "entity": entity,
                     "entity_id": entity_id, "payload": payload, "occurred_at": _db_time(at)}
                    for seq, (at, type_, entity, entity_id, payload) in enumerate(h.events, 1)
                ],
            )  # fmt: skip
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return len(h.tickets), len(h.events)
    finally:
        con.close()


# ---- measurement --------------------------------------------------------------------------
@dataclass
class Station:
    """One server under test, its client and its samples (seconds)."""

    name: str
    server: ServerProcess
    client: httpx.Client | None = None
    issue: list[float] = field(default_factory=list)
    call: list[float] = field(default_factory=list)
    window_turn: int = 0

    def open(self) -> None:
        self.server.start()
        self.client = httpx.Client(base_url=self.server.url, timeout=30.0)
        self.client.headers.update(login(self.client, *CLERK))

    def _post(self, path: str, body: dict[str, str] | None = None) -> tuple[float, httpx.Response]:
        assert self.client is not None
        started = time.perf_counter()
        r = self.client.post(path, json=body)
        return time.perf_counter() - started, r

    def _window_for(self, prefix: str) -> int:
        windows = WINDOWS_OF[prefix]
        self.window_turn += 1
        return windows[self.window_turn % len(windows)]

    def prefill(self, per_category: int) -> None:
        for prefix in WINDOWS_OF:
            for _ in range(per_category):
                _, r = self._post("/api/kiosk/tickets", {"category": prefix})
                r.raise_for_status()

    def run(self, iterations: int, record: bool) -> None:
        for i in range(iterations):
            prefix = "ABC"[i % 3]
            issue_s, r = self._post("/api/kiosk/tickets", {"category": prefix})
            r.raise_for_status()
            window = self._window_for(prefix)
            call_s, r = self._post(f"/api/windows/{window}/call-next")
            if r.status_code == 409 and r.json()["error"] == "queue_empty":
                self.prefill(1)  # should not happen with a prefilled queue; keep going
                call_s, r = self._post(f"/api/windows/{window}/call-next")
            r.raise_for_status()
            _, f = self._post(f"/api/windows/{window}/finish")
            f.raise_for_status()
            if record:
                self.issue.append(issue_s)
                self.call.append(call_s)

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
        self.server.stop()

    def figures(self) -> dict[str, float]:
        def ms(values: list[float], q: float) -> float:
            return round(percentile(values, q) * 1000, 2)

        return {
            "issue_p50_ms": ms(self.issue, 50),
            "issue_p99_ms": ms(self.issue, 99),
            "call_p50_ms": ms(self.call, 50),
            "call_p99_ms": ms(self.call, 99),
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=250, help="business days of history")
    parser.add_argument("--per-day", type=int, default=200, help="tickets per business day")
    parser.add_argument("--samples", type=int, default=400, help="timed iterations per station")
    parser.add_argument(
        "--rounds", type=int, default=0, help="alternations between stations (0: every iteration)"
    )
    parser.add_argument("--warmup", type=int, default=30, help="untimed iterations first")
    parser.add_argument("--prefill", type=int, default=5, help="waiting tickets per category")
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="yizhan-bench-") as tmp:
        stations: list[Station] = []
        for name in ("empty", "year"):
            data_dir = Path(tmp) / name
            data_dir.mkdir()
            prepare_demo_database(data_dir)
            stations.append(Station(name, ServerProcess(data_dir)))
        empty, year = stations

        started = time.perf_counter()
        n_tickets, n_events = add_year_of_history(
            database_path(year.server.data_dir), args.days, args.per_day, args.seed
        )
        db_mb = database_path(year.server.data_dir).stat().st_size / 2**20
        print(
            f"history: {n_tickets} tickets, {n_events} events over {args.days} business days "
            f"written in {time.perf_counter() - started:.1f} s (database {db_mb:.0f} MB)"
        )
        try:
            for st in stations:
                st.open()
                st.prefill(args.prefill)
                st.run(args.warmup, record=False)
            rounds = args.rounds or args.samples
            per_round = max(1, args.samples // rounds)
            for r in range(rounds):
                for st in stations if r % 2 == 0 else stations[::-1]:
                    st.run(per_round, record=True)
            rss = {st.name: round(st.server.rss_mb(), 1) for st in stations}
        finally:
            for st in stations:
                st.close()

    fig = {st.name: st.figures() for st in stations}
    for st in stations:
        f = fig[st.name]
        print(
            f"{st.name:>5}: issue p50 {f['issue_p50_ms']:.2f} ms p99 {f['issue_p99_ms']:.2f} ms | "
            f"call-next p50 {f['call_p50_ms']:.2f} ms p99 {f['call_p99_ms']:.2f} ms | "
            f"server RSS {rss[st.name]:.1f} MB ({len(st.issue)} samples each)"
        )
    # ratio = (issue p50 + call p50) on the year database / the same on the empty one
    ratio = (fig["year"]["issue_p50_ms"] + fig["year"]["call_p50_ms"]) / (
        fig["empty"]["issue_p50_ms"] + fig["empty"]["call_p50_ms"]
    )
    verdict = "ok" if ratio <= 1.2 else "WORSE THAN GOAL 1.2"
    print(f"year/empty (issue p50 + call p50): {ratio:.3f} ({verdict})")
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} CPUs, 1-minute load average {load:.2f} at the end")
    print_result(
        {
            **fig["year"],
            "year_over_empty_ratio": round(ratio, 3),
            "server_rss_mb": rss["year"],
            **{f"empty_{k}": v for k, v in fig["empty"].items()},
            "empty_server_rss_mb": rss["empty"],
            "history_tickets": n_tickets,
            "history_events": n_events,
            "samples": len(year.issue),
            "load_avg_1m": round(load, 2),
        }
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
