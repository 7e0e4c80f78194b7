"""``create_app()``: the station server, wired from settings.

Every feature brings its controllers; each handler names the services it needs
(``queue: QueueService``) and gets the one instance of this process (``appliance.wiring``).
"""

from __future__ import annotations

import threading
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from litestar import Litestar, Router
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.static_files import create_static_files_router

from appliance.alerts.controller import AlertController
from appliance.appointments.controller import (
    AppointmentController,
    OutageController,
    PublicAppointmentController,
)
from appliance.archives.controller import ArchiveController
from appliance.cases.controller import (
    CaseController,
    CaseNoticeDeviceController,
    CaseQueryController,
)
from appliance.catalogue.controller import CatalogueController
from appliance.complaints.controller import ComplaintController
from appliance.consultations.controller import ConsultationController
from appliance.contacts.controller import ContactController
from appliance.core.clock import Clock
from appliance.delegation.controller import DelegationController
from appliance.desk.controller import DeskController
from appliance.devices.controller import DeviceController, DeviceStatesController
from appliance.faults.controller import EmergencyController, FaultController
from appliance.figures.controller import FigureController
from appliance.http.guards import EXCEPTION_HANDLERS, provide_principal, role_guard
from appliance.http.limits import BodyLimits, limit_bodies
from appliance.http.openapi_errors import document_errors
from appliance.http.pages import STATIC, PublicController
from appliance.http.serving import ServerLimits
from appliance.jobs.controller import DeviceJobsController, JobsController
from appliance.knowledge.controller import KnowledgeController, PublicKnowledgeController
from appliance.queue.controller import (
    DisplayController,
    StationController,
    TicketController,
    WindowController,
)
from appliance.ratings.controller import RatingController, RatingDeviceController
from appliance.settings import Settings
from appliance.staff.controller import AuthController, BoardController, StaffController
from appliance.uplink.controller import SyncController
from appliance.wiring import Services, build_services
from appliance.workers import SERVER_WORKERS, BackgroundWorker

CONTROLLERS = [
    PublicController,
    DisplayController,
    TicketController,
    WindowController,
    StationController,
    AuthController,
    StaffController,
    BoardController,
    AlertController,
    JobsController,
    DeviceJobsController,
    DeviceController,
    DeviceStatesController,
    SyncController,
    CatalogueController,
    CaseController,
    CaseNoticeDeviceController,
    CaseQueryController,
    ContactController,
    ConsultationController,
    DelegationController,
    KnowledgeController,
    PublicKnowledgeController,
    RatingController,
    RatingDeviceController,
    ArchiveController,
    DeskController,
    ComplaintController,
    FigureController,
    FaultController,
    EmergencyController,
    AppointmentController,
    OutageController,
    PublicAppointmentController,
]


SCHEMA_PATH = "/schema"


def _provide(value: Any) -> Provide:
    return Provide(lambda: value, sync_to_thread=False)


def _version() -> str:
    try:
        return version("yizhan")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0"


def body_limits(settings: Settings) -> BodyLimits:
    """Size, nesting and time bounds of a request body (``appliance.http.limits``)."""
    return BodyLimits(
        max_bytes=settings.http_max_body_bytes,
        max_depth=settings.http_max_json_depth,
        body_timeout=settings.http_body_timeout_s,
    )


def server_limits(settings: Settings) -> ServerLimits:
    """Header and body timeouts and connection limits of ``yizhan serve``."""
    return ServerLimits(
        header_timeout=settings.http_header_timeout_s,
        body_timeout=settings.http_body_timeout_s,
        max_per_client=settings.http_max_connections_per_client,
        max_connections=settings.http_max_connections,
    )


def openapi_config(title: str) -> OpenAPIConfig:
    """The OpenAPI document at ``/schema`` and ``/schema/openapi.json`` (JSON; no web UI,
    which would need a CDN the station cannot reach). Public, like the pages."""
    return OpenAPIConfig(
        title=title,
        version=_version(),
        path=SCHEMA_PATH,
        render_plugins=[JsonRenderPlugin()],
        openapi_router=Router(
            SCHEMA_PATH, route_handlers=[], opt={"public": True}, include_in_schema=False
        ),
        use_handler_docstrings=True,
    )


def create_app(
    settings: Settings,
    clock: Clock | None = None,
    services: Services | None = None,
    workers: list[BackgroundWorker] | None = None,
) -> Litestar:
    services = services or build_services(settings, clock)
    stop = threading.Event()
    threads: list[threading.Thread] = []
    all_workers = [*SERVER_WORKERS, *(workers or [])]

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

    dependencies = {name: _provide(value) for name, value in services.by_name().items()}
    dependencies["principal"] = Provide(provide_principal, sync_to_thread=False)
    app = Litestar(
        route_handlers=[
            *CONTROLLERS,
            create_static_files_router("/static", [STATIC], opt={"public": True}),
        ],
        guards=[role_guard],
        middleware=[limit_bodies(body_limits(settings))],
        request_max_body_size=settings.http_max_body_bytes,
        dependencies=dependencies,
        exception_handlers=EXCEPTION_HANDLERS,
        on_startup=[start_workers],
        on_shutdown=[stop_workers],
        openapi_config=openapi_config("驿站 站点服务器 API"),
    )
    app.state.services = services
    document_errors(app)  # every refusal, in the one error shape, in /schema
    return app


__all__ = ["body_limits", "create_app", "openapi_config", "server_limits"]
