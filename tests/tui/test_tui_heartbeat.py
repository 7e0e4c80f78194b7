"""The terminal's heartbeat (R-N4, issue 15): the TUI writes the seconds since boot after
each finished poll, online or not, into the file ``yizhan-tui-watch`` reads; a loop that
stops going round stops writing it; nothing is written when no file is named."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.support.station import free_port
from tui.heartbeat import ENV, Heartbeat, boottime
from tui.testing import TEST_SIZE as SIZE
from tui.testing import terminal_app, wait_for


def test_a_beat_writes_the_seconds_since_boot_at_most_every_interval(tmp_path: Path) -> None:
    clock = [100.4]
    beat = Heartbeat(tmp_path / "tui.alive", min_interval=5.0, now=lambda: clock[0])
    assert beat.beat()
    assert (tmp_path / "tui.alive").read_text(encoding="ascii") == "100\n"
    clock[0] = 103.0
    assert not beat.beat()  # too soon: the file is not rewritten on every poll
    assert (tmp_path / "tui.alive").read_text(encoding="ascii") == "100\n"
    clock[0] = 106.0
    assert beat.beat()
    assert (tmp_path / "tui.alive").read_text(encoding="ascii") == "106\n"
    assert not list(tmp_path.glob("*.part"))  # written aside, then moved into place


def test_the_heartbeat_clock_is_the_one_the_watch_reads() -> None:
    """``yizhan-tui-watch`` compares with /proc/uptime: the same CLOCK_BOOTTIME."""
    uptime = float(Path("/proc/uptime").read_text(encoding="ascii").split()[0])
    assert abs(boottime() - uptime) < 2.0


def test_no_file_named_means_nothing_written(tmp_path: Path) -> None:
    beat = Heartbeat.from_env({})
    assert beat.path is None and not beat.beat()
    assert Heartbeat.from_env({ENV: str(tmp_path / "x")}).path == tmp_path / "x"


def test_an_unwritable_file_is_logged_once_and_never_raises(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clock = [0.0]
    beat = Heartbeat(tmp_path / "missing" / "tui.alive", min_interval=0.0, now=lambda: clock[0])
    for step in range(3):
        clock[0] = float(step)
        assert not beat.beat()
    assert len([r for r in caplog.records if "heartbeat" in r.getMessage()]) == 1


async def test_the_running_terminal_beats_while_the_server_is_offline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Offline is still progress: the loop went round and drew 离线."""
    alive = tmp_path / "yizhan-tui.alive"
    monkeypatch.setenv(ENV, str(alive))
    app = terminal_app(f"http://127.0.0.1:{free_port()}")
    app.heartbeat.min_interval = 0.0
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, alive.exists)
        first = int(alive.read_text(encoding="ascii"))
        assert abs(first - boottime()) < 3
        time.sleep(1.2)  # the event loop blocked, as a stuck TUI: no poll, no beat
        assert int(alive.read_text(encoding="ascii")) == first
        await wait_for(pilot, lambda: int(alive.read_text(encoding="ascii")) > first)
