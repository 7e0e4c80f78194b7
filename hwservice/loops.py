"""Background loops of the hardware service: each retries with backoff and never crashes."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from appliance.sdnotify import Watchdog, watchdog_seconds
from hwservice.api import ApiRefused, ApiUnavailable

log = logging.getLogger("yizhan.hw")


def backoff(current: float, failed: bool, base: float, cap: float = 30.0) -> float:
    """Next wait: back to ``base`` after success, doubled (up to ``cap``) after a failure."""
    return min(cap, max(base, current * 2)) if failed else base


def run_loop(
    name: str,
    step: Callable[[], bool],
    stop: threading.Event,
    base: float,
    on_step: Callable[[str], None] | None = None,
) -> None:
    """Call ``step`` until ``stop``; ``step`` returns True when it could not finish its work.

    ``on_step(name)`` runs after every step, failed or not: the loop is alive (心跳).
    """
    delay = base
    while not stop.is_set():
        try:
            failed = step()
        except (ApiUnavailable, ApiRefused) as exc:
            log.warning("%s: %s", name, exc)
            failed = True
        except Exception:  # a device or bug must not end the service
            log.exception("%s failed", name)
            failed = True
        if on_step is not None:
            on_step(name)
        delay = backoff(delay, failed, base)
        stop.wait(delay)


def start_loop(
    name: str,
    step: Callable[[], bool],
    stop: threading.Event,
    base: float,
    on_step: Callable[[str], None] | None = None,
) -> threading.Thread:
    t = threading.Thread(
        target=run_loop, args=(name, step, stop, base, on_step), name=name, daemon=True
    )
    t.start()
    return t


def watchdog_on_step(
    fresh: Callable[[float], bool], watchdog: Watchdog | None = None
) -> Callable[[str], None]:
    """An ``on_step`` that pings systemd's watchdog (``WATCHDOG=1``) only while every loop is
    fresh: ``fresh(max_age)`` is :meth:`hwservice.heartbeat.Progress.fresh`, and ``max_age``
    is half the unit's ``WatchdogSec=``. A loop stuck in a device call stops the pings, and
    systemd restarts the service. Outside systemd it does nothing.
    """
    dog = watchdog or Watchdog()
    period = watchdog_seconds(dog.env)

    def on_step(_name: str) -> None:
        if period is not None and fresh(period / 2):
            dog.progressed()

    return on_step
