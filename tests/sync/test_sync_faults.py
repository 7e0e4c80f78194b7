"""Sync under faults (issue 4): a REAL county (uvicorn on loopback, real PostgreSQL) and a
REAL station (SQLite, its own services, the real SyncAgent), with ``tests/support/sync_proxy.py``
injecting faults between them. After every scenario ``assert_in_step``: the county's events
for the station equal the station's, once each, by (id, hash)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime

import pytest

from appliance.events.log import last_event_seq
from bench.common import ROOT, server_env
from sync.station.state import load_state
from tests.support.station import Station
from tests.support.sync_proxy import FaultProxy, Request
from tests.sync.faults_support import (
    Rig,
    agent_for,
    assert_in_step,
    drain,
    drive_tickets,
    fill_backlog,
)

pytestmark = pytest.mark.slow


def _error(body: bytes) -> str:
    return str(json.loads(body)["error"])


# ---- network faults ---------------------------------------------------------------------
def test_dropped_requests_are_sent_again(rig: Rig) -> None:
    drive_tickets(rig.station, 60)
    rig.proxy.set_faults("drop", "drop", "pass", "drop")
    agent = agent_for(rig.station)
    first = agent.run_once()
    assert first.error and "无法连接" in first.error
    assert load_state(rig.station.services.db).acked_through_seq == 0  # type: ignore[union-attr]
    drain(agent)
    assert [x.fault for x in rig.proxy.batches()][:4] == ["drop", "drop", "pass", "drop"]
    assert assert_in_step(rig.station, rig.county) > 300


def test_response_lost_after_the_county_committed(rig: Rig) -> None:
    drive_tickets(rig.station, 40)
    rig.proxy.set_faults("lose_response", "pass", "lose_response")
    agent = agent_for(rig.station)
    assert agent.run_once().error  # committed at the county, never acknowledged
    lost = rig.proxy.batches()[0]
    assert lost.status == 200 and not lost.replied
    assert rig.county.scalar("SELECT count(*) FROM inbox_event") > 0
    assert load_state(rig.station.services.db).acked_through_seq == 0  # type: ignore[union-attr]
    drain(agent)
    resend = json.loads(rig.proxy.batches()[1].response_body)
    assert {r["status"] for r in resend["results"]} == {"duplicate"}
    assert_in_step(rig.station, rig.county)


def test_batches_delivered_twice_and_concurrently(rig: Rig) -> None:
    drive_tickets(rig.station, 60)
    rig.proxy.set_faults("duplicate", "duplicate_serial", "duplicate", "duplicate")
    drain(agent_for(rig.station, sync_batch_events=50))
    doubled = [x for x in rig.proxy.batches() if x.fault.startswith("duplicate")]
    assert doubled and all(x.delivered == 2 for x in doubled)
    assert_in_step(rig.station, rig.county)
    # one copy of each pair was stored, the other counted as duplicates
    ok = rig.county.rows("SELECT accepted, duplicates FROM batch_log WHERE outcome = 'ok'")
    assert sum(a for a, _ in ok) == last_event_seq(rig.station.services.db)
    assert sum(d for _, d in ok) >= sum(
        len(json.loads(x.response_body)["results"]) for x in doubled
    )


def test_reordered_deliveries(rig: Rig) -> None:
    """A held batch reaches the county only after the retry that replaced it."""
    drive_tickets(rig.station, 60)
    rig.proxy.set_faults("hold")
    agent = agent_for(rig.station, sync_timeout_s=0.5)
    first = agent.run_once()
    assert first.error and "超时" in first.error
    drain(agent)
    rig.proxy.release_held()
    held = rig.proxy.batches()[0]
    assert held.fault == "hold" and held.delivered == 1 and held.status == 200
    statuses = [r["status"] for r in json.loads(held.response_body)["results"]]
    assert statuses[0] == "duplicate"  # its first events came with the retry before it
    assert_in_step(rig.station, rig.county)


def test_a_later_batch_arriving_first_waits_behind_the_gap(rig: Rig) -> None:
    """True reordering: the station's batch 1 is held (the proxy fakes its ack), batch 2
    reaches the county first and waits behind the gap; batch 1 then arrives and both apply
    in seq order."""
    last = drive_tickets(rig.station, 30)
    rig.proxy.set_faults("hold_ack")
    agent = agent_for(rig.station, sync_batch_events=60)
    result = agent.run_once()
    # batch 2 is stored but held behind the gap, so the county acknowledges nothing new
    assert result.error and "暂未确认第 61 条" in result.error
    assert result.acked_through_seq == 60  # only the faked ack moved the station's cursor
    received, backlog, alert = rig.county.rows(
        "SELECT received_through_seq, backlog_count, gap_alert FROM station_progress"
    )[0]
    assert received == 0 and backlog > 0 and "缺少序号 1" in alert
    assert {r[0] for r in rig.county.rows("SELECT status FROM inbox_event")} == {"backlog"}
    rig.proxy.release_held()  # batch 1 arrives last
    held = rig.proxy.batches()[0]
    assert held.status == 200 and json.loads(held.response_body)["acked_through_seq"] > 60
    drain(agent)
    assert_in_step(rig.station, rig.county)
    assert rig.county.scalar("SELECT gap_alert FROM station_progress") is None
    assert last > 180


def test_5xx_replies_are_unknown_and_retried(rig: Rig) -> None:
    drive_tickets(rig.station, 30)
    rig.proxy.set_faults("503", "500", "503")
    agent = agent_for(rig.station)
    for _ in range(3):
        result = agent.run_once()
        assert result.error and "暂时故障" in result.error
    assert rig.county.scalar("SELECT count(*) FROM inbox_event") == 0
    drain(agent)
    assert_in_step(rig.station, rig.county)


def test_county_restart_mid_batch(rig: Rig) -> None:
    drive_tickets(rig.station, 80)
    restarts = {"n": 0}

    def restart_in_flight(req: Request) -> None:
        if req.path.endswith("/batches") and restarts["n"] < 2:
            restarts["n"] += 1
            threading.Thread(target=rig.county.stop, kwargs={"force": True}).start()
            time.sleep(0.05)

    rig.proxy.on_request = restart_in_flight
    agent = agent_for(rig.station, sync_batch_events=40)
    errors = 0
    for _ in range(4):
        result = agent.run_once()
        errors += result.error is not None
        if rig.county._server is None:
            rig.county.start()
    rig.proxy.on_request = None
    if rig.county._server is None:
        rig.county.start()
    drain(agent)
    assert restarts["n"] == 2 and errors >= 1
    assert_in_step(rig.station, rig.county)


# ---- time and history --------------------------------------------------------------------
def test_a_station_clock_years_off_is_data_not_control(rig: Rig) -> None:
    """Events stamped 2003 and 2041 are accepted and ordered by seq, not by time."""
    clock = rig.station.clock
    clock.set(datetime(2041, 3, 1, 1, 0, tzinfo=UTC))
    drive_tickets(rig.station, 8)
    clock.set(datetime(2003, 6, 1, 1, 0, tzinfo=UTC))
    drive_tickets(rig.station, 8)
    drain(agent_for(rig.station))
    n = assert_in_step(rig.station, rig.county)
    years = [r[0].year for r in rig.county.rows("SELECT occurred_at FROM inbox_event ORDER BY seq")]
    assert len(years) == n
    runs = [y for i, y in enumerate(years) if i == 0 or years[i - 1] != y]
    assert runs == [2026, 2041, 2003]  # the demo seed, then the far future, then the past
    offset = rig.county.scalar("SELECT clock_offset_s FROM station")
    assert offset is not None and offset < -365 * 86400  # shown on the dashboard, not refused


def test_a_30_day_backlog_of_15000_events_drains(rig: Rig) -> None:
    last = fill_backlog(rig.station, days=30, per_day=500)
    assert 14_500 <= last <= 16_000
    agent = agent_for(rig.station)
    results = drain(agent)
    assert sum(r.batches for r in results) < 40  # batches grow past the first 200 events
    assert assert_in_step(rig.station, rig.county) == last


# ---- station SIGKILL during a send and during the ack update ------------------------------
def _agent_process(station: Station, proxy: FaultProxy) -> subprocess.Popen[bytes]:
    env = server_env(
        station.data_dir,
        0,
        {
            "station_code": station.settings.station_code,
            "county_url": proxy.url,
            "sync_interval_s": "0.05",
            "sync_backoff_max_s": "0.2",
            "sync_batch_events": "25",
            "sync_timeout_s": "5",
        },
    )
    log = open(station.data_dir / "agent.log", "ab")  # noqa: SIM115
    return subprocess.Popen(
        [sys.executable, "-m", "yizhan.cli", "sync", "run"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def test_station_sigkill_during_send_and_during_ack_update(rig: Rig) -> None:
    """`yizhan sync run` in a subprocess, SIGKILLed as a batch leaves (before the county has
    it), as the county's answer comes back (committed there, ack not yet stored), and at
    random moments; restarted each time. It must converge, once each."""
    last = drive_tickets(rig.station, 60)
    rng = random.Random(4)
    current: dict[str, subprocess.Popen[bytes]] = {}
    plan = ["request", "response", "random", "response", "request", "random", "response"]
    kills: list[str] = []

    def kill(point: str) -> None:
        proc = current.get("p")
        if plan and plan[0] == point and proc is not None and proc.poll() is None:
            plan.pop(0)
            kills.append(point)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()

    rig.proxy.on_request = lambda req: kill("request") if req.path.endswith("batches") else None
    rig.proxy.on_response = lambda req, st: (
        kill("response") if req.path.endswith("batches") else None
    )
    deadline = time.monotonic() + 60
    while plan and time.monotonic() < deadline:
        state = load_state(rig.station.services.db)
        if state is not None and state.acked_through_seq >= last:
            # every event is acknowledged (a random kill came late): make more to send, so
            # the next planned kill has a batch to catch
            last = drive_tickets(rig.station, 10, random.Random(len(kills)))
        current["p"] = proc = _agent_process(rig.station, rig.proxy)
        if plan[0] == "random":
            time.sleep(rng.uniform(0.8, 1.6))  # after start-up, somewhere in a round
            kill("random")
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            pytest.fail(
                "agent was never killed:\n"
                + (rig.tmp / "station" / "agent.log").read_text(errors="replace")[-3000:]
            )
    assert not plan, kills
    rig.proxy.on_request = rig.proxy.on_response = None
    current["p"] = proc = _agent_process(rig.station, rig.proxy)
    try:
        while time.monotonic() < deadline:
            state = load_state(rig.station.services.db)
            if state is not None and state.acked_through_seq == last:
                break
            time.sleep(0.1)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
    assert kills.count("response") == 3 and kills.count("request") == 2
    assert_in_step(rig.station, rig.county)
    with rig.station.services.db.read() as s:
        from sqlalchemy import text

        assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
