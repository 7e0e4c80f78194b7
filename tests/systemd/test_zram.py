"""Compressed swap in RAM for a 512 MB Pi (R-N4, issue 15): ``yizhan-zram`` sizes zram at half
the memory, prefers zstd and falls back to the kernel's default algorithm, makes it swap
and records the device so that stopping the unit undoes it; short of memory, the kernel
kills the backup before the hardware service and the server last. The script is run with
its programs replaced by recorders and /proc/meminfo by a file."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "image-build" / "rootfs" / "usr" / "local" / "sbin" / "yizhan-zram"
RECORDER = """#!/bin/sh
echo "$(basename "$0") $*" >> "$CALLS"
case "$(basename "$0") $*" in
  *"--algorithm zstd"*) [ "$ZSTD" = 1 ] || exit 1 ;;
esac
case "$(basename "$0")" in zramctl) [ "$1" = --find ] && echo /dev/zram0 ;; esac
exit 0
"""


def run(tmp_path: Path, *args: str, zstd: bool = True) -> tuple[str, list[str]]:
    env = {"PATH": "/usr/bin:/bin", "CALLS": str(tmp_path / "calls"), "ZSTD": str(int(zstd))}
    for tool in ("modprobe", "zramctl", "mkswap", "swapon", "swapoff"):
        (tmp_path / tool).write_text(RECORDER, encoding="utf-8")
        (tmp_path / tool).chmod(0o755)
        env[tool.upper()] = str(tmp_path / tool)
    (tmp_path / "meminfo").write_text(
        "MemTotal:         477576 kB\nMemFree:           6784 kB\n", encoding="ascii"
    )
    env["YIZHAN_MEMINFO"] = str(tmp_path / "meminfo")
    env["YIZHAN_ZRAM_STATE"] = str(tmp_path / "zram.device")
    (tmp_path / "calls").touch()
    done = subprocess.run(
        ["sh", str(SCRIPT), *args], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout, (tmp_path / "calls").read_text(encoding="utf-8").splitlines()


def test_half_the_memory_becomes_zstd_swap_r_n4(tmp_path: Path) -> None:
    out, calls = run(tmp_path)
    assert calls == [
        "modprobe zram",
        "zramctl --find --size 238788KiB --algorithm zstd",
        "mkswap --label yizhan-zram /dev/zram0",
        "swapon --priority 100 /dev/zram0",
    ]
    assert (tmp_path / "zram.device").read_text(encoding="ascii") == "/dev/zram0\n"
    assert "压缩内存交换区已启用：/dev/zram0，233 MiB" in out


def test_without_zstd_the_kernels_default_algorithm_is_used_r_n4(tmp_path: Path) -> None:
    _, calls = run(tmp_path, zstd=False)
    assert calls[1:4] == [
        "zramctl --find --size 238788KiB --algorithm zstd",
        "zramctl --find --size 238788KiB",
        "mkswap --label yizhan-zram /dev/zram0",
    ]


def test_stop_undoes_what_start_did_and_twice_is_harmless_r_n4(tmp_path: Path) -> None:
    run(tmp_path)
    _, calls = run(tmp_path, "stop")
    assert calls[-2:] == ["swapoff /dev/zram0", "zramctl --reset /dev/zram0"]
    assert not (tmp_path / "zram.device").exists()
    _, again = run(tmp_path, "stop")
    assert again == calls  # nothing more was called


def _oom_score(unit: str) -> int:
    for line in (ROOT / "systemd" / unit).read_text(encoding="utf-8").splitlines():
        if line.startswith("OOMScoreAdjust="):
            return int(line.partition("=")[2])
    return 0


def test_short_of_memory_the_queue_server_is_killed_last_r_n4() -> None:
    server, hw = _oom_score("yizhan-server.service"), _oom_score("yizhan-hw.service")
    others = [_oom_score(f"{u}.service") for u in ("yizhan-sync", "yizhan-tui", "yizhan-backup")]
    assert server < hw < min(others)
    assert _oom_score("yizhan-backup.service") == max(others) > 0
    customize = (ROOT / "image-build" / "customize.sh").read_text(encoding="utf-8")
    assert "yizhan-zram.service" in customize
