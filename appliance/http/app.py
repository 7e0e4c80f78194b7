"""``create_app()``: the station server, wired from settings."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from litestar import Litestar
from litestar.di import Provide
from litestar.static_files import create_static_files_router

from appliance.domain.clock import Clock
from appliance.services.case_sweep import case_sweep_watch
from appliance.services.container import Services, build_services
from appliance.settings import Settings

from .controllers.case_query import CaseQueryController
from .controllers.cases import CaseController
from .controllers.catalogue import CatalogueController
from .controllers.devices import DeviceController
from .controllers.jobs import JobsController
from .controllers.public import STATIC, PublicController
from .controllers.queue import TicketController, WindowController
from .controllers.staff import AlertController, AuthController, StaffController, StationController
from .controllers.sync import SyncController
from .guards import EXCEPTION_HANDLERS, provide_principal, provide_services, role_guard

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


def create_app(
    settings: Settings,
    clock: Clock | None = None,
    services: Services | None = None,
    workers: list[BackgroundWorker] | None = None,
) -> Litestar:
    services = services or build_services(settings, clock)
    stop = threading.Event()
    threads: list[threading.Thread] = []
    all_workers = [absence_watch, case_sweep_watch, *(workers or [])]

    def start_workers() -> None:
        stop.clear()
        for worker in all_workers:
            name = f"yizhan-{getattr(worker, '__name__', 'worker')}"
            t = threading.Thread(target=worker, args=(services, stop), daemon=True, name=name)
            t.start()
            threads.append(t)

    def stop_workers() -> None:
        stop.set()
        for t in threads:
            t.join(timeout=5)

    app = Litestar(
        route_handlers=[
            PublicController,
            TicketController,
            WindowController,
            AuthController,
            StaffController,
            AlertController,
            StationController,
            DeviceController,
            JobsController,
            SyncController,
            CatalogueController,
            CaseController,
            CaseQueryController,
            create_static_files_router("/static", [STATIC], opt={"public": True}),
        ],
        guards=[role_guard],
        dependencies={
            "services": Provide(lambda: services, sync_to_thread=False),
            "principal": Provide(provide_principal, sync_to_thread=False),
        },
        exception_handlers=EXCEPTION_HANDLERS,
        on_startup=[start_workers],
        on_shutdown=[stop_workers],
        openapi_config=None,
    )
    app.state.services = services
    return app


__all__ = ["create_app", "provide_services"]
