"""Shared rig of the sync fault tests and ``bench/sync.py`` (no tests live here).

- ``CountyServer``: the real county app under uvicorn in a thread on a fixed loopback port,
  stoppable and restartable on that port (same database, same county keys).
- ``enrolled_station``: a real station (SQLite, ``make_station``) enrolled at the county with
  a one-time code, its ``county_url`` pointing at a ``FaultProxy``.
- ``drive_tickets`` / ``fill_backlog``: station events made by the station's own services
  (issue, call, start, finish, with their print jobs and SMS), and a many-day backlog cloned
  from such a day.
- ``assert_in_step``: the county's events for a station equal the station's, once each, by
  (id, hash) computed on the station from its event table with ``sync.protocol.WireEvent``.
"""

from __future__ import annotations

import json
import random
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
import uvicorn
from sqlalchemy import insert
from sqlmodel import col, select

from appliance.core.ids import new_id
from appliance.events.log import last_event_seq
from appliance.events.tables import Event
from appliance.uplink.tables import SYNC_STATE_ID, SyncState
from sync.county.app import create_county_app
from sync.county.enrolment import create_station, issue_enrolment_code
from sync.county.services import CountyServices, build_county_services
from sync.county.settings import CountySettings, load_county_settings
from sync.protocol import WireEvent
from sync.station.agent import RoundResult, SyncAgent
from sync.station.enrol import enrol
from tests.support.station import Station, free_port, make_station
from tests.support.sync_proxy import FaultProxy


@dataclass
class CountyServer:
    """The county app under uvicorn in a thread; ``stop()``/``start()`` keep the port."""

    settings: CountySettings
    dsn: str
    port: int = field(default_factory=free_port)
    admin: CountyServices | None = None
    _server: uvicorn.Server | None = None
    _thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def services(self) -> CountyServices:
        """Admin-side services (enrolment codes, revocation) on the same database."""
        if self.admin is None:
            self.admin = build_county_services(self.settings)
        return self.admin

    def start(self, timeout: float = 15.0) -> None:
        app = create_county_app(self.settings)
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="error", lifespan="on"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("county server did not start")
            time.sleep(0.01)

    def stop(self, force: bool = False) -> None:
        if self._server is None or self._thread is None:
            return
        self._server.force_exit = force
        self._server.should_exit = True
        self._thread.join(timeout=15)
        self._server = self._thread = None

    def close(self) -> None:
        self.stop()
        if self.admin is not None:
            self.admin.close()
            self.admin = None

    # ---- reading the county database ------------------------------------------------------
    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.dsn) as conn:
            return list(conn.execute(sql, params).fetchall())  # type: ignore[arg-type]

    def scalar(self, sql: str, *params: Any) -> Any:
        rows = self.rows(sql, *params)
        return rows[0][0] if rows else None

    def footprint(self) -> dict[str, int]:
        """Row counts of everything an accepted batch writes (refusals must not change them)."""
        counts = {
            t: int(self.scalar(f"SELECT count(*) FROM {t}"))
            for t in ("inbox_event", "quarantine", "ticket_fact")
        }
        counts["progress"] = int(
            self.scalar(
                "SELECT coalesce(sum(received_through_seq + applied_through_seq + backlog_count), 0)"
                " FROM station_progress"
            )
        )
        return counts


def county_settings(database_url: str, data_dir: Path, **overrides: Any) -> CountySettings:
    return load_county_settings(
        env={}, database_url=database_url, data_dir=str(data_dir), **overrides
    )


def enrolled_station(
    tmp: Path,
    county: CountyServer,
    proxy: FaultProxy,
    station_id: str = "ST01",
    **overrides: Any,
) -> Station:
    """A real station with its own SQLite, enrolled through the proxy with a one-time code."""
    options: dict[str, Any] = {"sync_timeout_s": 15.0, "sync_backoff_max_s": 0.5}
    options.update(overrides)
    station = make_station(tmp, county_url=proxy.url, station_code=station_id, **options)
    issued = create_station(county.services, station_id, f"{station_id} 便民服务站")
    enrol(station.settings, issued.code, db=station.services.db, clock=station.clock)
    return station


def re_enrol(station: Station, county: CountyServer) -> None:
    """A new key after revocation: a fresh one-time code, ``--force``."""
    issued = issue_enrolment_code(county.services, station.settings.station_code)
    enrol(station.settings, issued.code, db=station.services.db, clock=station.clock, force=True)


def agent_for(station: Station, seed: int = 7, **overrides: Any) -> SyncAgent:
    """The real agent on the station's database; ``overrides`` change its settings (e.g.
    ``sync_batch_events``, ``sync_timeout_s``)."""
    settings = replace(station.settings, **overrides) if overrides else station.settings
    return SyncAgent(settings, db=station.services.db, clock=station.clock, rng=random.Random(seed))


def drain(agent: SyncAgent, rounds: int = 40) -> list[RoundResult]:
    """Run rounds (ignoring the backoff wait) until one ends caught up without error."""
    results = []
    for _ in range(rounds):
        result = agent.run_once()
        results.append(result)
        if result.error is None and result.caught_up:
            return results
    raise AssertionError(f"not caught up after {rounds} rounds: {results[-1].error}")


# ---- station events --------------------------------------------------------------------------
PHONES = ["13812345678", "13987654321", None, "15011112222", None]


def drive_tickets(station: Station, n: int, rng: random.Random | None = None) -> int:
    """``n`` customers through the station's services (issue with or without a phone, call,
    start, finish, sometimes a no-show or a recall); returns the station's last seq."""
    rng = rng or random.Random(1)
    q, clock = station.services.queue, station.clock
    for i in range(n):
        category = rng.choice(["A", "A", "B"])
        q.issue(category, rng.choice(["kiosk", "button", "staff"]), phone=rng.choice(PHONES))
        clock.advance(minutes=rng.randint(1, 4))
        window = "1" if category == "A" else "2"
        q.call_next(window)
        if i % 11 == 10:
            q.no_show(window)
            continue
        if i % 7 == 6:
            q.recall(window)
        q.start(window)
        clock.advance(minutes=rng.randint(2, 9))
        q.finish(window)
    return last_event_seq(station.services.db)


def fill_backlog(station: Station, days: int, per_day: int, tickets_per_real_day: int = 40) -> int:
    """A ``days``-long backlog of about ``per_day`` events a day: the first day is driven
    through the services, the others clone its events (new ids, shifted times) in bulk.
    Returns the station's last seq."""
    start = station.clock.now()
    first = last_event_seq(station.services.db)
    drive_tickets(station, tickets_per_real_day)
    with station.services.db.read() as s:
        day = list(s.exec(select(Event).where(col(Event.seq) > first).order_by(col(Event.seq))))
    seq = last_event_seq(station.services.db)
    rows: list[dict[str, Any]] = []
    for d in range(1, days):
        shift = timedelta(days=d)
        for k in range(per_day):
            e = day[k % len(day)]
            seq += 1
            rows.append(
                {
                    "seq": seq,
                    "id": new_id(),
                    "type": e.type,
                    "entity": e.entity,
                    "entity_id": new_id(),
                    "payload": e.payload,
                    "occurred_at": e.occurred_at + shift,
                }
            )
    with station.services.db.write() as s:
        for i in range(0, len(rows), 2000):
            s.execute(insert(Event), rows[i : i + 2000])
    station.clock.set(start + timedelta(days=days))
    return last_event_seq(station.services.db)


# ---- the invariant ---------------------------------------------------------------------------
def station_wire(station: Station) -> list[tuple[int, str, str, str]]:
    """(seq, id, hash, occurred_at) of every station event, hashed here with WireEvent."""
    with station.services.db.read() as s:
        events = list(s.exec(select(Event).order_by(col(Event.seq))))
    out = []
    for e in events:
        w = WireEvent(
            seq=e.seq,
            id=e.id,
            type=e.type,
            entity=e.entity,
            entity_id=e.entity_id,
            payload=json.loads(e.payload),
            occurred_at=e.occurred_at.isoformat(),
        )
        out.append((e.seq, e.id, w.computed_hash(), e.occurred_at.isoformat()))
    return out


def assert_in_step(station: Station, county: CountyServer) -> int:
    """The county holds exactly the station's events, once each, same (id, hash), applied in
    seq order, nothing quarantined, and the station's cursor is at its last event."""
    sid = station.settings.station_code
    local = station_wire(station)
    remote = county.rows(
        "SELECT seq, event_id, hash, status FROM inbox_event WHERE station_id = %s ORDER BY seq",
        sid,
    )
    assert len({r[1] for r in remote}) == len(remote), "an event stored twice at the county"
    assert [(r[1], r[2]) for r in remote] == [(e[1], e[2]) for e in local]
    assert [r[0] for r in remote] == [e[0] for e in local]
    assert {r[3] for r in remote} <= {"applied"}, "events left behind a gap"
    assert county.rows("SELECT event_id, reason FROM quarantine WHERE station_id = %s", sid) == []
    last = local[-1][0] if local else 0
    progress = county.rows(
        "SELECT received_through_seq, applied_through_seq, backlog_count FROM station_progress "
        "WHERE station_id = %s",
        sid,
    )
    assert progress == [(last, last, 0)]
    with station.services.db.read() as s:
        state = s.get(SyncState, SYNC_STATE_ID)
    assert state is not None and state.acked_through_seq == last
    return len(local)


@dataclass
class Rig:
    county: CountyServer
    proxy: FaultProxy
    station: Station
    tmp: Path
