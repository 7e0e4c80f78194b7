"""Toasts keep their Chinese characters in ``foot``, the appliance's terminal (issue 16,
item 7; R-N4).

Textual's compositor used to cut wide characters where a toast overlaps the widgets under it
("已取号 B001（  保医保）"); ``tui/compositing.py`` fixes that, and the pilot snapshots check
Textual's own output. This test checks what foot itself holds on screen: the TUI runs in foot
under headless sway with the appliance's configuration, a ticket is issued with ``i`` (代取号),
and while the toast shows, foot's ``pipe-visible`` binding writes the visible text to a file.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.support.station import WINDOW_CLERK, LiveServer
from tests.tui.pinyin_support import (
    ETC,
    Kiosk,
    kiosk_for_test,
    tcp_established,
    until,
)

pytestmark = pytest.mark.slow
DUMP_KEY = "<ctrl+shift+F12>"


@pytest.fixture
def kiosk() -> Iterator[Kiosk]:
    yield from kiosk_for_test("yizhan-toast-")


def foot_with_dump(root: Path, dump: Path) -> Path:
    """The appliance's foot.ini plus a key that pipes the visible text into ``dump``."""
    ini = root / "foot-dump.ini"
    ini.write_text(
        f"include={ETC / 'foot' / 'foot.ini'}\n\n[key-bindings]\n"
        f'pipe-visible=[sh -c "cat > {dump}"] Control+Shift+F12\n',
        encoding="utf-8",
    )
    return ini


def test_a_toast_keeps_every_chinese_character_in_foot_r_n4(
    kiosk: Kiosk, live_server: LiveServer
) -> None:
    dump = kiosk.root / "screen.txt"
    kiosk.start_tui(live_server.url, foot_with_dump(kiosk.root, dump))
    port = urlsplit(live_server.url).port or 80
    until(
        lambda: tcp_established(port, os.geteuid()),
        30,
        f"the TUI never reached the server:\n{kiosk.log('foot')}",
    )
    time.sleep(1.0)  # the login form has focus once the first poll is answered
    kiosk.type(WINDOW_CLERK[0], "<Tab>", WINDOW_CLERK[1], "<Return>")
    kiosk.type("i", "B", "<Return>")  # 代取号 B: the toast "已取号 B001（社保医保）…"
    until(lambda: _issued(live_server), 20, f"no ticket issued:\n{kiosk.log('foot')}")
    kiosk.type(DUMP_KEY)
    until(lambda: dump.exists() and dump.stat().st_size > 0, 15, "foot wrote no screen text")
    screen = dump.read_text(encoding="utf-8")
    name = next(c.name for c in live_server.station.services.config.categories() if c.prefix == "B")
    assert f"已取号B001（{name}），前面0人" in "".join(screen.split()), screen


def _issued(live: LiveServer) -> bool:
    return any(c.waiting for c in live.station.services.windows.queue_snapshot().categories)
