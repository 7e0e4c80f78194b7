"""The server worker that judges the hardware service every ``hw_check_seconds``.

A silence or a stall becomes the ``hwservice`` device row and one ``device.state_changed``
event, so the hall display's stream, the staff terminal, ``yizhan doctor`` and the county
(through sync) all see it within seconds, and see it cleared the same way.
"""

from __future__ import annotations

import logging
import threading
from typing import Protocol

from appliance.devices.service import DeviceService

log = logging.getLogger("yizhan.server")


class HasDevices(Protocol):
    @property
    def devices(self) -> DeviceService: ...


def hardware_watch(services: HasDevices, stop: threading.Event) -> None:
    """Check until ``stop``; an error is logged and the next round retries."""
    devices = services.devices
    last = ""
    while not stop.wait(max(0.2, devices.settings.hw_check_seconds)):
        try:
            health = devices.check_hardware()
        except Exception:  # keep watching
            log.exception("hardware check failed")
            continue
        if health.state != last:
            log.log(logging.INFO if health.ok else logging.WARNING, "hardware: %s", health.label)
            last = health.state
