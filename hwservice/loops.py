"""Background loops of the hardware service: each retries with backoff and never crashes."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from hwservice.api import ApiRefused, ApiUnavailable

log = logging.getLogger("yizhan.hw")


def backoff(current: float, failed: bool, base: float, cap: float = 30.0) -> float:
    """Next wait: back to ``base`` after success, doubled (up to ``cap``) after a failure."""
    return min(cap, max(base, current * 2)) if failed else base


def run_loop(name: str, step: Callable[[], bool], stop: threading.Event, base: float) -> None:
    """Call ``step`` until ``stop``; ``step`` returns True when it could not finish its work."""
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
        delay = backoff(delay, failed, base)
        stop.wait(delay)


def start_loop(
    name: str, step: Callable[[], bool], stop: threading.Event, base: float
) -> threading.Thread:
    t = threading.Thread(target=run_loop, args=(name, step, stop, base), name=name, daemon=True)
    t.start()
    return t
