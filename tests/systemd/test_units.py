"""The units in systemd/ pass ``systemd-analyze verify`` and carry the appliance's rules:
restart forever, a watchdog fed by our loops, hardening, data only in /var/lib/yizhan (R-N4).

``verify`` checks that every ``ExecStart=`` program exists, so the units are verified from
a copy in which the image's paths point at this machine: the ``yizhan`` launcher and the
scripts of ``/usr/local/sbin`` at the files image-build installs. Nothing else is
changed, and any warning (an unknown key, a bad value) fails the test.
"""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "systemd"
ROOTFS = ROOT / "image-build" / "rootfs"
LAUNCHER = ROOTFS / "usr" / "local" / "bin" / "yizhan"
LONG_RUNNING = ["yizhan-server", "yizhan-hw", "yizhan-sync", "yizhan-tui", "yizhan-display"]
WATCHED = {"yizhan-server", "yizhan-hw", "yizhan-sync"}  # they speak sd_notify


def _analyzer() -> str:
    found = shutil.which("systemd-analyze")
    assert found, "systemd-analyze is missing: run scripts/bootstrap.sh (package systemd)"
    return found


def _local_copy(unit: Path, folder: Path) -> Path:
    text = unit.read_text(encoding="utf-8")
    text = text.replace("/usr/local/bin/yizhan", str(LAUNCHER))
    for script in (ROOTFS / "usr" / "local" / "sbin").iterdir():  # growroot, provision check
        text = text.replace(f"/usr/local/sbin/{script.name}", str(script))
    copy = folder / unit.name
    copy.write_text(text, encoding="utf-8")
    return copy


def _verify(folder: Path, names: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_analyzer(), "verify", "--man=no", *names],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _section(unit: str, name: str) -> dict[str, list[str]]:
    """Every value of every key in ``[name]`` (keys may repeat in unit files)."""
    out: dict[str, list[str]] = {}
    current = None
    for raw in (UNITS / unit).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("["):
            current = line.strip("[]")
        elif current == name and "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            out.setdefault(key, []).append(value)
    return out


def test_every_unit_passes_systemd_analyze_verify_r_n4(tmp_path: Path) -> None:
    units = sorted(p for p in UNITS.iterdir() if p.suffix in {".service", ".timer"})
    assert {p.stem for p in units} >= {*LONG_RUNNING, "yizhan-backup", "yizhan-provision"}
    names = [_local_copy(p, tmp_path).name for p in units]
    done = _verify(tmp_path, names)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr


def test_verify_does_catch_a_broken_unit(tmp_path: Path) -> None:
    """The check above can fail: a missing program and an unknown key are both reported."""
    bad = (UNITS / "yizhan-hw.service").read_text(encoding="utf-8")
    (tmp_path / "yizhan-hw.service").write_text(bad + "\nBogusKey=1\n", encoding="utf-8")
    done = _verify(tmp_path, ["yizhan-hw.service"])
    assert done.returncode != 0 and "/usr/local/bin/yizhan" in done.stderr
    assert "BogusKey" in done.stderr


@pytest.mark.parametrize("unit", LONG_RUNNING)
def test_services_restart_forever_hardened_r_n4(unit: str) -> None:
    service = _section(f"{unit}.service", "Service")
    assert service["Restart"] == ["always"]
    assert _section(f"{unit}.service", "Unit")["StartLimitIntervalSec"] == ["0"]
    assert service["User"] == ["yizhan"] and service["NoNewPrivileges"] == ["yes"]
    assert service["ProtectSystem"] == ["strict"]
    writable = " ".join(service["ReadWritePaths"]).split()
    assert "/var/lib/yizhan" in writable
    assert set(writable) <= {"/var/lib/yizhan", "/run/user"}  # the terminal's Wayland socket
    if unit in WATCHED:
        assert service["NotifyAccess"] == ["main"]
        assert int(service["WatchdogSec"][0]) >= 60
        assert service["ReadWritePaths"] == ["/var/lib/yizhan"]


@pytest.mark.parametrize("unit", ["yizhan-server", "yizhan-hw", "yizhan-sync", "yizhan-tui"])
def test_python_services_run_with_the_malloc_setting_bench_memory_measures_r_n4(
    unit: str,
) -> None:
    from bench.memory import APPLIANCE_ENV

    env = _section(f"{unit}.service", "Service")["Environment"]
    assert all(f"{k}={v}" in env for k, v in APPLIANCE_ENV.items())


def test_the_hardware_service_user_reaches_the_devices_r_n4() -> None:
    groups = _section("yizhan-hw.service", "Service")["SupplementaryGroups"][0].split()
    assert {"gpio", "dialout", "lpadmin"} <= set(groups)


def test_the_terminal_is_sway_with_the_shipped_kiosk_config_r_n4() -> None:
    service = _section("yizhan-tui.service", "Service")
    assert service["TTYPath"] == ["/dev/tty1"]
    assert service["ExecStart"] == ["/usr/bin/sway -c /etc/yizhan/sway/kiosk.conf"]
    assert (ROOTFS / "etc" / "yizhan" / "sway" / "kiosk.conf").is_file()


def test_backup_runs_nightly_and_journald_and_the_hardware_watchdog_are_set_r_n4() -> None:
    assert _section("yizhan-backup.timer", "Timer")["Persistent"] == ["true"]
    assert _section("yizhan-backup.service", "Service")["ExecStart"] == [
        "/usr/local/bin/yizhan backup"
    ]
    journald = configparser.ConfigParser()
    journald.read(ROOTFS / "etc" / "systemd" / "journald.conf.d" / "yizhan.conf")
    assert journald["Journal"]["Storage"] == "volatile"
    assert journald["Journal"]["RuntimeMaxUse"]
    manager = configparser.ConfigParser()
    manager.read(ROOTFS / "etc" / "systemd" / "system.conf.d" / "yizhan-watchdog.conf")
    assert manager["Manager"]["RuntimeWatchdogSec"]


def _fake_program(path: Path, says: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'#!/bin/sh\necho {says} "$@"\n', encoding="utf-8")
    path.chmod(0o755)


def test_units_run_the_installed_release_once_there_is_one(tmp_path: Path) -> None:
    """Every unit starts ``/usr/local/bin/yizhan``: the image's venv until ``yizhan upgrade``
    switched ``releases/current``, then that release, with the arguments unchanged."""
    for unit in sorted(UNITS.glob("*.service")):
        starts = _section(unit.name, "Service").get("ExecStart", [])
        assert not any("/opt/yizhan/" in line for line in starts), unit.name
    _fake_program(tmp_path / ".venv" / "bin" / "yizhan", "venv")
    env = {"YIZHAN_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}

    def run() -> str:
        done = subprocess.run(
            [str(LAUNCHER), "serve", "--x"], env=env, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    assert run() == "venv serve --x"
    _fake_program(tmp_path / "releases" / "0.2.0" / "bin" / "yizhan", "release-0.2.0")
    (tmp_path / "releases" / "current").symlink_to("0.2.0")
    assert run() == "release-0.2.0 serve --x"
