"""The QEMU guest of `make image-test`: the image booted under qemu-system-aarch64 -M virt,
with its kernel and initrd copied out of the FAT partition (mtools: no loop device, no mount),
user networking that forwards only 127.0.0.1:PORT to the guest's 8080, a root shell on a
virtio console (systemd.debug_shell=hvc0, on the test's kernel command line only) and the
QEMU monitor (for a hard ``system_reset``).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

BOOT_OFFSET = 8192 * 512  # assemble.sh: the FAT partition starts at 4 MiB
PORT = int(os.environ.get("IMAGE_TEST_PORT", "18080"))
MEMORY_MB = int(os.environ.get("IMAGE_TEST_MEMORY_MB", "1024"))


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
        # the debug shell owns hvc0: a getty there (first boot's presets) would fight it
        mask = "systemd.mask=serial-getty@hvc0.service"
        append = f"{root} rw console=ttyAMA0 systemd.debug_shell=hvc0 {mask} net.ifnames=0"
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
            ("-device", "virtio-net-pci,netdev=net,romfile="),  # boots by -kernel: no iPXE ROM
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
