"""``yizhan serve`` checks the clock first (时钟检查): with a wrong clock it runs the
restricted server (:mod:`appliance.clock.controller`) until the clock is right, set by the
station head on the staff terminal, by the sync agent from the county's time, or by NTP,
and only then starts the full station server on the same port.
"""

from __future__ import annotations

import logging
import threading

import uvicorn

from appliance.clock.controller import create_clock_app
from appliance.clock.service import ClockGuard

log = logging.getLogger("yizhan.server")
RECHECK_SECONDS = 1.0


def hold_until_clock_ok(guard: ClockGuard, host: str, port: int) -> bool:
    """Return True at once when the clock is right; else serve the restricted app until it
    is (True), or until the process is told to stop (False)."""
    verdict = guard.verdict()
    if verdict.ok:
        return True
    log.error("clock wrong, serving only the clock screen: %s", verdict.reason)
    fixed = threading.Event()
    server = uvicorn.Server(
        uvicorn.Config(
            create_clock_app(guard, fixed.set), host=host, port=port, log_level="warning"
        )
    )

    def watch() -> None:  # NTP or the sync agent may correct the clock meanwhile
        while not server.should_exit:
            if fixed.wait(RECHECK_SECONDS) or guard.verdict().ok:
                fixed.set()
                server.should_exit = True

    threading.Thread(target=watch, name="yizhan-clock-watch", daemon=True).start()
    server.run()
    if fixed.is_set():
        log.warning("clock now trusted: %s", guard.clock.now().isoformat())
    return fixed.is_set()
