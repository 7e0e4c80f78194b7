"""The server worker that keeps the automatic fault entries (自动登记故障, R-I1) in step with
the devices, the hardware service and the county sync, every ``fault_check_seconds``."""

from __future__ import annotations

import logging
import threading
from typing import Protocol

from appliance.faults.service.ledger import FaultService
from appliance.settings import Settings

log = logging.getLogger("yizhan.server")
FIRST_CHECK_S = 10.0


class HasFaults(Protocol):
    @property
    def faults(self) -> FaultService: ...

    @property
    def settings(self) -> Settings: ...


def fault_watch(services: HasFaults, stop: threading.Event) -> None:
    """Reconcile until ``stop`` (0 = off); an error is logged and the next round retries."""
    interval = services.settings.fault_check_seconds
    if interval <= 0:
        return
    wait = min(interval, FIRST_CHECK_S)
    while not stop.wait(wait):
        wait = interval
        try:
            opened, closed = services.faults.reconcile()
        except Exception:  # keep watching
            log.exception("fault check failed")
            continue
        for number in opened:
            log.warning("fault opened: %s", number)
        for number in closed:
            log.info("fault cleared: %s", number)
