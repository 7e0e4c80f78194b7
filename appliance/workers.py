"""Background workers of the server process: each loops until ``stop`` and never dies of an error."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from appliance.cases.service.sweep import CaseSweep
from appliance.wiring import Services

log = logging.getLogger("yizhan.server")

BackgroundWorker = Callable[[Services, threading.Event], None]


def absence_watch(services: Services, stop: threading.Event) -> None:
    """Periodically raise alerts for pauses past the allowed absence (R-Q6)."""
    while not stop.wait(services.settings.alert_check_seconds):
        try:
            for alert in services.windows.check_absences():
                log.warning("alert: %s", alert.message)
        except Exception:  # keep watching; the next round retries
            log.exception("absence check failed")


FIRST_SWEEP_S = 10.0


def case_sweep_watch(services: Services, stop: threading.Event) -> None:
    """Server worker: sweep every ``case_sweep_seconds`` (0 = off) until ``stop``.

    The first pass comes soon after start-up (at most ``FIRST_SWEEP_S``), so alerts and
    auto-acceptances missed while the station was off are there when staff log in.
    """
    interval = services.settings.case_sweep_seconds
    if interval <= 0:
        return
    sweep = CaseSweep(services.db, services.settings, services.clock)
    wait = min(interval, FIRST_SWEEP_S)
    while not stop.wait(wait):
        wait = interval
        try:
            report = sweep.run()
        except Exception:  # keep sweeping; the next round retries
            log.exception("case sweep failed")
            continue
        for line in report.lines:
            log.info("case sweep: %s %s", line.what, line.case_number)


SERVER_WORKERS: list[BackgroundWorker] = [absence_watch, case_sweep_watch]
