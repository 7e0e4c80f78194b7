"""Sync bench (同步): wire size, drain time over a 64 kbit/s link, county ingest vs COPY.

Everything is real: a throwaway PostgreSQL cluster (as ``tests/support/pg_server.py`` starts it),
the county app under uvicorn on loopback, a fault proxy (``tests/support/sync_proxy.py``) between
it and real stations (SQLite, their own services, the real ``SyncAgent``).

(a) ``bytes_per_event``: a simulated day at one station driven through its services (issue
    with or without a phone, call, recall, no-show, start, finish; with the print-job and SMS
    events they write), synced through the proxy; compressed request bytes / events.
(b) ``drain_seconds_64kbit``: a 30-day backlog of ~15,000 events drained through the proxy
    throttled to 8,000 B/s each way. A full drain takes minutes, so by default only the first
    ``--drain-events`` events are drained and the time is scaled to the whole backlog
    (``drain_extrapolated``: true); ``--full`` drains all of it.
(c) ``ingest_events_per_s``: the county's ``ingest_batch`` (verify, inflate, inbox insert,
    apply the projections, in one transaction per batch) over a third station's 15,000-event
    backlog in the station's own signed batches of 1,000, in process; ``copy_rows_per_s``:
    PostgreSQL ``COPY`` of the same rows into a plain table in the same run.

Last line: one JSON object. Run ``.venv/bin/python bench/sync.py``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, bench/ is first on sys.path and bench/queue.py would hide the standard
# library's ``queue`` (psycopg imports it): put the project root there instead.
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)
elif str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import logging  # noqa: E402

import psycopg  # noqa: E402

from appliance.events.log import last_event_seq  # noqa: E402
from bench.common import print_result  # noqa: E402
from sync import crypto  # noqa: E402
from sync.county.ingest import IncomingBatch, ingest_batch  # noqa: E402
from sync.county.migrate import upgrade  # noqa: E402
from sync.station.keys import load_station_key  # noqa: E402
from sync.station.outbox import make_batch, pending_events  # noqa: E402
from sync.station.state import load_state  # noqa: E402
from tests.support.pg_server import start_pg_server  # noqa: E402
from tests.support.sync_proxy import FaultProxy  # noqa: E402
from tests.sync.faults_support import (  # noqa: E402
    CountyServer,
    agent_for,
    assert_in_step,
    county_settings,
    drain,
    drive_tickets,
    enrolled_station,
    fill_backlog,
)

RATE_64KBIT = 8000.0  # bytes per second
INGEST_BATCH = 1000


def bytes_per_event(county: CountyServer, tmp: Path) -> tuple[float, int]:
    proxy = FaultProxy(county.url)
    station = enrolled_station(tmp / "day", county, proxy, "DAY01")
    try:
        first = last_event_seq(station.services.db)
        drive_tickets(station, 150)  # a busy day at a village station
        last = last_event_seq(station.services.db)
        # the demo seed's events go first, in their own batch: leave them out of the figure
        drain(agent_for(station, sync_batch_events=max(1, first)))
        assert_in_step(station, county)
        sent = [x for x in proxy.batches() if x.status == 200]
        day = [x for x in sent if _first_seq(x.request) > first]
        size = sum(len(x.request.body) for x in day)
        return size / (last - first), last - first
    finally:
        proxy.close()
        station.services.close()


def _first_seq(req: object) -> int:
    from sync.protocol import BATCH_HEADER, BatchHeader

    raw = crypto.b64d(req.header(BATCH_HEADER) or "")  # type: ignore[attr-defined]
    return BatchHeader.from_bytes(raw).first_seq


def drain_time(county: CountyServer, tmp: Path, limit: int | None) -> tuple[float, int, int]:
    proxy = FaultProxy(county.url, rate_bytes_per_s=RATE_64KBIT)
    station = enrolled_station(tmp / "drain", county, proxy, "DRAIN01", sync_timeout_s=120.0)
    try:
        total = fill_backlog(station, days=30, per_day=500)
        agent = agent_for(station)
        started = time.perf_counter()
        if limit is None or limit >= total:
            drain(agent)
            assert_in_step(station, county)
            return time.perf_counter() - started, total, total
        # drain a prefix the way the agent does (same sizer), until ``limit`` events are acked
        state = load_state(station.services.db)
        assert state is not None
        from sync.station.client import CountyClient, StationIdentity
        from sync.station.outbox import apply_ack, build_batch

        identity = StationIdentity(
            state.station_id, state.key_id, load_station_key(station.settings)
        )
        acked = state.acked_through_seq
        with CountyClient(state.county_url, timeout=120, identity=identity) as client:
            while acked < limit:
                events = pending_events(station.services.db, acked, agent.sizer.events)
                batch = build_batch(
                    events, agent.sizer.bytes, state.station_id, state.key_id, station.clock.now()
                )
                reply = client.send_batch(batch.header, batch.body)
                acked = apply_ack(station.services.db, batch, reply, station.clock.now()).after
                agent.sizer.cap(reply.max_batch_bytes)
                agent.sizer.grow()
        elapsed = time.perf_counter() - started
        return elapsed * total / acked, acked, total
    finally:
        proxy.close()
        station.services.close()


def ingest_vs_copy(county: CountyServer, tmp: Path) -> tuple[float, float, int]:
    proxy = FaultProxy(county.url)
    station = enrolled_station(tmp / "ingest", county, proxy, "INGEST01")
    try:
        fill_backlog(station, days=30, per_day=500)
        state = load_state(station.services.db)
        assert state is not None
        key = load_station_key(station.settings)
        batches = []
        acked = 0
        while True:
            events = pending_events(station.services.db, acked, INGEST_BATCH)
            if not events:
                break
            batches.append(make_batch(events, state.station_id, state.key_id, station.clock.now()))
            acked = events[-1].seq
        n = sum(b.header.count for b in batches)
        svc = county.services
        started = time.perf_counter()
        for b in batches:
            raw = b.header.to_bytes()
            ingest_batch(svc, IncomingBatch(crypto.b64e(raw), crypto.sign(key, raw), b.body))
        ingest_s = time.perf_counter() - started
        assert (
            county.scalar(
                "SELECT count(*) FROM inbox_event WHERE station_id = %s", state.station_id
            )
            == n
        )
        rows = county.rows(
            "SELECT station_id, event_id, seq, hash, type, entity, entity_id, payload::text, "
            "occurred_at, received_at, batch_id, status FROM inbox_event WHERE station_id = %s "
            "ORDER BY seq",
            state.station_id,
        )
        with psycopg.connect(county.dsn, autocommit=True) as conn:
            conn.execute("DROP TABLE IF EXISTS copy_bench")
            conn.execute(
                "CREATE TABLE copy_bench (station_id varchar(32), event_id varchar(64), "
                "seq bigint, hash varchar(64), type varchar(64), entity varchar(64), "
                "entity_id varchar(64), payload jsonb, occurred_at timestamptz, "
                "received_at timestamptz, batch_id varchar(64), status varchar(16))"
            )
            started = time.perf_counter()
            with (
                conn.transaction(),
                conn.cursor() as cur,
                cur.copy("COPY copy_bench FROM STDIN") as copy,
            ):
                for r in rows:
                    copy.write_row(r)
            copy_s = time.perf_counter() - started
            conn.execute("DROP TABLE copy_bench")
        return n / ingest_s, len(rows) / copy_s, n
    finally:
        proxy.close()
        station.services.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="drain the whole backlog at 64 kbit/s")
    parser.add_argument("--drain-events", type=int, default=2000)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    wall = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="yizhan-sync-bench-"))
    pg = start_pg_server()
    county: CountyServer | None = None
    try:
        url = pg.create_database("county_bench")
        upgrade(url)
        county = CountyServer(county_settings(url, tmp / "county"), pg.dsn("county_bench"))
        county.start()
        bpe, day_events = bytes_per_event(county, tmp)
        print(f"(a) a day's mix: {day_events} events, {bpe:.1f} compressed bytes per event")
        limit = None if args.full else args.drain_events
        drain_s, drained, backlog = drain_time(county, tmp, limit)
        how = "measured" if drained == backlog else f"scaled from the first {drained}"
        print(f"(b) {backlog} events at 64 kbit/s: {drain_s:.0f} s ({how})")
        ingest, copy_rate, n = ingest_vs_copy(county, tmp)
        print(
            f"(c) ingest {ingest:.0f} events/s vs COPY {copy_rate:.0f} rows/s over {n} events "
            f"= {ingest / copy_rate:.3f}"
        )
        print_result(
            {
                "bytes_per_event": round(bpe, 1),
                "drain_seconds_64kbit": round(drain_s, 1),
                "ingest_events_per_s": round(ingest, 1),
                "copy_rows_per_s": round(copy_rate, 1),
                "ingest_over_copy": round(ingest / copy_rate, 4),
                "day_events": day_events,
                "backlog_events": backlog,
                "drain_events_measured": drained,
                "drain_extrapolated": drained != backlog,
                "wall_s": round(time.perf_counter() - wall, 1),
            }
        )
    finally:
        if county is not None:
            county.close()
        pg.stop()
        shutil.rmtree(pg.root, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
