"""`make image-test`: boot the built image under qemu-system-aarch64 -M virt and check it.

    python3 image-build/image_test.py [IMAGE]      (default build/image/yizhan.img)

The kernel and initrd are copied out of the image's FAT partition (raspi-firmware puts them
there); user networking forwards only 127.0.0.1:PORT to the guest's 8080. A root shell on a
virtio console (systemd.debug_shell=hvc0, test boots only) runs the checks inside. It checks:

- first boot provisions from a test station.toml (county unreachable: enrolment queued);
- every yizhan unit reaches active; seconds from power-on to serving /api/health;
- the API answers through the forwarded port and a ticket can be issued (demo categories);
- a frozen `yizhan hw` (SIGSTOP) shows the fault, and systemd's watchdog brings it back;
- after a hard `system_reset` through the QEMU monitor the ticket is still there;
- the resident memory of every yizhan process.

The last line printed is one JSON object with the figures. Not run in `make test`: it takes
15–25 minutes under emulation.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BOOT_OFFSET = 8192 * 512  # assemble.sh: the FAT partition starts at 4 MiB
PORT = int(os.environ.get("IMAGE_TEST_PORT", "18080"))
UNITS = ["yizhan-server", "yizhan-hw", "yizhan-sync", "yizhan-tui"]
STATION_TOML = """station_code = "QEMU01"
station_name = "镜像测试便民服务站"
county_url = "http://10.0.2.2:9"
enrolment_code = "IMAGE-TEST"
public_url = "http://192.168.1.20:8080"
printer_model = "none"
"""


def say(line: str) -> None:
    print(f"[image-test] {line}", flush=True)


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
        self.shell_path = str(work / "shell.sock")
        self.monitor_path = str(work / "monitor.sock")
        append = f"{root} rw console=ttyAMA0 systemd.debug_shell=hvc0 net.ifnames=0"
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [
                "qemu-system-aarch64",
                "-M",
                "virt",
                "-cpu",
                "max",
                "-smp",
                "2",
                "-m",
                "1024",
                "-kernel",
                str(kernel),
                "-initrd",
                str(initrd),
                "-append",
                append,
                "-drive",
                f"file={image},format=raw,if=none,id=disk",
                "-device",
                "virtio-blk-pci,drive=disk",
                "-netdev",
                f"user,id=net,hostfwd=tcp:127.0.0.1:{PORT}-:8080",
                "-device",
                "virtio-net-pci,netdev=net",
                "-device",
                "virtio-gpu-pci",
                "-display",
                "none",
                "-device",
                "virtio-serial-pci",
                "-chardev",
                f"socket,id=shell,path={self.shell_path},server=on,wait=off",
                "-device",
                "virtconsole,chardev=shell",
                "-monitor",
                f"unix:{self.monitor_path},server=on,wait=off",
                "-serial",
                f"file:{work / 'console.log'}",
            ]  # fmt: skip
        )

    def http(self, path: str, body: dict[str, object] | None = None, key: str = "") -> object:
        request = urllib.request.Request(
            f"http://127.0.0.1:{PORT}{path}",
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json", **({"X-Device-Key": key} if key else {})},
        )
        with urllib.request.urlopen(request, timeout=10) as reply:
            return json.loads(reply.read())

    def wait_serving(self, limit: float = 900.0) -> float:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            try:
                self.http("/api/health")
                return time.monotonic() - self.started
            except OSError:
                time.sleep(1)
        raise SystemExit("镜像启动后没有提供 HTTP 服务")

    def sh(self, command: str, limit: float = 120.0) -> str:
        """Run ``command`` in the guest's root shell; its output."""
        marker = f"__done_{time.monotonic_ns()}__"
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.connect(self.shell_path)
            s.settimeout(limit)
            s.sendall(f"{command}; echo {marker}\n".encode())
            out = b""
            while out.count(marker.encode()) < 2:  # the echoed command, then the output
                chunk = s.recv(65536)
                if not chunk:
                    break
                out += chunk
        text = out.decode(errors="replace")
        return text.split(marker)[-2].split("\n", 1)[-1].strip() if marker in text else text

    def monitor(self, command: str) -> None:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.connect(self.monitor_path)
            s.sendall(f"{command}\n".encode())
            time.sleep(1)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def wait_for(what: str, check: object, limit: float = 300.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if callable(check) and check():
            return
        time.sleep(2)
    raise SystemExit(f"超时：{what}")


def main(image: Path) -> int:
    work = Path(tempfile.mkdtemp(prefix="yizhan-image-test-"))
    disk = work / "disk.img"
    shutil.copyfile(image, disk)
    os.truncate(disk, 4 * 1024**3)  # a 4 GB "card": the root grows on first boot
    (work / "station.toml").write_text(STATION_TOML, encoding="utf-8")
    subprocess.run(
        ["mcopy", "-o", "-i", fat(disk), str(work / "station.toml"), "::/station.toml"], check=True
    )
    guest = Guest(disk, work)
    figures: dict[str, object] = {}
    try:
        figures["first_boot_to_http_s"] = round(guest.wait_serving(), 1)
        say(f"HTTP after {figures['first_boot_to_http_s']} s")
        states = guest.sh("systemctl is-active " + " ".join(UNITS)).split()
        assert states == ["active"] * len(UNITS), states
        seed = "runuser -u yizhan -- env YIZHAN_CONFIG=/etc/yizhan/station.toml"
        guest.sh(f"{seed} /opt/yizhan/.venv/bin/yizhan demo seed", limit=600)
        key = guest.sh("cat /var/lib/yizhan/keys/device.key")
        ticket = guest.http("/api/device/button-press", {"priority": "normal"}, key)
        number = ticket["ticket"]["number"]  # type: ignore[index]
        say(f"ticket {number} issued through the forwarded port")

        guest.sh("systemctl kill -s STOP yizhan-hw")
        before = guest.sh("systemctl show -p NRestarts --value yizhan-hw")

        def fault_shown() -> bool:
            health = guest.http("/api/device/heartbeat", key=key)
            return health["state"] != "ready"  # type: ignore[index]

        wait_for("硬件服务故障显示", fault_shown)
        wait_for(
            "看门狗重启 yizhan-hw",
            lambda: guest.sh("systemctl show -p NRestarts --value yizhan-hw") != before,
        )
        wait_for("硬件服务恢复", lambda: not fault_shown())
        say("frozen yizhan hw: fault shown, watchdog restarted it")

        guest.sh("sync")
        guest.monitor("system_reset")
        reset = time.monotonic()
        guest.started = reset
        figures["reset_to_http_s"] = round(guest.wait_serving(), 1)
        count = guest.sh(
            '/opt/yizhan/.venv/bin/python -c "import sqlite3; print(sqlite3.connect('
            f"'/var/lib/yizhan/station.db').execute('select count(*) from ticket where "
            f"number = ?', ('{number}',)).fetchone()[0])\""
        )
        assert count.strip().endswith("1"), count
        say(f"after system_reset: ticket {number} kept, HTTP again")
        rss = guest.sh("ps -u yizhan -o rss=,args= | grep yizhan | grep -v grep")
        processes = [line.split(None, 1) for line in rss.splitlines() if line.strip()]
        figures["rss_mb"] = {args[:60]: round(int(kb) / 1024, 1) for kb, args in processes}
        figures["rss_total_mb"] = round(sum(int(kb) for kb, _ in processes) / 1024, 1)
    finally:
        guest.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    default = Path(__file__).resolve().parents[1] / "build" / "image" / "yizhan.img"
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else default))
