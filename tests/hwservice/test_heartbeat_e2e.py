"""End to end (R-N1, R-Q1, R-Q3): a real ``yizhan serve`` and a real ``yizhan hw`` as
subprocesses; the hardware service is SIGKILLed, and within 30 s the server's verdict, the
hall display's data and ``yizhan doctor`` all show the fault; a new ``yizhan hw`` clears it."""

from __future__ import annotations

import dataclasses
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from appliance.settings import load_settings
from bench.common import ROOT, ServerProcess, login, prepare_demo_database
from tests.support.station import MANAGER
from yizhan.doctor import exit_code, run_doctor
from yizhan.doctor_checks import check_hardware_service

pytestmark = pytest.mark.slow
FAULT_BOUND_S = 30.0  # the bound for every surface
SETTINGS = {
    "hw_heartbeat_seconds": "0.5",
    "hw_silent_seconds": "4",
    "hw_check_seconds": "0.5",
    "printer_backend": "simulated",
    "notice_printer_backend": "simulated",
}


def start_hw(server: ServerProcess) -> subprocess.Popen[bytes]:
    env = {**server.env, "YIZHAN_SPEAKER_BACKEND": "file", "YIZHAN_GPIO_BACKEND": "fake"}
    log = open(server.data_dir / "hw.log", "ab")  # noqa: SIM115
    return subprocess.Popen(
        [sys.executable, "-m", "yizhan.cli", "hw"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def until(what: Callable[[], bool], timeout: float) -> float:
    """Seconds until ``what()`` holds; fails after ``timeout``."""
    started = time.monotonic()
    while not what():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"not within {timeout} s: {what.__doc__ or what}")
        time.sleep(0.2)
    return time.monotonic() - started


def test_killing_yizhan_hw_raises_the_fault_everywhere_r_n1(tmp_path: Path) -> None:
    prepare_demo_database(tmp_path)
    with ServerProcess(tmp_path, settings=SETTINGS) as server:
        server.start()
        hw = start_hw(server)
        http = httpx.Client(base_url=server.url, timeout=5)
        staff = login(http, *MANAGER)
        settings = dataclasses.replace(
            load_settings(env={}, data_dir=str(tmp_path)), server_url=server.url
        )
        doctor = [("硬件服务", check_hardware_service)]
        try:

            def hardware() -> dict[str, object]:
                status = http.get("/api/devices/appliance", headers=staff).json()
                return dict(status["hardware"])

            def alive() -> bool:
                """the first heartbeat arrived"""
                return hardware().get("last_seen_s") is not None and bool(hardware()["ok"])

            until(alive, 30)
            ticket = http.post("/api/kiosk/tickets", json={"category": "A"}).json()
            assert exit_code(run_doctor(settings, checks=doctor)) == 0

            hw.send_signal(signal.SIGKILL)  # no goodbye heartbeat: a crash
            hw.wait(timeout=10)
            killed = time.monotonic()

            def silent() -> bool:
                """the server calls the hardware service silent"""
                return hardware()["state"] == "silent"

            def on_display() -> bool:
                """the hall display lists the fault and the latest number"""
                notices = http.get("/api/display").json()["notices"]
                fault = any(n.startswith("⚠ 叫号设备暂时故障") for n in notices)
                return fault and any(ticket["number"] in n for n in notices)

            until(silent, FAULT_BOUND_S)
            until(on_display, FAULT_BOUND_S - (time.monotonic() - killed))
            results = run_doctor(settings, checks=doctor)
            assert exit_code(results) == 1 and results[0].found.startswith("硬件服务无响应")
            assert time.monotonic() - killed < FAULT_BOUND_S
            problems = http.get("/api/devices", headers=staff).json()
            assert all(not d["ok"] for d in problems)  # no device claims to be ready now

            hw = start_hw(server)  # systemd's Restart=always, by hand
            until(lambda: bool(hardware()["ok"]), 30)
            until(lambda: not any("⚠" in n for n in http.get("/api/display").json()["notices"]), 10)
        finally:
            http.close()
            if hw.poll() is None:
                hw.terminate()
                hw.wait(timeout=10)
