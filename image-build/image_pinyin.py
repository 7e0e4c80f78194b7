"""`make image-test`, Chinese input: pinyin typed on a virtual keyboard (wtype) inside the
QEMU-booted image arrives in the TUI's applicant-name field, and the server opens the case.

The same recipe as tests/tui/test_tui_input_pinyin.py (which runs headless on the build
host), here on the image's own sway, foot, fcitx5 and TUI on tty1 (virtio-gpu), as staff
work: fcitx5 runs from boot and every field starts in English; log in as the demo window
clerk, open 收件, Ctrl+Space for pinyin, type ``zhang`` ``2`` ``gui`` ``=`` ``5`` ``lan``
``5`` (fcitx5 5.1 on trixie, learned from its candidate pages), take a ``grim`` screenshot, Ctrl+Space back, fill in the ID number and phone, save with
Ctrl+S.
What is checked is the case the server opened, read back through the forwarded port. The
steps are slower than on the host: the guest runs under TCG emulation.
"""

from __future__ import annotations

import base64
import json
import os
import time
import urllib.request
from pathlib import Path
from typing import Any, Protocol

NAME = "张桂兰"
# each syllable and the keys that pick its character from fcitx5's candidate list. The order
# of that list differs between fcitx5 versions (bookworm's recipe gave 章癸拦 on trixie), so
# IMAGE_TEST_PINYIN_ASK=1 shows each page as a screenshot and waits for the keys in a file.
# Trixie's fcitx5 5.1 (2026-12-04): zhang 章 张 …; gui 贵 归 鬼 … then (=) 癸 龟 ? 规 桂;
# lan 蓝 懒 栏 烂 兰
PINYIN = (("zhang", ("2",)), ("gui", ("=", "5")), ("lan", ("5",)))
CLERK = ("ck01", "223344")  # the demo window clerk (appliance/demo/seed.py)
ID_NUMBER = "410122194001080021"
PHONE = "13800001234"
STEP_S = 3.0  # a key's effect on the emulated TUI takes a second or two
LOOK_S = 12.0  # from a syllable to the key that picks from its candidate list
WAKE_S = 20.0  # after Ctrl+Space: fcitx5's first pinyin of the boot loads its dictionaries
SESSION = "XDG_RUNTIME_DIR=/run/user/900 DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/900/bus"


TUI = "python3 /opt/yizhan/.venv/bin/yizhan tui"  # not the shell loop around it in foot


def _syllables() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """PINYIN, or with IMAGE_TEST_PINYIN="zhangguilan" (asked for) other compositions."""
    chosen = os.environ.get("IMAGE_TEST_PINYIN", "")
    return tuple((s, ("<space>",)) for s in chosen.split(",") if s) or PINYIN


class GuestShell(Protocol):
    def sh(self, command: str, limit: float = 180.0) -> str: ...


def _wtype_args(step: str) -> str:
    if not (step.startswith("<") and step.endswith(">")):
        return f"-d 60 '{step}'"
    mods, _, key = step[1:-1].rpartition("+")
    held = [m for m in mods.split("+") if m]
    return " ".join([*(f"-M {m}" for m in held), f"-k {key}", *(f"-m {m}" for m in held)])


class Terminal:
    def __init__(self, guest: GuestShell) -> None:
        self.guest = guest
        sockets = guest.sh("ls /run/user/900/ | grep -E '^wayland-[0-9]+$'").split()
        if not sockets:
            raise RuntimeError("sway 没有 Wayland 套接字（/run/user/900/wayland-*）")
        self.env = f"{SESSION} WAYLAND_DISPLAY={sockets[0]}"

    def run(self, command: str, limit: float = 60.0) -> str:
        return self.guest.sh(f"runuser -u yizhan -- env {self.env} {command}", limit=limit)

    def keys(self, *steps: str) -> None:
        for step in steps:
            self.run(f"wtype -s 400 {_wtype_args(step)}")
            time.sleep(STEP_S)

    def screenshot(self, path: Path) -> bool:
        self.run("grim /var/lib/yizhan/pinyin-shot.png", limit=120)
        data = self.guest.sh("base64 -w0 /var/lib/yizhan/pinyin-shot.png", limit=300)
        self.guest.sh("rm -f /var/lib/yizhan/pinyin-shot.png")
        try:
            png = base64.b64decode(data, validate=True)
        except ValueError:
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(png)
        return png.startswith(b"\x89PNG")


def _wait_for_tui(guest: GuestShell, limit: float = 300.0) -> None:
    """Until a new TUI process holds a connection to the server (its first poll)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        time.sleep(5)
        pid = guest.sh(f"pgrep -n -u yizhan -f '{TUI}' || true").strip()
        if pid and guest.sh(
            f"ss -Htnp state established '( dport = :8080 )' | grep -c 'pid={pid},' || true"
        ).strip() not in {"", "0"}:
            time.sleep(5)  # the login form has focus once the first poll is answered
            return
    raise RuntimeError("TUI 重启后没有连上服务器")


def _choose(term: Terminal, work: Path, syllable: str, pick: tuple[str, ...]) -> None:
    """Pick ``syllable``'s character with ``pick``; or, with IMAGE_TEST_PINYIN_ASK=1, show each
    page of the list (``candidates-<syllable>-<n>.png``) and type the comma-separated keys
    written to ``pick-<syllable>-<n>`` (``=`` alone, or keys ending in ``?``, asks again)."""
    if os.environ.get("IMAGE_TEST_PINYIN_ASK") != "1":
        # as a person does: look at the list, then press its number. Under emulation the list
        # takes seconds; a pick 3 s after the first syllable lost the whole of 张 (run 7)
        time.sleep(LOOK_S)
        term.keys(*pick)
        return
    for page in range(1, 9):
        term.screenshot(work / f"candidates-{syllable}-{page}.png")
        answer = work / f"pick-{syllable}-{page}"
        deadline = time.monotonic() + 900
        while not answer.exists() and time.monotonic() < deadline:
            time.sleep(2)
        keys = [k.strip() for k in answer.read_text(encoding="utf-8").split(",") if k.strip()]
        again = keys[-1:] == ["?"]  # a trailing "?": type the keys, show the list again
        term.keys(*(keys[:-1] if again else keys))
        if keys != ["="] and not again:
            return


def _api(port: int, path: str, body: dict[str, str] | None = None, token: str = "") -> Any:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=None if body is None else json.dumps(body).encode(),
        headers=headers,
    )
    with urllib.request.urlopen(request, timeout=30) as reply:
        return json.loads(reply.read())


def _cases(port: int) -> dict[str, str]:
    """Every case on the station's desk: number → applicant name, as the server holds it."""
    token = _api(port, "/api/auth/login", {"code": CLERK[0], "pin": CLERK[1]})["token"]
    cases: list[dict[str, Any]] = _api(port, "/api/cases?mine=0", token=token)
    return {str(c["case_number"]): str(c.get("applicant_name", "")) for c in cases}


def pinyin_check(guest: GuestShell, port: int, work: Path, figures: dict[str, object]) -> None:
    """Type 张桂兰 in pinyin into the image's TUI; record what the server received."""
    before = _cases(port)  # the demo desk has a case of 张桂兰 already
    term = Terminal(guest)
    # a fresh TUI on the login form (it started before the demo staff existed), no input method
    guest.sh(f"pkill -u yizhan -f '{TUI}'; true")  # fcitx5 keeps running, as it booted
    _wait_for_tui(guest)  # foot's loop starts it again after 1 s; it imports for a while
    term.keys(CLERK[0], "<Tab>", CLERK[1], "<Return>")
    time.sleep(10)
    term.keys("e", "gljt")
    time.sleep(15)  # the search answers (under emulation the list came after an early Down)
    term.keys("<Down>", "<Return>")
    time.sleep(10)
    term.keys("a", "<Tab>", "<Tab>", "<Tab>")
    term.screenshot(work / "tui-before-pinyin.png")
    term.keys("<ctrl+space>")  # pinyin on, as staff switch it for a name
    time.sleep(WAKE_S)
    for syllable, pick in _syllables():
        term.keys(syllable)
        _choose(term, work, syllable, pick)
    figures["pinyin_screenshot"] = term.screenshot(work / "tui-pinyin-image.png")
    term.keys("<ctrl+space>", "<Return>", ID_NUMBER, "<Return>", PHONE, "<ctrl+s>")
    deadline = time.monotonic() + 120
    new: dict[str, str] = {}
    while not new and time.monotonic() < deadline:
        time.sleep(5)
        new = {k: v for k, v in _cases(port).items() if k not in before}
    figures["pinyin_new_cases"] = new  # case number → the applicant name the server received
    figures["pinyin_ok"] = list(new.values()) == [NAME]
    term.screenshot(work / "tui-after-pinyin.png")
