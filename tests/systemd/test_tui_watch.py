"""The staff terminal's watchdog (R-N4, issue 15): ``yizhan-tui-watch`` ends a TUI whose
heartbeat is older than its limit, restarts the terminal unit when no TUI is left to end,
and leaves alone a terminal that is stopped, just started or making progress. The script is
run as the image runs it, with systemctl and pkill replaced by recorders and the seconds
since boot read from a file."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "image-build" / "rootfs" / "usr" / "local" / "sbin" / "yizhan-tui-watch"

SYSTEMCTL = """#!/bin/sh
echo "systemctl $*" >> "$CALLS"
case "$1" in
  is-active) [ "$ACTIVE" = 1 ] ;;
  show) echo "$SINCE_US" ;;
esac
"""
PKILL = """#!/bin/sh
echo "pkill $*" >> "$CALLS"
exit "$PKILL_RC"
"""


def run_watch(
    tmp_path: Path,
    *,
    now: int,
    beat: str | None,
    active: bool = True,
    up_since: int = 0,
    tui_running: bool = True,
) -> tuple[str, list[str]]:
    for name, text in (("systemctl", SYSTEMCTL), ("pkill", PKILL)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        (tmp_path / name).chmod(0o755)
    (tmp_path / "uptime").write_text(f"{now}.42 123.00\n", encoding="ascii")
    heartbeat = tmp_path / "yizhan-tui.alive"
    if beat is not None:
        heartbeat.write_text(beat, encoding="ascii")
    calls = tmp_path / "calls"
    calls.write_text("", encoding="utf-8")
    env = {
        "PATH": "/usr/bin:/bin",
        "SYSTEMCTL": str(tmp_path / "systemctl"),
        "PKILL": str(tmp_path / "pkill"),
        "YIZHAN_UPTIME_FILE": str(tmp_path / "uptime"),
        "YIZHAN_TUI_HEARTBEAT": str(heartbeat),
        "CALLS": str(calls),
        "ACTIVE": "1" if active else "0",
        "SINCE_US": str(up_since * 1_000_000),
        "PKILL_RC": "0" if tui_running else "1",
    }
    done = subprocess.run(
        ["sh", str(SCRIPT), "180"], env=env, capture_output=True, text=True, check=True
    )
    acted = [
        line for line in calls.read_text(encoding="utf-8").splitlines()
        if line.startswith(("pkill", "systemctl restart"))
    ]  # fmt: skip
    return done.stdout, acted


def test_a_stuck_tui_is_killed_and_restarts_inside_foot_r_n4(tmp_path: Path) -> None:
    out, acted = run_watch(tmp_path, now=1000, beat="700\n")
    assert acted == ["pkill -KILL -u yizhan -f /bin/yizhan tui$"]
    assert "300 秒没有进展" in out and "自动重新启动" in out


def test_with_no_tui_left_the_terminal_unit_restarts_r_n4(tmp_path: Path) -> None:
    out, acted = run_watch(tmp_path, now=1000, beat="700\n", tui_running=False)
    assert acted[-1] == "systemctl restart yizhan-tui.service"
    assert "重新启动 yizhan-tui.service" in out


@pytest.mark.parametrize("beat", [None, "", "garbage\n", "12.5abc"])
def test_a_missing_or_unreadable_heartbeat_counts_as_stuck_r_n4(
    tmp_path: Path, beat: str | None
) -> None:
    _, acted = run_watch(tmp_path, now=1000, beat=beat)
    assert acted == ["pkill -KILL -u yizhan -f /bin/yizhan tui$"]


@pytest.mark.parametrize(
    ("why", "kwargs"),
    [
        ("fresh heartbeat", {"beat": "990\n"}),
        ("heartbeat just under the limit", {"beat": "821\n"}),
        ("unit stopped or restarting", {"beat": "1\n", "active": False}),
        ("unit started 100 s ago", {"beat": None, "up_since": 900}),
    ],
)
def test_a_terminal_making_progress_or_just_started_is_left_alone_r_n4(
    tmp_path: Path, why: str, kwargs: dict[str, object]
) -> None:
    out, acted = run_watch(tmp_path, now=1000, **kwargs)  # type: ignore[arg-type]
    assert acted == [], why
    assert out == ""


def test_the_timer_runs_the_watch_and_the_terminal_names_the_same_file() -> None:
    """The unit the image enables calls this script, and the terminal unit gives the TUI the
    heartbeat path the script reads by default."""
    service = (ROOT / "systemd" / "yizhan-tui-watch.service").read_text(encoding="utf-8")
    assert "ExecStart=/usr/local/sbin/yizhan-tui-watch 180" in service
    tui = (ROOT / "systemd" / "yizhan-tui.service").read_text(encoding="utf-8")
    default = next(
        line.split("-", 1)[1].strip("}")
        for line in SCRIPT.read_text(encoding="utf-8").splitlines()
        if line.startswith("file=")
    )
    assert f"Environment=YIZHAN_TUI_HEARTBEAT={default}" in tui
    customize = (ROOT / "image-build" / "customize.sh").read_text(encoding="utf-8")
    assert "yizhan-tui-watch.timer" in customize


def test_the_watch_can_read_the_heartbeat_under_its_sandbox_r_n4() -> None:
    """``ProtectHome=yes`` hides /run/user, where the heartbeat is: the watch then sees no
    heartbeat and kills a working TUI every 30 s (as it did on the image once)."""
    unit = (ROOT / "systemd" / "yizhan-tui-watch.service").read_text(encoding="utf-8")
    settings = dict(
        line.split("=", 1) for line in unit.splitlines() if "=" in line and line[0] != "#"
    )
    assert settings.get("ProtectHome", "no") in {"no", "read-only"}
    assert settings.get("InaccessiblePaths", "") == ""
    heartbeat = next(
        line.split("-", 1)[1].strip("}")
        for line in SCRIPT.read_text(encoding="utf-8").splitlines()
        if line.startswith("file=")
    )
    assert heartbeat.startswith("/run/user/")
