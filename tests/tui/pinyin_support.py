"""A headless Wayland kiosk for the pinyin test: sway + fcitx5 + foot.

The recipe measured in PITFALLS.md ("Textual", "Chinese input"): sway refuses to run as
root, so it runs as a system user with its own 0700 ``XDG_RUNTIME_DIR``. Its clients (foot
with the TUI, fcitx5, wtype, grim) run as the test's own user (root), which may use that
socket, so the project's interpreter need not be readable by the compositor's user; the
wlroots backend with the pixman renderer needs no GPU and no seat. The sway, foot and fcitx5
configuration is the appliance's own (``image-build/rootfs/etc/yizhan``). Keys are typed
with ``wtype``, one call per step about a second apart (0.7 s lost a Tab now and then); fcitx5 is started only when Chinese is
to be typed (keys typed before it is active reach foot as plain letters).
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ETC = ROOT / "image-build" / "rootfs" / "etc" / "yizhan"
USER = "yizhanpy"
TOOLS = ("sway", "foot", "fcitx5", "wtype")
STEP_S = 1.0


def missing_tools() -> list[str]:
    return [t for t in TOOLS if shutil.which(t) is None]


def ensure_user() -> pwd.struct_passwd:
    """A system user without a login shell for the compositor (created once, as root)."""
    try:
        return pwd.getpwnam(USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER],
            check=True,
        )
        return pwd.getpwnam(USER)


def until(what: Callable[[], bool], timeout: float, why: str) -> None:
    deadline = time.monotonic() + timeout
    while not what():
        if time.monotonic() > deadline:
            raise TimeoutError(why)
        time.sleep(0.1)


@dataclass
class Kiosk:
    """sway, foot and (when asked) fcitx5 under one temporary home and runtime dir."""

    root: Path
    user: pwd.struct_passwd
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def env(self) -> dict[str, str]:
        return {
            "HOME": str(self.root / "home"),
            "XDG_RUNTIME_DIR": str(self.root / "run"),
            "WAYLAND_DISPLAY": "wayland-1",
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
        }

    def _spawn(
        self, name: str, cmd: list[str], env: dict[str, str] | None = None, as_user: bool = False
    ) -> None:
        log = open(self.root / f"{name}.log", "ab")  # noqa: SIM115
        who: dict[str, object] = (
            {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}
            if as_user
            else {}
        )
        self.procs[name] = subprocess.Popen(
            cmd,
            env={**self.env, **(env or {})},
            cwd=self.root,
            **who,  # type: ignore[arg-type]
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start_sway(self) -> bool:
        """False when sway does not come up (then the test is skipped with its log)."""
        for sub in ("run", "home/.config/fcitx5"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        for name in ("profile", "config"):
            shutil.copy(ETC / "fcitx5" / name, self.root / "home/.config/fcitx5" / name)
        conf = self.root / "sway.conf"
        conf.write_text(
            f"include {ETC / 'sway' / 'base.conf'}\noutput HEADLESS-1 resolution 1280x720\n"
        )
        os.chmod(self.root, 0o755)
        for path in [self.root, *self.root.rglob("*")]:
            os.chown(path, self.user.pw_uid, self.user.pw_gid)
        os.chmod(self.root / "run", 0o700)
        headless = {"WLR_BACKENDS": "headless", "WLR_LIBINPUT_NO_DEVICES": "1"}
        self._spawn("sway", ["sway", "-c", str(conf)], {**headless, "WLR_RENDERER": "pixman"}, True)
        try:
            until(lambda: (self.root / "run" / "wayland-1").exists(), 15, "no wayland socket")
        except TimeoutError:
            return False
        return self.procs["sway"].poll() is None

    def start_tui(self, server_url: str, foot_ini: Path | None = None) -> None:
        cmd = [sys.executable, "-m", "yizhan.cli", "tui"]
        ini = foot_ini or ETC / "foot" / "foot.ini"
        foot = ["foot", f"--config={ini}", "--app-id=yizhan-tui", *cmd]
        env = {
            "YIZHAN_SERVER_URL": server_url,
            "PYTHONPATH": str(ROOT),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        self._spawn("foot", foot, env)

    def start_fcitx5(self) -> None:
        """Start the input method and wait until it is active (ACTIVATE, plus a second)."""
        shutil.rmtree(self.root / "home/.local/share/fcitx5", ignore_errors=True)  # it learns
        self._spawn("fcitx5", ["fcitx5", "--replace", "--verbose", "default=5,waylandim=5"])
        log = self.root / "fcitx5.log"
        until(lambda: "ACTIVATE" in log.read_text(errors="replace"), 20, "fcitx5 not active")
        time.sleep(1.0)

    def stop_fcitx5(self) -> None:
        proc = self.procs.pop("fcitx5", None)
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=10)
            time.sleep(STEP_S)

    @staticmethod
    def _args(step: str) -> list[str]:
        """wtype arguments of one step: text, or a key in angle brackets (<Return>, <ctrl+s>)."""
        if not (step.startswith("<") and step.endswith(">")):
            return ["-d", "40", step]
        mods, _, key = step[1:-1].rpartition("+")
        held = [m for m in mods.split("+") if m]
        return [
            *(a for m in held for a in ("-M", m)),
            "-k",
            key,
            *(a for m in held for a in ("-m", m)),
        ]

    def type(self, *steps: str) -> None:
        """Plain keys for the TUI: all steps in ONE ``wtype`` call (one virtual keyboard),
        a pause after each; a fresh virtual keyboard may lose its first key under load."""
        args: list[str] = ["-s", "600"]
        for step in steps:
            args += [*self._args(step), "-s", str(int(STEP_S * 1000))]
        subprocess.run(["wtype", *args], env=self.env, check=True, timeout=120)

    def type_each(self, *steps: str) -> None:
        """For fcitx5: one ``wtype`` call per step, about a second apart (the measured recipe)."""
        for step in steps:
            # sleep after wtype made its virtual keyboard: else its first key can be lost
            cmd = ["wtype", "-s", "250", *self._args(step)]
            subprocess.run(cmd, env=self.env, check=True, timeout=10)
            time.sleep(STEP_S)

    def screenshot(self, path: Path) -> bool:
        if shutil.which("grim") is None:
            return False
        shot = self.root / "shot.png"
        done = subprocess.run(["grim", str(shot)], env=self.env, timeout=15, check=False)
        if done.returncode != 0 or not shot.exists():
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, path)
        return True

    def log(self, name: str) -> str:
        path = self.root / f"{name}.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def stop(self) -> None:
        for name in ("fcitx5", "foot", "sway"):
            proc = self.procs.pop(name, None)
            if proc is None or proc.poll() is not None:
                continue
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


def tcp_established(port: int, uid: int) -> bool:
    """A connection of ``uid`` to 127.0.0.1:``port`` is open (the TUI has polled the server)."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            cols = line.split()
            remote, state, owner = cols[2], cols[3], int(cols[7])
            if state == "01" and owner == uid and int(remote.rsplit(":", 1)[1], 16) == port:
                return True
    return False


def kiosk_for_test(prefix: str) -> Iterator[Kiosk]:
    """The body of a pytest fixture: a running headless kiosk, or the test skipped with why."""
    import pytest

    if os.geteuid() != 0:
        pytest.skip("needs root to run sway as a separate normal user (sway refuses root)")
    missing = missing_tools()
    if missing:
        pytest.skip(f"sway cannot start: not installed ({', '.join(missing)}; make bootstrap)")
    # not under pytest's tmp_path: its parent is root-only, the compositor's user must enter
    root = Path(tempfile.mkdtemp(prefix=prefix))
    k = Kiosk(root, ensure_user())
    try:
        if not k.start_sway():
            pytest.skip(f"sway cannot start here:\n{k.log('sway')}")
        yield k
    finally:
        k.stop()
        shutil.rmtree(root, ignore_errors=True)
