"""统计 API (R-M1, R-M3): the station head reads the figures of any period and exports them
as CSV or XLSX with Chinese headers."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.params import Parameter

from appliance.core.roles import MANAGER_ROLES
from appliance.documents.exports import CSV_MEDIA, XLSX_MEDIA, ExportFile
from appliance.figures.schemas import FiguresView, HeadHomeView
from appliance.figures.service.figures import FigureService

HEAD = {"roles": MANAGER_ROLES}

Figures = NamedDependency[FigureService]
Start = Annotated[date | None, Parameter(description="起始日期（含），默认结束日期前 30 天")]
End = Annotated[date | None, Parameter(description="结束日期（含），默认今天")]
Period = Annotated[
    str, Parameter(max_length=8, description="day 按日 · week 按周 · month 按月 · all 全期")
]
By = Annotated[
    str,
    Parameter(max_length=10, description="all 全站 · category 业务类别 · staff 人员 · item 事项"),
]


def download(file: ExportFile) -> Response[bytes]:
    return Response(file.content, media_type=file.media_type, headers=file.headers())


class FigureController(Controller):
    path = "/api/figures"

    @get("/", opt=HEAD, sync_to_thread=True)
    def figures(
        self,
        figures: Figures,
        start: Start = None,
        end: End = None,
        period: Period = "all",
        by: By = "all",
    ) -> FiguresView:
        """统计: the figures of the period, by day, week or month and by category, staff
        member or item."""
        return figures.figures(start, end, period, by)

    @get("/home", opt=HEAD, sync_to_thread=True)
    def home(self, figures: Figures) -> HeadHomeView:
        """站长首页: today's figures, the queue per hour, the trend, open follow-ups and
        complaints."""
        return figures.home()

    @get("/export.csv", opt=HEAD, media_type=CSV_MEDIA, sync_to_thread=True)
    def export_csv(
        self, figures: Figures, start: Start = None, end: End = None, period: Period = "day"
    ) -> Response[bytes]:
        """导出统计报表 (CSV, UTF-8 with BOM)."""
        return download(figures.export(start, end, "csv", period))

    @get("/export.xlsx", opt=HEAD, media_type=XLSX_MEDIA, sync_to_thread=True)
    def export_xlsx(
        self, figures: Figures, start: Start = None, end: End = None, period: Period = "day"
    ) -> Response[bytes]:
        """导出统计报表 (XLSX: 全站, 按业务类别, 按工作人员, 按事项)."""
        return download(figures.export(start, end, "xlsx", period))
