"""心跳: ``yizhan hw`` tells the server it is alive, and how fresh each of its loops is.

Each loop marks :class:`Progress` after every step it finishes (a step that failed because
the server or a device was away still counts: the loop is alive and retrying). A loop stuck
in a device call stops marking, and the heartbeat carries its growing age, so the server
reports the service stuck even while the heartbeat thread itself runs. The same ages are
what a systemd watchdog ping should be tied to (:meth:`Progress.fresh`).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable

from appliance.devices.schemas import HardwareHealth, HeartbeatIn
from hwservice.api import DeviceApi


class Progress:
    """The monotonic time each loop last finished a step."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.monotonic = monotonic
        self._marks: dict[str, float] = {}
        self._lock = threading.Lock()

    def mark(self, loop: str) -> None:
        with self._lock:
            self._marks[loop] = self.monotonic()

    def ages(self) -> dict[str, float]:
        now = self.monotonic()
        with self._lock:
            return {name: round(now - at, 1) for name, at in self._marks.items()}

    def fresh(self, max_age: float) -> bool:
        """Every loop finished a step within ``max_age`` seconds (a watchdog may be pinged)."""
        return all(age <= max_age for age in self.ages().values())


class Heartbeat:
    """Sends one heartbeat per call (the service's heartbeat loop calls it)."""

    def __init__(
        self, api: DeviceApi, progress: Progress, print_kinds: Callable[[], list[str]]
    ) -> None:
        self.api = api
        self.progress = progress
        self.print_kinds = print_kinds
        self.last: HardwareHealth | None = None

    def beat(self, stopping: bool = False) -> HardwareHealth:
        body = HeartbeatIn(
            pid=os.getpid(),
            print_kinds=self.print_kinds(),
            loops=self.progress.ages(),
            stopping=stopping,
        )
        self.last = self.api.heartbeat(body)
        return self.last

    def step(self) -> bool:
        """One beat for :func:`hwservice.loops.run_loop` (never 'failed': a steady rhythm)."""
        self.beat()
        return False
