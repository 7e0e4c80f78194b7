"""`make image-test`: boot the built image under qemu-system-aarch64 -M virt and check it.

    python3 image-build/image_test.py [IMAGE]      (default build/image/yizhan.img)

The kernel and initrd are copied out of the image's FAT partition with mtools (raspi-firmware
puts them there; no loop device, no mount); user networking forwards only 127.0.0.1:PORT to
the guest's 8080. A root shell on a virtio console (systemd.debug_shell=hvc0, given on the
test's kernel command line only, never in the image's cmdline.txt) runs the checks inside:

- first boot provisions from a test station.toml (county unreachable: enrolment queued);
- every yizhan unit reaches active; seconds from power-on to serving /api/health;
- root's maintenance password was set from station.toml, which no longer holds it;
- the API answers through the forwarded port and tickets can be issued (demo categories);
- a frozen `yizhan hw` (SIGSTOP) shows the fault (GET /api/device/heartbeat, the verdict
  `yizhan doctor` prints) and systemd's watchdog (WatchdogSec) brings it back; a killed one
  (SIGKILL) is restarted by Restart=always; a stuck TUI (SIGSTOP) is ended by
  yizhan-tui-watch and started again inside foot;
- after a hard `system_reset` through the QEMU monitor (no sync first) every acknowledged
  ticket is still there and the API answers again;
- pinyin typed with wtype on the image's own terminal reaches the TUI's applicant-name field
  and the server opens the case for 张桂兰 (image_pinyin.py; screenshots in the test folder);
- the resident memory (VmRSS, and Pss: shared pages split among the processes that map them)
  of every process of the yizhan user, the guest's MemAvailable after the morning and any
  OOM kill. `IMAGE_TEST_MEMORY_MB=512` boots the guest with a Pi Zero 2 W's memory (default
  1024).

The last line printed is one JSON object with the figures. Logs stay in build/image/test-*/
(console.log: the serial console; shell.log: the root shell's transcript). Not run in
`make test`: it takes 15–25 minutes under emulation.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from image_guest import PORT, Guest, fat
from image_pinyin import pinyin_check

UNITS = [
    "yizhan-growroot",
    "yizhan-provision",
    "yizhan-server",
    "yizhan-hw",
    "yizhan-sync",
    "yizhan-tui",
    "yizhan-zram",
]
YIZHAN = "runuser -u yizhan -- env YIZHAN_CONFIG=/etc/yizhan/station.toml "
YIZHAN += "YIZHAN_DATA_DIR=/var/lib/yizhan /usr/local/bin/yizhan"
STATION_TOML = """station_code = "QEMU01"
station_name = "镜像测试便民服务站"
county_url = "http://10.0.2.2:9"
enrolment_code = "IMAGE-TEST"
public_url = "http://192.168.1.20:8080"
printer_model = "none"
maintenance_password = "image-test-weihu"
"""
RSS = (
    "for p in $(pgrep -u yizhan); do "
    "printf '%s\\t%s\\t%s\\t%s\\t%s\\n' \"$p\" \"$(awk '/^VmRSS/ {print $2}' /proc/$p/status)\" "
    "\"$(awk '/^Pss:/ {print $2}' /proc/$p/smaps_rollup)\" "
    "\"$(awk '/^SwapPss:/ {print $2}' /proc/$p/smaps_rollup)\" "
    "\"$(tr '\\0' ' ' < /proc/$p/cmdline | cut -c1-90)\"; done"
)
"""pid, VmRSS, Pss and SwapPss (KiB), command line of every process of the yizhan user. Pss
shares each page among the processes that map it (the Python binary, shared libraries), so
the Pss of all processes adds up to what they take from the machine; their VmRSS counts
shared pages once per process. SwapPss is their share of what sits in swap (zram)."""
MEMINFO = "grep -E '^(MemTotal|MemAvailable|SwapTotal|SwapFree):' /proc/meminfo"
OOM = "journalctl -k -b --no-pager -q | grep -ci 'out of memory' || true"


def say(line: str) -> None:
    print(f"[image-test] {time.strftime('%H:%M:%S')} {line}", flush=True)


def wait_for(what: str, check: Callable[[], bool], limit: float = 600.0) -> float:
    """Seconds until ``check()`` held; exits (with ``what``) when it never does."""
    started = time.monotonic()
    while time.monotonic() < started + limit:
        if check():
            return time.monotonic() - started
        time.sleep(2)
    raise SystemExit(f"超时：{what}")


def hardware_state(guest: Guest, key: str) -> str:
    try:
        health = guest.http("/api/device/heartbeat", key=key)
    except (OSError, urllib.error.HTTPError):
        return "unreachable"
    return str(health["state"])  # type: ignore[index]


def memory(guest: Guest) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """VmRSS, Pss and SwapPss in KiB of every process of the yizhan user, by pid and command."""
    rss: dict[str, int] = {}
    pss: dict[str, int] = {}
    swap: dict[str, int] = {}
    for row in guest.sh(RSS).splitlines():
        parts = row.split("\t")
        if len(parts) == 5 and parts[1].isdigit():
            name = f"{parts[0]} {parts[4].strip()}"
            rss[name] = int(parts[1])
            pss[name] = int(parts[2]) if parts[2].isdigit() else 0
            swap[name] = int(parts[3]) if parts[3].isdigit() else 0
    return rss, pss, swap


def meminfo(guest: Guest) -> dict[str, int]:
    """The guest's /proc/meminfo lines that say whether it fits, in MiB."""
    figures: dict[str, int] = {}
    for row in guest.sh(MEMINFO).splitlines():
        name, _, value = row.partition(":")
        if value.split() and value.split()[0].isdigit():
            figures[name.strip()] = int(value.split()[0]) // 1024
    return figures


def check(guest: Guest, figures: dict[str, object]) -> None:
    figures["first_boot_to_http_s"] = round(guest.wait_serving(), 1)
    say(f"first boot: HTTP after {figures['first_boot_to_http_s']} s")

    def all_active() -> bool:
        states = guest.sh("systemctl is-active " + " ".join(UNITS)).split()
        figures["units"] = dict(zip(UNITS, states, strict=False))
        return states == ["active"] * len(UNITS)

    try:
        wait_for("每个 yizhan 服务都是 active", all_active, limit=600)
    finally:
        say(f"units: {figures.get('units')}")
    # the maintenance console: root got the password, and the card no longer holds it
    figures["root_password"] = guest.sh("passwd -S root | cut -d' ' -f2")  # P: usable
    figures["card_after_first_boot"] = guest.sh(
        "grep -E '^(enrolment_code|maintenance_password)' /boot/firmware/station.toml"
    ).splitlines()
    say(f"maintenance login: {figures['root_password']}, card: {figures['card_after_first_boot']}")
    say(guest.sh(f"{YIZHAN} demo seed", limit=900).splitlines()[-1])
    key = guest.sh("cat /var/lib/yizhan/keys/device.key").strip()
    numbers = []
    ids = []
    for _ in range(5):
        ticket = guest.http("/api/device/button-press", {"priority": "normal"}, key)
        numbers.append(str(ticket["ticket"]["number"]))  # type: ignore[index]
        ids.append(str(ticket["ticket"]["id"]))  # type: ignore[index]
    figures["tickets"] = numbers
    say(f"tickets {numbers} issued through the forwarded port")
    wait_for("硬件服务就绪", lambda: hardware_state(guest, key) == "ready", limit=300)

    # Chinese input on the image's own terminal (image_pinyin.py); its result is a figure,
    # and a failure there does not stop the checks below
    try:
        pinyin_check(guest, PORT, guest.work, figures)
    except (SystemExit, RuntimeError, OSError, ValueError, KeyError) as exc:
        figures["pinyin_error"] = str(exc)[:300]
    say(f"pinyin: ok {figures.get('pinyin_ok')}, new cases {figures.get('pinyin_new_cases')}")

    # a frozen hardware service: the fault shows, systemd's watchdog restarts it
    before = guest.sh("systemctl show -p NRestarts --value yizhan-hw")
    guest.sh("systemctl kill -s STOP yizhan-hw")
    figures["hw_stop_fault_s"] = round(
        wait_for("硬件服务故障显示", lambda: hardware_state(guest, key) != "ready", limit=300), 1
    )
    figures["hw_fault_state"] = hardware_state(guest, key)
    figures["doctor"] = guest.sh(f"{YIZHAN} doctor; echo exit=$?", limit=300).splitlines()[-3:]
    figures["hw_watchdog_restart_s"] = round(
        wait_for(
            "看门狗重启 yizhan-hw",
            lambda: guest.sh("systemctl show -p NRestarts --value yizhan-hw") != before,
            limit=600,
        ),
        1,
    )
    wait_for("硬件服务恢复", lambda: hardware_state(guest, key) == "ready", limit=600)
    say(f"frozen yizhan hw: fault {figures['hw_fault_state']}, watchdog restarted it")

    # a killed hardware service: Restart=always
    before = guest.sh("systemctl show -p NRestarts --value yizhan-hw")
    guest.sh("systemctl kill -s KILL yizhan-hw")
    wait_for(
        "yizhan-hw 被杀后重启",
        lambda: guest.sh("systemctl show -p NRestarts --value yizhan-hw") != before,
        limit=300,
    )
    wait_for("硬件服务恢复", lambda: hardware_state(guest, key) == "ready", limit=600)
    say("killed yizhan hw: restarted by systemd")

    # the terminal (sway → foot → TUI) ran through the whole morning without a restart of its
    # unit (the pinyin step restarted only the TUI, inside foot)
    figures["tui_unit_restarts"] = guest.sh("systemctl show -p NRestarts --value yizhan-tui")

    rss, pss, swapped = memory(guest)
    ours = [name for name in rss if "/opt/yizhan/.venv/bin/" in name]
    figures["rss_kib"] = rss
    figures["pss_kib"] = pss
    figures["rss_total_mb"] = round(sum(rss.values()) / 1024, 1)
    figures["rss_yizhan_python_mb"] = round(sum(rss[name] for name in ours) / 1024, 1)
    figures["pss_total_mb"] = round(sum(pss.values()) / 1024, 1)
    figures["pss_yizhan_python_mb"] = round(sum(pss[name] for name in ours) / 1024, 1)
    figures["swap_pss_yizhan_python_mb"] = round(sum(swapped[name] for name in ours) / 1024, 1)
    figures["guest_memory_mb"] = meminfo(guest)  # MemAvailable: what is left for the page cache
    figures["oom_kills"] = guest.sh(OOM).strip()
    figures["swap"] = guest.sh("swapon --show --noheadings --bytes").strip()  # zram (yizhan-zram)
    say(
        f"memory: Pss {figures['pss_yizhan_python_mb']} MB for our Python processes, "
        f"{figures['pss_total_mb']} MB for all of the yizhan user's; guest {figures['guest_memory_mb']}"
    )

    # a stuck TUI (SIGSTOP): its heartbeat stops, yizhan-tui-watch ends it (limit 180 s, every
    # 30 s) and the loop inside foot starts a new one
    tui = "pgrep -n -u yizhan -f '/bin/yizhan tui$'"
    frozen = guest.sh(tui).strip()
    figures["tui_cgroup"] = guest.sh(f"cat /proc/{frozen}/cgroup").strip()
    guest.sh(f"kill -STOP {frozen}")
    figures["tui_stuck_restart_s"] = round(
        wait_for(
            "卡住的终端程序被看门狗结束，并重新启动",
            lambda: guest.sh(tui).strip() not in ("", frozen),
            limit=600,
        ),
        1,
    )
    figures["tui_watch_said"] = guest.sh(
        "journalctl -b -u yizhan-tui-watch --no-pager -q -o cat | grep 员工终端 | tail -1"
    ).strip()
    say(f"stuck TUI: ended by yizhan-tui-watch, new one after {figures['tui_stuck_restart_s']} s")

    # a power cut: system_reset with no sync first
    guest.monitor("system_reset")
    guest.started = time.monotonic()
    guest.shell = None
    figures["reset_to_http_s"] = round(guest.wait_serving(), 1)
    # the tickets, as a visitor's phone sees them (public progress page), through the port; a
    # clock the guard refuses (restricted mode) answers 503 here, though /api/health answers
    seen: list[dict[str, object]] = []

    def tickets_served() -> bool:
        try:
            seen[:] = [guest.http(f"/api/tickets/{i}/progress") for i in ids]  # type: ignore[misc]
        except urllib.error.HTTPError as exc:
            figures["after_reset_refusal"] = (
                f"{exc.code} {exc.read()[:300].decode(errors='replace')}"
            )
            return False
        except OSError:  # the server restarting (restricted mode hands the port over)
            return False
        return True

    wait_for("掉电后号票可查", tickets_served, limit=600)
    figures["reset_to_serving_s"] = round(time.monotonic() - guest.started, 1)
    after: list[str] = [str(t["number"]) for t in seen]
    figures["tickets_after_reset"] = after
    check = (
        '/opt/yizhan/.venv/bin/python -c "import sqlite3; c = sqlite3.connect('
        "'/var/lib/yizhan/station.db'); print(c.execute('pragma integrity_check').fetchone()[0]);"
        " print(*[r[0] for r in c.execute('select number from ticket')])\""
    )
    try:
        rows = guest.sh(check).splitlines()
    except SystemExit:  # the console shell right after a reset can miss its markers: once more
        rows = guest.sh(check, limit=300).splitlines()
    # where the seconds after power-on went (under emulation every start is 5-10x slower)
    try:  # (systemd-analyze waits while the boot has not finished: a figure, not a check)
        figures["after_reset_blame"] = guest.sh(
            "timeout 60 systemd-analyze blame --no-pager | head -8; timeout 60 "
            "systemd-analyze critical-chain --no-pager yizhan-server.service | tail -6",
            limit=150,
        ).splitlines()
    except SystemExit as exc:
        figures["after_reset_blame"] = [str(exc)]
    figures["integrity_check"] = rows[0] if rows else ""
    kept = rows[1].split() if len(rows) > 1 else []
    lost = [n for n in numbers if n not in kept or n not in after]
    figures["tickets_lost"] = lost
    if lost or figures["integrity_check"] != "ok":
        raise SystemExit(f"掉电后丢失了号票 {lost} 或完整性检查失败：{rows}")
    say(f"after system_reset: tickets {numbers} kept, HTTP again")
    if not figures.get("pinyin_ok"):  # checked last, so that every other figure is there
        raise SystemExit("拼音输入没有到达终端的申请人姓名（见 tui-*-pinyin.png）")


def main(image: Path) -> int:
    out = image.resolve().parent
    work = out / f"test-{time.strftime('%Y%m%d-%H%M%S')}"
    work.mkdir(parents=True)
    disk = work / "disk.img"
    subprocess.run(["cp", "--sparse=always", str(image.resolve()), str(disk)], check=True)
    card = max(4 * 1024**3, disk.stat().st_size + 1024**3)  # the root grows on first boot
    os.truncate(disk, card)
    (work / "station.toml").write_text(STATION_TOML, encoding="utf-8")
    subprocess.run(
        ["mcopy", "-o", "-i", fat(disk), str(work / "station.toml"), "::/station.toml"], check=True
    )
    figures: dict[str, object] = {"image_mb": round(image.resolve().stat().st_size / 2**20)}
    guest = Guest(disk, work)
    say(f"QEMU started, logs in {work}")
    failed = True
    try:
        check(guest, figures)
        failed = False
    finally:
        if failed:
            try:
                tail = guest.sh("systemctl --failed --no-legend; journalctl -b -n 60 --no-pager")
                (work / "guest-journal.txt").write_text(tail, encoding="utf-8")
            except (SystemExit, OSError):
                pass
        guest.stop()
        disk.unlink(missing_ok=True)
        figures["ok"] = not failed
        print(json.dumps(figures, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    default = Path(__file__).resolve().parents[1] / "build" / "image" / "yizhan.img"
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else default))
