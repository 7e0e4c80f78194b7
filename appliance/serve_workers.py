"""Background workers the server runs besides absence alerts, picked by settings."""

from __future__ import annotations

from appliance.http.app import BackgroundWorker
from appliance.settings import Settings


def workers_for(settings: Settings) -> list[BackgroundWorker]:
    workers: list[BackgroundWorker] = []
    if settings.printer_backend == "simulated":
        from appliance.services.print_spooler import spool_worker

        workers.append(spool_worker)
    return workers
