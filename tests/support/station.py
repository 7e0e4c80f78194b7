"""The station under test: a migrated, seeded copy on a temp SQLite, and how to log in to it."""

from __future__ import annotations

import secrets
import shutil
import socket
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from litestar.testing import TestClient

from appliance.core.clock import FrozenClock
from appliance.db.migrate import upgrade
from appliance.demo.seed import seed_demo
from appliance.settings import Settings, load_settings
from appliance.wiring import Services, build_services

# Monday 2026-11-23 09:00 Beijing time.
T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


@dataclass
class Station:
    settings: Settings
    services: Services
    clock: FrozenClock
    data_dir: Path


def make_station(tmp_path: Path, **overrides: object) -> Station:
    # The case sweep worker is off unless a test turns it on: a pass landing mid-test
    # would write between a test's "before" and "after".
    overrides.setdefault("case_sweep_seconds", 0)
    overrides.setdefault("archive_sweep_seconds", 0)  # likewise the archive pass
    overrides.setdefault("fault_check_seconds", 0)  # and the automatic fault entries
    overrides.setdefault("appointment_sweep_seconds", 0)  # and reminders and forfeits
    overrides.setdefault("device_key", TEST_DEVICE_KEY)
    settings = load_settings(env={}, data_dir=str(tmp_path), printer_backend="none", **overrides)
    tmp_path.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_seeded_template(), tmp_path / "station.db")
    clock = FrozenClock(T0)
    services = build_services(settings, clock)
    return Station(settings, services, clock, tmp_path)


_TEMPLATE: list[Path] = []


def _seeded_template() -> Path:
    """Migrate and seed the demo station once per test session; tests get a copy."""
    if not _TEMPLATE:
        directory = Path(tempfile.mkdtemp(prefix="yizhan-template-"))
        settings = load_settings(env={}, data_dir=str(directory), printer_backend="none")
        upgrade(settings.sqlalchemy_url)
        services = build_services(settings, FrozenClock(T0))
        seed_demo(services)
        services.close()
        con = sqlite3.connect(directory / "station.db")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        _TEMPLATE.append(directory / "station.db")
    return _TEMPLATE[0]


def login(client: TestClient, code: str, pin: str) -> dict[str, str]:
    r = client.post("/api/auth/login", json={"code": code, "pin": pin})
    assert r.status_code == 201, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


# Demo accounts (appliance/demo/seed.py): one per role, 6-digit PINs (no forced change)
MANAGER = ("zz01", "112233")  # 站长, window 2 (may act for any window)


WINDOW_CLERK = ("ck01", "223344")  # 窗口, window 1


GUIDE = ("yd01", "334455")  # 引导, no window

HELPER = ("bd01", "445566")  # 帮代办, window 2

COMPLAINTS = ("ts01", "556677")  # 投诉受理, no window

# Every test station has its own strong device key (as `yizhan db upgrade` makes one per
# station); the published demo key is refused outside demo mode.
TEST_DEVICE_KEY = "test-device-key-" + secrets.token_urlsafe(24)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    station: Station
