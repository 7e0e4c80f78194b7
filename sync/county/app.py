"""``create_county_app()``: the county server's sync endpoints, wired from settings.

Every route declares who may call it: ``opt={"public": True}``, ``opt={"station": "batch"}``
(the signed batch header authenticates inside the inbox), ``opt={"station": "signed"}``
(down-sync: signed request headers, see ``station_auth``) or ``opt={"roles": {...}}``
(dashboard; fail closed until the dashboard adds its login). A route that says none is refused.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeAlias

import msgspec
from litestar import Controller, Litestar, Request, Response, Router, get, post
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency, Provide
from litestar.handlers.base import BaseRouteHandler
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.params import FromPath, JSONBody, Parameter, RawBody

from appliance.core.clock import Clock
from appliance.core.errors import DomainError, NotAllowed
from appliance.core.text import SQLITE_INT_MAX, Code
from appliance.http.limits import BodyLimits, limit_bodies
from appliance.http.openapi_errors import document_errors
from appliance.http.serving import ServerLimits
from sync.county.archive_upload import receive_chunk
from sync.county.dashboard import dashboard_route_handlers, is_dashboard_route
from sync.county.enrolment import EnrolmentReply, enrol
from sync.county.errors import EXCEPTION_HANDLERS
from sync.county.ingest import IncomingBatch, ingest_batch
from sync.county.models import Station
from sync.county.reference import reference_page, reference_snapshot
from sync.county.services import CountyServices, build_county_services
from sync.county.settings import CountySettings
from sync.county.station_auth import authenticate_station
from sync.protocol import (
    BATCH_HEADER,
    KEY_ID_HEADER,
    PROTOCOL_VERSION,
    SIGNATURE_HEADER,
    STATION_HEADER,
    AckReply,
    ArchiveUploadReply,
    BatchRejected,
    ReferencePage,
)

ServicesDep: TypeAlias = NamedDependency[CountyServices]
StationDep: TypeAlias = NamedDependency[Station]


def county_guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    opt = handler.opt
    if opt.get("public") or opt.get("station") == "batch" or is_dashboard_route(opt):
        return  # dashboard routes check the login session and role themselves
    if opt.get("station") == "signed":
        services: CountyServices = connection.app.state.services
        h = connection.headers
        connection.state.station = authenticate_station(
            services,
            h.get(STATION_HEADER),
            h.get(KEY_ID_HEADER),
            h.get(SIGNATURE_HEADER),
            connection.url.path,
            dict(connection.query_params),
        )
        return
    raise NotAllowed("该接口未配置访问权限", "no_policy")


def _address(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "unknown"


def provide_station(request: Request[Any, Any, Any]) -> Station:
    station: Station = request.state.station
    return station


class EnrolRequest(msgspec.Struct, frozen=True, kw_only=True):
    """入网: the one-time code, and the station's id and Ed25519 public key."""

    code: Code
    station_id: Code
    public_key: Annotated[str, msgspec.Meta(max_length=200)]


class CountyHealth(msgspec.Struct, frozen=True, kw_only=True):
    """The county answers: its protocol version, batch size limit and signing key id."""

    status: str
    protocol: int
    max_batch_bytes: int
    county_key_id: str


class SignedPage(msgspec.Struct, frozen=True, kw_only=True):
    """A reference page (or snapshot) and the county key's signature over its canonical bytes."""

    page: ReferencePage
    signature: str


def _signed(services: CountyServices, page: ReferencePage) -> SignedPage:
    """The county key signs the page's canonical bytes."""
    return SignedPage(page=page, signature=services.keys.sign(page.to_bytes()))


class SyncController(Controller):
    path = "/sync/v1"

    @get("/health", opt={"public": True}, sync_to_thread=False)
    def health(self, services: ServicesDep) -> CountyHealth:
        return CountyHealth(
            status="ok",
            protocol=PROTOCOL_VERSION,
            max_batch_bytes=services.settings.max_batch_bytes,
            county_key_id=services.keys.key_id,
        )

    @post("/enrol", opt={"public": True}, status_code=200, sync_to_thread=True)
    def enrol(
        self, request: Request[Any, Any, Any], data: JSONBody[EnrolRequest], services: ServicesDep
    ) -> EnrolmentReply:
        """入网 with a one-time code; wrong codes count as refusals of the address."""
        address = _address(request)
        services.refusals.check(address)
        try:
            return enrol(services, data.code, data.station_id, data.public_key)
        except DomainError as exc:
            services.refusals.record(address, exc.code)
            raise

    @post("/batches", opt={"station": "batch"}, status_code=200, sync_to_thread=True)
    def batches(
        self, request: Request[Any, Any, Any], body: RawBody, services: ServicesDep
    ) -> AckReply:
        """Up-sync: a signed, gzipped batch of events (JSON Lines); see ``sync.protocol``.
        An address whose batches keep being refused is answered 429 (``refusals``)."""
        address = _address(request)
        services.refusals.check(address)
        length = request.headers.get("content-length")
        batch = IncomingBatch(
            header_b64=request.headers.get(BATCH_HEADER),
            signature=request.headers.get(SIGNATURE_HEADER),
            body=body,
            content_length=int(length) if length and length.isdigit() else None,
        )
        try:
            return ingest_batch(services, batch)
        except (BatchRejected, DomainError) as exc:
            services.refusals.record(address, exc.code)
            raise

    @post(
        "/archives/{archive_no:str}", opt={"station": "batch"}, status_code=200, sync_to_thread=True
    )
    def archive(
        self,
        request: Request[Any, Any, Any],
        archive_no: FromPath[str],
        body: RawBody,
        services: ServicesDep,
    ) -> ArchiveUploadReply:
        """一事一档: one chunk of an archive package, signed like a down-sync request; the
        county checks the whole against its ``archive.built`` digest (``archive_upload``)."""
        address = _address(request)
        services.refusals.check(address)
        h = request.headers
        signed = {
            "station": h.get(STATION_HEADER),
            "key_id": h.get(KEY_ID_HEADER),
            "signature": h.get(SIGNATURE_HEADER),
        }
        query = dict(request.query_params)
        try:
            return receive_chunk(services, signed, request.url.path, query, archive_no, body)
        except DomainError as exc:
            services.refusals.record(address, exc.code)
            raise

    @get("/reference", opt={"station": "signed"}, sync_to_thread=True)
    def reference(
        self,
        services: ServicesDep,
        station: StationDep,
        since: Annotated[int, Parameter(ge=0, le=SQLITE_INT_MAX)] = 0,
        limit: Annotated[int | None, Parameter(ge=1, le=100_000)] = None,
    ) -> SignedPage:
        """Down-sync: reference rows newer than ``since``, signed by the county key."""
        return _signed(services, reference_page(services, since, limit))

    @get("/snapshot", opt={"station": "signed"}, sync_to_thread=True)
    def snapshot(self, services: ServicesDep, station: StationDep) -> SignedPage:
        """Down-sync from scratch: every live reference row, signed by the county key."""
        return _signed(services, reference_snapshot(services))

    @get(
        "/updates/{name:str}",
        opt={"station": "signed"},
        media_type="application/octet-stream",
        sync_to_thread=True,
    )
    def update_bundle(
        self,
        services: ServicesDep,
        station: StationDep,
        name: FromPath[str],
        offset: Annotated[int, Parameter(ge=0, le=SQLITE_INT_MAX)] = 0,
        length: Annotated[int, Parameter(ge=1, le=4 * 1024 * 1024)] = 1024 * 1024,
    ) -> Response[bytes]:
        """A chunk of a published update bundle (升级包, sync/county/updates.py)."""
        from sync.county.updates import bundle_chunk

        data = bundle_chunk(services, name, offset, length)
        return Response(data, media_type="application/octet-stream")


SCHEMA_PATH = "/schema"
TOO_LARGE = "批次过大，超过县级中心的接收上限，请拆小后重发"


def county_body_limits(settings: CountySettings) -> BodyLimits:
    """Size, nesting and time bounds of a request body (``appliance.http.limits``)."""
    return BodyLimits(
        max_bytes=settings.max_batch_bytes,
        max_depth=settings.http_max_json_depth,
        body_timeout=settings.http_body_timeout_s,
        too_large=TOO_LARGE,
    )


def county_server_limits(settings: CountySettings) -> ServerLimits:
    """Header and body timeouts and connection limits of ``yizhan county serve``."""
    return ServerLimits(
        header_timeout=settings.http_header_timeout_s,
        body_timeout=settings.http_body_timeout_s,
        max_per_client=settings.http_max_connections_per_client,
        max_connections=settings.http_max_connections,
    )


def openapi_config() -> OpenAPIConfig:
    """The OpenAPI document at ``/schema`` and ``/schema/openapi.json`` (JSON, public)."""
    return OpenAPIConfig(
        title="驿站 县级中心 API",
        version=f"sync/v{PROTOCOL_VERSION}",
        path=SCHEMA_PATH,
        render_plugins=[JsonRenderPlugin()],
        openapi_router=Router(
            SCHEMA_PATH, route_handlers=[], opt={"public": True}, include_in_schema=False
        ),
        use_handler_docstrings=True,
    )


def create_county_app(
    settings: CountySettings,
    clock: Clock | None = None,
    services: CountyServices | None = None,
) -> Litestar:
    services = services or build_county_services(settings, clock)
    app = Litestar(
        route_handlers=[SyncController, *dashboard_route_handlers(settings)],
        guards=[county_guard],
        dependencies={
            "services": Provide(lambda: services, sync_to_thread=False),
            "station": Provide(provide_station, sync_to_thread=False),
        },
        exception_handlers=EXCEPTION_HANDLERS,
        middleware=[limit_bodies(county_body_limits(settings))],
        request_max_body_size=settings.max_batch_bytes,
        on_shutdown=[services.close],
        openapi_config=openapi_config(),
    )
    app.state.services = services
    document_errors(app, html_prefix="/dashboard")  # every refusal, in /schema
    return app


__all__ = ["county_body_limits", "county_server_limits", "create_county_app"]
