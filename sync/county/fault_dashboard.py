"""故障台账 at the county (R-I1): open faults per station, from the ``fault_fact`` projection
of the stations' fault events, with the open faults listed (oldest first) and a CSV/XLSX
export. A level shown for an open fault is provisional (its duration so far at the station's
last event)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from litestar import Controller, MediaType, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import Parameter
from sqlmodel import Session, col, select

from appliance.documents.exports import CSV_MEDIA, XLSX_MEDIA, Sheet, to_csv, to_xlsx
from sync.county.dashboard.auth import VIEWER
from sync.county.dashboard.common import BEIJING, local_date
from sync.county.dashboard.pages import admin_of
from sync.county.dashboard.render import render
from sync.county.fault_models import FaultFact
from sync.county.models import Station
from sync.county.services import CountyServices

READ = {"dashboard": VIEWER}
KIND_LABELS = {"network": "网络故障", "system": "信息系统故障"}
SOURCE_LABELS = {
    "manual": "人工登记",
    "county": "县级中心无法连接",
    "printer.receipt": "小票打印机离线",
    "printer.notice": "A4 打印机离线",
    "modem": "短信猫离线",
    "hwservice": "硬件服务无响应",
}
PANEL_HEADERS = ("站点", "站点编码", "处理中故障", "其中 I 级", "最早发生时间")
OPEN_HEADERS = ("站点", "故障编号", "故障类别", "等级", "来源", "故障现象", "发生时间")

Services = NamedDependency[CountyServices]


@dataclass(frozen=True)
class StationFaults:
    station_id: str
    station_name: str
    open: int
    level_i: int
    earliest: datetime | None


@dataclass(frozen=True)
class OpenFault:
    station_id: str
    station_name: str
    number: str
    kind_label: str
    level: str
    source_label: str
    title: str
    opened_at: datetime | None


def fault_panel(s: Session) -> tuple[list[StationFaults], list[OpenFault]]:
    """Every station with its open faults; the open faults, oldest first."""
    stations = {st.id: st.name for st in s.exec(select(Station).order_by(col(Station.id)))}
    facts = s.exec(select(FaultFact).where(FaultFact.status == "open")).all()
    lines = []
    for sid in sorted(set(stations) | {f.station_id for f in facts}):
        mine = [f for f in facts if f.station_id == sid]
        times = [f.opened_at for f in mine if f.opened_at is not None]
        lines.append(
            StationFaults(
                sid,
                stations.get(sid, sid),
                len(mine),
                sum(1 for f in mine if f.level == "I"),
                min(times) if times else None,
            )
        )
    faults = [
        OpenFault(
            f.station_id,
            stations.get(f.station_id, f.station_id),
            f.number,
            KIND_LABELS.get(f.kind, f.kind),
            f.level,
            SOURCE_LABELS.get(f.source, f.source),
            f.title,
            f.opened_at,
        )
        for f in facts
    ]
    faults.sort(key=lambda o: (o.opened_at is None, o.opened_at, o.station_id, o.number))
    return lines, faults


def fault_sheets(svc: CountyServices) -> list[Sheet]:
    with svc.db.snapshot() as s:
        lines, faults = fault_panel(s)
    return [
        Sheet(
            "各站点故障",
            PANEL_HEADERS,
            [(x.station_name, x.station_id, x.open, x.level_i, x.earliest) for x in lines],
        ),
        Sheet(
            "处理中故障",
            OPEN_HEADERS,
            [
                (
                    o.station_name,
                    o.number,
                    o.kind_label,
                    f"{o.level}级" if o.level else "",
                    o.source_label,
                    o.title,
                    o.opened_at,
                )
                for o in faults
            ],
        ),
    ]


def _download(content: bytes, media_type: str, filename: str) -> Response[bytes]:
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


class FaultsController(Controller):
    """故障台账: open faults per station (read-only), with exports."""

    @get("/faults", opt=READ, media_type=MediaType.HTML, sync_to_thread=True)
    def faults(self, request: Request[Any, Any, Any], services: Services) -> Response[str]:
        with services.db.snapshot() as s:
            lines, faults = fault_panel(s)
        return render(
            "faults.html",
            admin_of(request),
            page="faults",
            lines=lines,
            faults=faults,
            total_open=sum(x.open for x in lines),
            total_i=sum(x.level_i for x in lines),
        )

    @get("/export/faults.csv", opt=READ, media_type=CSV_MEDIA, sync_to_thread=True)
    def faults_csv(
        self, services: Services, which: Annotated[int, Parameter(ge=0, le=1)] = 0
    ) -> Response[bytes]:
        """The panel (``which=0``) or the open faults (``which=1``) as CSV (UTF-8 BOM)."""
        sheet = fault_sheets(services)[which]
        name = f"faults-{local_date(services.clock.now())}.csv"
        return _download(to_csv(sheet, BEIJING), CSV_MEDIA, name)

    @get("/export/faults.xlsx", opt=READ, media_type=XLSX_MEDIA, sync_to_thread=True)
    def faults_xlsx(self, services: Services) -> Response[bytes]:
        name = f"faults-{local_date(services.clock.now())}.xlsx"
        return _download(to_xlsx(fault_sheets(services), BEIJING), XLSX_MEDIA, name)
