"""Read-only dashboard pages and exports: thin handlers that call ``views`` and render."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, MediaType, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import Parameter
from litestar.response import Redirect

from sync.county.admins import AdminPrincipal
from sync.county.dashboard import views
from sync.county.dashboard.auth import VIEWER
from sync.county.dashboard.common import local_date
from sync.county.dashboard.exports import to_csv, to_xlsx
from sync.county.dashboard.figures import DEFAULT_DAYS
from sync.county.dashboard.render import render
from sync.county.services import CountyServices

READ = {"dashboard": VIEWER}
HTML = MediaType.HTML
CSV = "text/csv"  # Litestar appends "; charset=utf-8" to text/* itself
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Services = NamedDependency[CountyServices]
Days = Annotated[int, Parameter(ge=1, le=366, description="统计天数（1–366）")]


def admin_of(request: Request[Any, Any, Any]) -> AdminPrincipal:
    admin: AdminPrincipal = request.state.admin
    return admin


def _download(content: bytes, media_type: str, filename: str) -> Response[bytes]:
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


class PagesController(Controller):
    """站点健康、电子监察、回访与投诉、统计、隔离与冲突 (read-only)."""

    @get("/", opt=READ, media_type=HTML, sync_to_thread=False)
    def home(self) -> Redirect:
        return Redirect("/dashboard/health", status_code=303)

    @get("/health", opt=READ, media_type=HTML, sync_to_thread=True)
    def health(self, request: Request[Any, Any, Any], services: Services) -> Response[str]:
        return render(
            "health.html", admin_of(request), page="health", **views.health_page(services)
        )

    @get("/oversight", opt=READ, media_type=HTML, sync_to_thread=True)
    def oversight(self, request: Request[Any, Any, Any], services: Services) -> Response[str]:
        return render(
            "oversight.html", admin_of(request), page="oversight", **views.oversight_page(services)
        )

    @get("/followups", opt=READ, media_type=HTML, sync_to_thread=True)
    def followups(self, request: Request[Any, Any, Any], services: Services) -> Response[str]:
        return render(
            "followups.html", admin_of(request), page="followups", **views.followups_page(services)
        )

    @get("/figures", opt=READ, media_type=HTML, sync_to_thread=True)
    def figures(
        self, request: Request[Any, Any, Any], services: Services, days: Days = DEFAULT_DAYS
    ) -> Response[str]:
        return render(
            "figures.html", admin_of(request), page="figures", **views.figures_page(services, days)
        )

    @get("/quarantine", opt=READ, media_type=HTML, sync_to_thread=True)
    def quarantine(self, request: Request[Any, Any, Any], services: Services) -> Response[str]:
        return render(
            "quarantine.html",
            admin_of(request),
            page="quarantine",
            message=None,
            error=None,
            **views.quarantine_page(services),
        )


class ExportController(Controller):
    """导出: CSV (UTF-8 BOM) and XLSX of the station health table and the figures."""

    path = "/export"

    @get("/health.csv", opt=READ, media_type=CSV, sync_to_thread=True)
    def health_csv(self, services: Services) -> Response[bytes]:
        name = f"station-health-{local_date(services.clock.now())}.csv"
        return _download(to_csv(views.health_sheet(services)), CSV, name)

    @get("/health.xlsx", opt=READ, media_type=XLSX, sync_to_thread=True)
    def health_xlsx(self, services: Services) -> Response[bytes]:
        name = f"station-health-{local_date(services.clock.now())}.xlsx"
        return _download(to_xlsx([views.health_sheet(services)]), XLSX, name)

    @get("/figures.csv", opt=READ, media_type=CSV, sync_to_thread=True)
    def figures_csv(self, services: Services, days: Days = DEFAULT_DAYS) -> Response[bytes]:
        summary = views.figure_sheets(services, days)[0]
        name = f"figures-{local_date(services.clock.now())}.csv"
        return _download(to_csv(summary), CSV, name)

    @get("/figures-daily.csv", opt=READ, media_type=CSV, sync_to_thread=True)
    def figures_daily_csv(self, services: Services, days: Days = DEFAULT_DAYS) -> Response[bytes]:
        daily = views.figure_sheets(services, days)[1]
        name = f"figures-daily-{local_date(services.clock.now())}.csv"
        return _download(to_csv(daily), CSV, name)

    @get("/figures-cases.csv", opt=READ, media_type=CSV, sync_to_thread=True)
    def figures_cases_csv(self, services: Services, days: Days = DEFAULT_DAYS) -> Response[bytes]:
        states = views.figure_sheets(services, days)[2]
        name = f"figures-cases-{local_date(services.clock.now())}.csv"
        return _download(to_csv(states), CSV, name)

    @get("/figures.xlsx", opt=READ, media_type=XLSX, sync_to_thread=True)
    def figures_xlsx(self, services: Services, days: Days = DEFAULT_DAYS) -> Response[bytes]:
        name = f"figures-{local_date(services.clock.now())}.xlsx"
        return _download(to_xlsx(views.figure_sheets(services, days)), XLSX, name)
