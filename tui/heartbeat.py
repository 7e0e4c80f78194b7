"""The terminal's heartbeat file (心跳): proof that the TUI's own loop goes round.

systemd cannot watch the TUI the way it watches the server: the terminal unit's main process
is sway, which does not speak ``sd_notify``, and ``PAMName=login`` puts the session's
processes beside the service's, where systemd does not take their pings (docs/deploy.md).
So the TUI writes the seconds since boot (``CLOCK_BOOTTIME``, which nobody sets, unlike the
wall clock) into the file named by ``YIZHAN_TUI_HEARTBEAT`` after each finished status poll,
and ``yizhan-tui-watch`` (a root timer on the appliance) ends a TUI whose heartbeat is older
than its limit: the loop inside foot then starts it again. Without the variable (a
technician's laptop, the tests' default) nothing is written.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path

ENV = "YIZHAN_TUI_HEARTBEAT"
log = logging.getLogger("yizhan.tui")


def boottime() -> float:
    return time.clock_gettime(time.CLOCK_BOOTTIME)


class Heartbeat:
    """Writes ``<seconds since boot>`` to ``path``, at most every ``min_interval`` seconds."""

    def __init__(
        self,
        path: Path | None,
        min_interval: float = 5.0,
        now: Callable[[], float] = boottime,
    ) -> None:
        self.path = path
        self.min_interval = min_interval
        self.now = now
        self._last: float | None = None
        self._failed = False

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Heartbeat:
        value = (os.environ if env is None else env).get(ENV, "").strip()
        return cls(Path(value) if value else None)

    def beat(self) -> bool:
        """Called after each finished poll; True when the file was written."""
        if self.path is None:
            return False
        now = self.now()
        if self._last is not None and now - self._last < self.min_interval:
            return False
        part = self.path.with_name(self.path.name + ".part")
        try:
            part.write_text(f"{now:.0f}\n", encoding="ascii")
            part.replace(self.path)  # never a half-written file for the watcher
        except OSError as exc:
            if not self._failed:  # once: a full or missing /run must not flood the log
                log.warning("heartbeat file %s not written: %s", self.path, exc)
            self._failed = True
            return False
        self._last, self._failed = now, False
        return True
