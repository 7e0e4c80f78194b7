"""Login/logout and the county admin's actions: publish, force a backlog, resolve, revoke."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.datastructures import Cookie, UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath, MultipartBody, URLEncodedBody
from litestar.response import Redirect

from appliance.core.errors import DomainError, NotFound, Unauthenticated
from sync.county.admins import authenticate_admin
from sync.county.dashboard import views
from sync.county.dashboard.auth import ADMIN, COOKIE, PUBLIC, SESSION_SECONDS, SessionStore
from sync.county.dashboard.common import PREFIX
from sync.county.dashboard.pages import admin_of
from sync.county.dashboard.publish import (
    HOLIDAY_KINDS,
    Published,
    publish_catalogue,
    publish_holidays,
    publish_knowledge,
    publish_staff,
)
from sync.county.dashboard.render import render
from sync.county.enrolment import revoke_station
from sync.county.ingest import force_backlog
from sync.county.services import CountyServices
from sync.county.status import resolve_quarantine

WRITE = {"dashboard": ADMIN}
HTML = MediaType.HTML
TABLE_LABELS = {
    "catalogue": "事项目录",
    "holiday": "节假日安排",
    "staff": "站点人员名单",
    "knowledge": "知识库",
}


@dataclass
class LoginForm:
    username: str
    password: str


@dataclass
class UploadForm:
    file: UploadFile
    station_id: str = ""


Form = URLEncodedBody[LoginForm]
Upload = MultipartBody[UploadForm]
Services = NamedDependency[CountyServices]
Sessions = NamedDependency[SessionStore]


def _cookie(value: str, max_age: int) -> Cookie:
    return Cookie(
        key=COOKIE, value=value, path=PREFIX, httponly=True, samesite="strict", max_age=max_age
    )


class AuthController(Controller):
    """登录 / 退出."""

    @get("/login", opt={"dashboard": PUBLIC}, media_type=HTML, sync_to_thread=False)
    def login_form(self) -> Response[str]:
        return render("login.html", error=None, username="")

    @post("/login", opt={"dashboard": PUBLIC}, media_type=HTML, sync_to_thread=True)
    def login(self, data: Form, services: Services, sessions: Sessions) -> Response[Any]:
        try:
            admin = authenticate_admin(services, data.username.strip(), data.password)
        except Unauthenticated as exc:
            return render("login.html", status=401, error=exc.message, username=data.username)
        token = sessions.create(admin.id)
        return Redirect(
            f"{PREFIX}/health", status_code=303, cookies=[_cookie(token, SESSION_SECONDS)]
        )

    @post("/logout", opt={"dashboard": PUBLIC}, media_type=HTML, sync_to_thread=False)
    def logout(self, request: Request[Any, Any, Any], sessions: Sessions) -> Redirect:
        sessions.drop(request.cookies.get(COOKIE))
        return Redirect(f"{PREFIX}/login", status_code=303, cookies=[_cookie("", 0)])


def _publish_page(
    request: Request[Any, Any, Any],
    services: CountyServices,
    status: int = 200,
    result: Published | None = None,
    error: str | None = None,
    table: str | None = None,
) -> Response[str]:
    return render(
        "publish.html",
        admin_of(request),
        status=status,
        page="publish",
        result=result,
        error=error,
        error_table=table,
        table_labels=TABLE_LABELS,
        kinds=HOLIDAY_KINDS,
        stations=views.station_choices(services),
    )


class AdminController(Controller):
    """发布 and the other county-admin writes; a viewer gets 403."""

    @get("/publish", opt={"dashboard": "viewer"}, media_type=HTML, sync_to_thread=True)
    def publish_form(self, request: Request[Any, Any, Any], services: Services) -> Response[str]:
        return _publish_page(request, services)

    def _publish(
        self,
        request: Request[Any, Any, Any],
        services: CountyServices,
        table: str,
        data: UploadForm,
    ) -> Response[str]:
        raw = data.file.file.read()
        try:
            if table == "catalogue":
                result = publish_catalogue(services, raw)
            elif table == "holiday":
                result = publish_holidays(services, raw)
            elif table == "knowledge":
                result = publish_knowledge(services, raw)
            else:
                result = publish_staff(services, data.station_id, raw)
        except DomainError as exc:
            return _publish_page(request, services, exc.status, error=exc.message, table=table)
        return _publish_page(request, services, result=result)

    @post("/publish/catalogue", opt=WRITE, media_type=HTML, status_code=200, sync_to_thread=True)
    def post_catalogue(
        self, request: Request[Any, Any, Any], data: Upload, services: Services
    ) -> Response[str]:
        return self._publish(request, services, "catalogue", data)

    @post("/publish/holidays", opt=WRITE, media_type=HTML, status_code=200, sync_to_thread=True)
    def post_holidays(
        self, request: Request[Any, Any, Any], data: Upload, services: Services
    ) -> Response[str]:
        return self._publish(request, services, "holiday", data)

    @post("/publish/knowledge", opt=WRITE, media_type=HTML, status_code=200, sync_to_thread=True)
    def post_knowledge(
        self, request: Request[Any, Any, Any], data: Upload, services: Services
    ) -> Response[str]:
        """知识库 (R-C3): every station takes the entries in at its next sync."""
        return self._publish(request, services, "knowledge", data)

    @post("/publish/staff", opt=WRITE, media_type=HTML, status_code=200, sync_to_thread=True)
    def post_staff(
        self, request: Request[Any, Any, Any], data: Upload, services: Services
    ) -> Response[str]:
        return self._publish(request, services, "staff", data)

    @post(
        "/stations/{station_id:str}/force-backlog",
        opt=WRITE,
        media_type=HTML,
        status_code=200,
        sync_to_thread=True,
    )
    def force(
        self, request: Request[Any, Any, Any], station_id: FromPath[str], services: Services
    ) -> Response[str]:
        message, error = None, None
        try:
            count = force_backlog(services, station_id)
            message = f"已强制处理站点 {station_id} 的积压：{count} 条记录已入账"
        except DomainError as exc:
            error = exc.message
        return render(
            "quarantine.html",
            admin_of(request),
            status=200 if error is None else 409,
            page="quarantine",
            message=message,
            error=error,
            **views.quarantine_page(services),
        )

    @post("/quarantine/{item_id:str}/resolve", opt=WRITE, media_type=HTML, sync_to_thread=True)
    def resolve(
        self, request: Request[Any, Any, Any], item_id: FromPath[str], services: Services
    ) -> Redirect:
        """Mark a quarantined record resolved (any id that is not one is the page's 404)."""
        number = int(item_id) if item_id.isascii() and item_id.isdigit() else 0
        if not 0 < number < 2**63:
            raise NotFound("找不到该隔离记录", "unknown_quarantine")
        resolve_quarantine(services, number, admin_of(request).username)
        return Redirect(f"{PREFIX}/quarantine", status_code=303)

    @post("/stations/{station_id:str}/revoke", opt=WRITE, media_type=HTML, sync_to_thread=True)
    def revoke(self, station_id: FromPath[str], services: Services) -> Redirect:
        revoke_station(services, station_id)
        return Redirect(f"{PREFIX}/health", status_code=303)
