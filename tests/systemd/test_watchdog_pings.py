"""systemd watchdog (看门狗): WATCHDOG=1 comes from the loops that make progress, and stops
when they stop (R-N4). A real unix datagram socket stands in for systemd's."""

from __future__ import annotations

import os
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

import pytest

from appliance.core.clock import FrozenClock
from appliance.db.database import Database
from appliance.db.migrate import upgrade
from appliance.sdnotify import Watchdog, notify, slice_wait, watchdog_seconds
from appliance.settings import load_settings
from appliance.wiring import Services
from appliance.workers import systemd_watchdog
from hwservice.heartbeat import Progress
from hwservice.loops import run_loop, watchdog_on_step
from sync.station.agent import SyncAgent
from tests.support.station import T0, LiveServer, free_port
from tests.systemd.notify_support import notify_socket


def test_notify_is_a_no_op_outside_systemd_r_n4() -> None:
    assert notify("WATCHDOG=1", env={}) is False
    assert notify("WATCHDOG=1", env={"NOTIFY_SOCKET": "relative/path"}) is False
    assert notify("WATCHDOG=1", env={"NOTIFY_SOCKET": "/nonexistent/notify"}) is False
    assert watchdog_seconds({}) is None
    assert watchdog_seconds({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"}) is None
    assert watchdog_seconds({"WATCHDOG_USEC": "30000000"}) == 30.0
    assert slice_wait(100.0, {}) == 100.0
    assert slice_wait(100.0, {"WATCHDOG_USEC": "30000000"}) == 15.0


def test_notify_sends_one_datagram_r_n4(monkeypatch: pytest.MonkeyPatch) -> None:
    with notify_socket(monkeypatch) as sock:
        assert notify("READY=1")
        assert sock.receive() == "READY=1"
        ticks = iter([0.0, 0.5, 1.5])
        dog = Watchdog(min_interval=1.0, monotonic=lambda: next(ticks))
        assert dog.progressed() and not dog.progressed() and dog.progressed()
        assert sock.drain() == ["WATCHDOG=1", "WATCHDOG=1"]


def test_an_abstract_socket_address_works_too(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    name = f"yizhan-test-{os.getpid()}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind("\0" + name)
        assert notify("WATCHDOG=1", env={"NOTIFY_SOCKET": "@" + name})
        sock.settimeout(20)
        assert sock.recv(100) == b"WATCHDOG=1"


def test_the_hardware_loops_ping_only_while_every_loop_is_fresh_r_n4(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [0.0]
    progress = Progress(monotonic=lambda: now[0])
    progress.mark("print")
    with notify_socket(monkeypatch, watchdog_s=10.0) as sock:
        on_step = watchdog_on_step(progress.fresh, Watchdog(min_interval=0.0))
        stop = threading.Event()
        steps = iter(range(3))

        def step() -> bool:
            if next(steps, None) is None:
                stop.set()
            return False

        run_loop("heartbeat", step, stop, 0.0, on_step)
        assert sock.drain() == ["WATCHDOG=1"] * 4  # after every step of the heartbeat loop
        now[0] = 6.0  # the print loop is stuck in a device call past half the period
        stop.clear()
        steps = iter(range(3))
        run_loop("heartbeat", step, stop, 0.0, on_step)
        assert sock.drain() == []
        progress.mark("print")  # it finished a step again
        on_step("print")
        assert sock.drain() == ["WATCHDOG=1"]


def test_the_sync_loop_pings_between_rounds_r_n4(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings = load_settings(env={}, data_dir=str(tmp_path), sync_interval_s=0.05)
    upgrade(settings.sqlalchemy_url)
    db = Database(settings.sqlalchemy_url)
    with notify_socket(monkeypatch, watchdog_s=2.0) as sock:
        agent = SyncAgent(settings, db=db, clock=FrozenClock(T0))
        stop = threading.Event()
        thread = threading.Thread(target=agent.run_forever, args=(stop,))
        thread.start()
        try:
            assert sock.receive() == "WATCHDOG=1"
            assert sock.receive() == "WATCHDOG=1"
        finally:
            stop.set()
            thread.join(timeout=20)
    assert not thread.is_alive()
    db.dispose()


def _services_on(live: LiveServer, port: int) -> Services:
    services = live.station.services
    host = {"settings": replace(services.settings, http_host="127.0.0.1", http_port=port)}
    fake: Any = type("S", (), {"db": services.db, **host})()
    return cast(Services, fake)


def test_the_server_worker_pings_after_its_own_check_r_n4(
    monkeypatch: pytest.MonkeyPatch, live_server: LiveServer
) -> None:
    port = int(live_server.url.rsplit(":", 1)[1])
    with notify_socket(monkeypatch, watchdog_s=0.4) as sock:
        stop = threading.Event()
        worker = threading.Thread(
            target=systemd_watchdog, args=(_services_on(live_server, port), stop)
        )
        worker.start()
        try:
            assert sock.receive() == "READY=1"  # Type=notify: started once it answers
            assert sock.receive() == "WATCHDOG=1"
            assert sock.receive() == "WATCHDOG=1"
        finally:
            stop.set()
            worker.join(timeout=20)


def test_a_server_that_does_not_answer_gets_no_ping_r_n4(
    monkeypatch: pytest.MonkeyPatch, live_server: LiveServer
) -> None:
    dead = free_port()  # nothing listens here: the HTTP loop "hangs"
    services = _services_on(live_server, dead)
    with notify_socket(monkeypatch, watchdog_s=0.4) as sock:
        stop = threading.Event()
        worker = threading.Thread(target=systemd_watchdog, args=(services, stop))
        worker.start()
        try:
            assert sock.receive(wait=2.0) is None
        finally:
            stop.set()
            worker.join(timeout=20)


def test_without_a_watchdog_the_server_says_ready_once_and_stops_r_n4(
    monkeypatch: pytest.MonkeyPatch, live_server: LiveServer
) -> None:
    """Type=notify with no WatchdogSec: READY=1 once the server answers, then nothing."""
    port = int(live_server.url.rsplit(":", 1)[1])
    with notify_socket(monkeypatch) as sock:
        monkeypatch.delenv("WATCHDOG_USEC")
        stop = threading.Event()
        worker = threading.Thread(
            target=systemd_watchdog, args=(_services_on(live_server, port), stop)
        )
        worker.start()
        try:
            assert sock.receive() == "READY=1"
            worker.join(timeout=20)
            assert not worker.is_alive()
            assert sock.receive(wait=1.0) is None
        finally:
            stop.set()
            worker.join(timeout=20)
