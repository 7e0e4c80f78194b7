"""`make image-test`: boot the built image under qemu-system-aarch64 -M virt and check it.

    python3 image-build/image_test.py [IMAGE]      (default build/image/yizhan.img)

The kernel and initrd are copied out of the image's FAT partition with mtools (raspi-firmware
puts them there; no loop device, no mount); user networking forwards only 127.0.0.1:PORT to
the guest's 8080. A root shell on a virtio console (systemd.debug_shell=hvc0, given on the
test's kernel command line only, never in the image's cmdline.txt) runs the checks inside:

- first boot provisions from a test station.toml (county unreachable: enrolment queued);
- every yizhan unit reaches active; seconds from power-on to serving /api/health;
- the API answers through the forwarded port and tickets can be issued (demo categories);
- a frozen `yizhan hw` (SIGSTOP) shows the fault (GET /api/device/heartbeat, the verdict
  `yizhan doctor` prints) and systemd's watchdog (WatchdogSec) brings it back; a killed one
  (SIGKILL) is restarted by Restart=always;
- after a hard `system_reset` through the QEMU monitor (no sync first) every acknowledged
  ticket is still there and the API answers again;
- pinyin typed with wtype on the image's own terminal reaches the TUI's applicant-name field
  and the server opens the case for 张桂兰 (image_pinyin.py; screenshots in the test folder);
- the resident memory (VmRSS) of every yizhan process.

The last line printed is one JSON object with the figures. Logs stay in build/image/test-*/
(console.log: the serial console; shell.log: the root shell's transcript). Not run in
`make test`: it takes 15–25 minutes under emulation.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from image_pinyin import pinyin_check

BOOT_OFFSET = 8192 * 512  # assemble.sh: the FAT partition starts at 4 MiB
PORT = int(os.environ.get("IMAGE_TEST_PORT", "18080"))
MEMORY_MB = int(os.environ.get("IMAGE_TEST_MEMORY_MB", "1024"))
UNITS = [
    "yizhan-growroot",
    "yizhan-provision",
    "yizhan-server",
    "yizhan-hw",
    "yizhan-sync",
    "yizhan-tui",
]
YIZHAN = "runuser -u yizhan -- env YIZHAN_CONFIG=/etc/yizhan/station.toml "
YIZHAN += "YIZHAN_DATA_DIR=/var/lib/yizhan /usr/local/bin/yizhan"
STATION_TOML = """station_code = "QEMU01"
station_name = "镜像测试便民服务站"
county_url = "http://10.0.2.2:9"
enrolment_code = "IMAGE-TEST"
public_url = "http://192.168.1.20:8080"
printer_model = "none"
"""
RSS = (
    "for p in $(pgrep -u yizhan); do "
    "printf '%s\\t%s\\t%s\\n' \"$p\" \"$(awk '/^VmRSS/ {print $2}' /proc/$p/status)\" "
    "\"$(tr '\\0' ' ' < /proc/$p/cmdline | cut -c1-90)\"; done"
)


def say(line: str) -> None:
    print(f"[image-test] {time.strftime('%H:%M:%S')} {line}", flush=True)


def fat(image: Path) -> str:
    return f"{image}@@{BOOT_OFFSET}"


def extract_boot_files(image: Path, work: Path) -> tuple[Path, Path, str]:
    names = subprocess.run(
        ["mdir", "-b", "-i", fat(image), "::/"], capture_output=True, text=True, check=True
    ).stdout.split()
    kernel = next(n for n in names if Path(n).name.startswith("vmlinuz"))
    initrd = next(n for n in names if Path(n).name.startswith("initrd.img"))
    for name in (kernel, initrd, "::/cmdline.txt"):
        subprocess.run(["mcopy", "-o", "-i", fat(image), name, str(work)], check=True)
    cmdline = (work / "cmdline.txt").read_text().split()
    root = [arg for arg in cmdline if arg.startswith(("root=", "rootfstype="))]
    return work / Path(kernel).name, work / Path(initrd).name, " ".join(root)


class Guest:
    def __init__(self, image: Path, work: Path) -> None:
        kernel, initrd, root = extract_boot_files(image, work)
        self.work = work
        self.shell_path = str(work / "shell.sock")
        self.monitor_path = str(work / "monitor.sock")
        self.transcript = (work / "shell.log").open("a", encoding="utf-8")
        self.shell: socket.socket | None = None
        self.buffer = b""
        append = f"{root} rw console=ttyAMA0 systemd.debug_shell=hvc0 net.ifnames=0"
        self.started = time.monotonic()
        options = [
            ("-M", "virt"),
            ("-cpu", "cortex-a72"),
            ("-smp", "2"),
            ("-m", str(MEMORY_MB)),
            ("-kernel", str(kernel)),
            ("-initrd", str(initrd)),
            ("-append", append),
            ("-drive", f"file={image},format=raw,if=none,id=disk,cache=writeback"),
            ("-device", "virtio-blk-pci,drive=disk"),
            ("-netdev", f"user,id=net,hostfwd=tcp:127.0.0.1:{PORT}-:8080"),
            ("-device", "virtio-net-pci,netdev=net"),
            ("-device", "virtio-gpu-pci"),
            ("-display", "none"),
            ("-device", "virtio-serial-pci"),
            ("-chardev", f"socket,id=shell,path={self.shell_path},server=on,wait=off"),
            ("-device", "virtconsole,chardev=shell"),
            ("-monitor", f"unix:{self.monitor_path},server=on,wait=off"),
            ("-serial", f"file:{work / 'console.log'}"),
        ]
        self.process = subprocess.Popen(
            ["qemu-system-aarch64", *[part for option in options for part in option]],
            stdout=(work / "qemu.log").open("w"),
            stderr=subprocess.STDOUT,
        )

    def http(self, path: str, body: dict[str, object] | None = None, key: str = "") -> object:
        request = urllib.request.Request(
            f"http://127.0.0.1:{PORT}{path}",
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json", **({"X-Device-Key": key} if key else {})},
        )
        with urllib.request.urlopen(request, timeout=20) as reply:
            return json.loads(reply.read())

    def wait_serving(self, limit: float = 1200.0) -> float:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"QEMU 退出了（{self.process.returncode}），见 {self.work}")
            try:
                self.http("/api/health")
                return time.monotonic() - self.started
            except (OSError, urllib.error.HTTPError):
                time.sleep(1)
        raise SystemExit("镜像启动后没有提供 HTTP 服务")

    # ---- the root shell on hvc0 ----------------------------------------------------------------
    def _connect(self) -> socket.socket:
        if self.shell is None:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(self.shell_path)
            self.shell = s
            self.buffer = b""
        return self.shell

    def _read_until(self, marker: bytes, deadline: float) -> bytes | None:
        s = self._connect()
        while marker not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            s.settimeout(min(left, 5.0))
            try:
                chunk = s.recv(65536)
            except TimeoutError:
                continue
            if not chunk:
                self.shell = None
                raise ConnectionError("shell closed")
            self.transcript.write(chunk.decode(errors="replace"))
            self.transcript.flush()
            self.buffer += chunk
        before, _, self.buffer = self.buffer.partition(marker)
        return before

    def sh(self, command: str, limit: float = 180.0) -> str:
        """Run ``command`` in the guest's root shell; its output (stdout and stderr).

        The markers are printed with printf from two halves, so the echoed command line never
        contains them; a shell that is not up yet (early boot) is waited for."""
        deadline = time.monotonic() + limit
        tag = f"{time.monotonic_ns()}"
        start, end = f"@@B{tag}@@".encode(), f"@@E{tag}@@".encode()
        line = (
            f"stty -echo 2>/dev/null; printf '@@B%s@@\\n' {tag}; "
            f"( {command} ) 2>&1; printf '@@E%s@@\\n' {tag}\n"
        )
        while True:
            try:
                self._connect().sendall(line.encode())
                got = self._read_until(start, min(deadline, time.monotonic() + 20))
                if got is not None:
                    out = self._read_until(end, deadline)
                    if out is None:
                        raise SystemExit(f"超时：客户机命令 {command}")
                    return out.decode(errors="replace").replace("\r", "").strip()
            except (ConnectionError, OSError):
                self.shell = None
            if time.monotonic() > deadline:
                raise SystemExit(f"客户机的 root shell（hvc0）没有应答：{command}")
            time.sleep(2)

    def monitor(self, command: str) -> None:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.connect(self.monitor_path)
            s.settimeout(10)
            s.recv(4096)  # the banner
            s.sendall(f"{command}\n".encode())
            time.sleep(1)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


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


def rss(guest: Guest) -> dict[str, int]:
    """VmRSS in KiB of every process of the yizhan user, by pid and command line."""
    figures: dict[str, int] = {}
    for row in guest.sh(RSS).splitlines():
        parts = row.split("\t")
        if len(parts) == 3 and parts[1].isdigit():
            figures[f"{parts[0]} {parts[2].strip()}"] = int(parts[1])
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
    say(
        f"pinyin: case {figures.get('pinyin_case_for_张桂兰')!r}, screenshot {figures.get('pinyin_screenshot')}"
    )

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

    memory = rss(guest)
    figures["rss_kib"] = memory
    figures["rss_total_mb"] = round(sum(memory.values()) / 1024, 1)
    figures["rss_yizhan_python_mb"] = round(
        sum(kb for name, kb in memory.items() if "/opt/yizhan/.venv/bin/" in name) / 1024, 1
    )

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
    figures["integrity_check"] = rows[0] if rows else ""
    kept = rows[1].split() if len(rows) > 1 else []
    lost = [n for n in numbers if n not in kept or n not in after]
    figures["tickets_lost"] = lost
    if lost or figures["integrity_check"] != "ok":
        raise SystemExit(f"掉电后丢失了号票 {lost} 或完整性检查失败：{rows}")
    say(f"after system_reset: tickets {numbers} kept, HTTP again")


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
