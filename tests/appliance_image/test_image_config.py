"""What the image ships beside the scripts (R-N4, issue 15): the optional DS3231 clock is a
device-tree overlay that compiles and is switched on by one documented line; the build host's
tools stay out of `make test`'s bootstrap; the image test checks what the issue asks."""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "image-build"


def test_ds3231_overlay_is_shipped_off_and_documented() -> None:
    custom = (BUILD / "rootfs/etc/default/raspi-firmware-custom").read_text(encoding="utf-8")
    lines = [line.strip() for line in custom.splitlines()]
    assert "#dtoverlay=yizhan-ds3231" in lines  # present, commented out: off until fitted
    assert not [line for line in lines if line.startswith("dtoverlay=")]
    source = (BUILD / "overlays/yizhan-ds3231.dts").read_text(encoding="utf-8")
    assert 'compatible = "maxim,ds3231"' in source and "reg = <0x68>" in source
    customize = (BUILD / "customize.sh").read_text(encoding="utf-8")
    assert "yizhan-ds3231.dtbo" in customize and "fdtoverlay" in customize
    deploy = (ROOT / "docs/deploy.md").read_text(encoding="utf-8")
    assert "dtoverlay=yizhan-ds3231" in deploy


@pytest.mark.skipif(
    shutil.which("dtc") is None, reason="dtc (device-tree-compiler) is a build-host tool"
)
def test_ds3231_overlay_compiles(tmp_path: Path) -> None:
    out = tmp_path / "yizhan-ds3231.dtbo"
    done = subprocess.run(
        ["dtc", "-q", "-@", "-I", "dts", "-O", "dtb", "-o", str(out), str(BUILD / "overlays/yizhan-ds3231.dts")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    decoded = subprocess.run(
        ["dtc", "-I", "dtb", "-O", "dts", str(out)], capture_output=True, text=True, check=True
    ).stdout
    assert 'target-path = "/soc/i2c@7e804000"' in decoded and "maxim,ds3231" in decoded


def test_host_tools_belong_to_make_image_not_to_bootstrap() -> None:
    bootstrap = (ROOT / "scripts/bootstrap.sh").read_text(encoding="utf-8")
    for package in ("mmdebstrap", "qemu-user-static", "qemu-system-arm"):
        assert package not in bootstrap
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "host-tools.sh test" in makefile
    assert "host-tools.sh" in (BUILD / "build.sh").read_text(encoding="utf-8")


def test_image_test_checks_what_the_issue_asks() -> None:
    source = "".join(
        (BUILD / name).read_text(encoding="utf-8")
        for name in ("image_test.py", "image_guest.py", "image_pinyin.py")
    )
    for needle in (
        "wtype",  # pinyin typed on the image's own terminal
        "张桂兰",  # and read back from the server
        "maintenance_password",  # the console login, wiped from the card
        "hostfwd=tcp:127.0.0.1:",  # forwarded on loopback only
        "system_reset",  # the power cut
        "/api/tickets/",  # the tickets after it, through the forwarded port
        "VmRSS",  # memory of every yizhan process
        "systemctl kill -s STOP yizhan-hw",  # the watchdog
        "systemctl kill -s KILL yizhan-hw",  # Restart=always
        "/api/device/heartbeat",  # the fault as the server sees it
        "mcopy",  # kernel and initrd out of the FAT partition, no loop mount
    ):
        assert needle in source, needle
    assert "mount " not in source.replace("unmount", "")


class LocalGuest:
    """The image test's guest shell, run on this machine for the current user instead."""

    def sh(self, command: str) -> str:
        command = command.replace("pgrep -u yizhan", f"pgrep -u {os.getuid()}")
        return subprocess.run(["sh", "-c", command], capture_output=True, text=True).stdout


def test_image_test_reads_rss_and_pss_of_every_process(tmp_path: Path) -> None:
    """R-N4 (a 512 MB Pi Zero 2 W): the image test's memory figures come from a command that
    works: VmRSS and Pss of each process, and MemAvailable of the machine."""
    sys.path.insert(0, str(BUILD))
    try:
        image_test = importlib.import_module("image_test")
    finally:
        sys.path.remove(str(BUILD))
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        time.sleep(0.5)
        rss, pss, swapped = image_test.memory(LocalGuest())
    finally:
        sleeper.kill()
        sleeper.wait()
    mine = [name for name in rss if name.startswith(f"{sleeper.pid} ")]
    assert mine and "time.sleep(30)" in mine[0]
    assert rss[mine[0]] > 1000  # a Python process: several MB resident
    assert 0 < pss[mine[0]] <= rss[mine[0]]  # its share, never more than what it maps
    assert swapped[mine[0]] >= 0
    info = image_test.meminfo(LocalGuest())
    assert 0 < info["MemAvailable"] <= info["MemTotal"]
