"""咨询台账 at the county (R-C2): open and overdue consultations per station, from the
``consultation_fact`` projection of the stations' consultation events.

An entry is overdue (逾期未答复) when it is still open after its agreed reply date, judged
on the county's (Beijing) day, or when its station said so (``consultation.overdue``). The
page and its CSV/XLSX export carry no question text and nothing personal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
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
from sync.county.models import Station
from sync.county.projections import ConsultationFact
from sync.county.services import CountyServices

READ = {"dashboard": VIEWER}
CHANNEL_LABELS = {
    "onsite": "现场",
    "phone": "电话",
    "online": "网上",
    "letter": "信函",
    "email": "电子邮件",
}
PANEL_HEADERS = ("站点", "站点编码", "待答复", "逾期未答复", "最早约定答复日期")
OVERDUE_HEADERS = ("站点", "咨询编号", "咨询方式", "咨询日期", "约定答复日期", "逾期天数")

Services = NamedDependency[CountyServices]


@dataclass(frozen=True)
class StationConsultations:
    """One station's line of the panel."""

    station_id: str
    station_name: str
    open: int
    overdue: int
    earliest_due: date | None


@dataclass(frozen=True)
class OverdueConsultation:
    station_id: str
    station_name: str
    number: str
    channel_label: str
    asked_on: date | None
    reply_due: date
    days_late: int


def is_overdue(fact: ConsultationFact, today: date) -> bool:
    late = fact.reply_due is not None and fact.reply_due < today
    return fact.status == "open" and (late or fact.overdue_reported)


def consultation_panel(
    s: Session, now: datetime
) -> tuple[list[StationConsultations], list[OverdueConsultation]]:
    """Every station with its open and overdue consultations; the overdue ones, oldest due first."""
    today = now.astimezone(BEIJING).date()
    stations = {st.id: st.name for st in s.exec(select(Station).order_by(col(Station.id)))}
    open_facts = s.exec(select(ConsultationFact).where(ConsultationFact.status == "open")).all()
    lines = []
    for sid in sorted(set(stations) | {f.station_id for f in open_facts}):
        mine = [f for f in open_facts if f.station_id == sid]
        dues = [f.reply_due for f in mine if f.reply_due is not None]
        lines.append(
            StationConsultations(
                sid,
                stations.get(sid, sid),
                len(mine),
                sum(1 for f in mine if is_overdue(f, today)),
                min(dues) if dues else None,
            )
        )
    overdue = [
        OverdueConsultation(
            f.station_id,
            stations.get(f.station_id, f.station_id),
            f.number,
            CHANNEL_LABELS.get(f.channel, f.channel),
            f.asked_on,
            f.reply_due or today,
            max((today - f.reply_due).days, 0) if f.reply_due else 0,
        )
        for f in open_facts
        if is_overdue(f, today)
    ]
    overdue.sort(key=lambda o: (o.reply_due, o.station_id, o.number))
    return lines, overdue


def consultation_sheets(svc: CountyServices) -> list[Sheet]:
    with svc.db.snapshot() as s:
        lines, overdue = consultation_panel(s, svc.clock.now())
    return [
        Sheet(
            "各站点咨询",
            PANEL_HEADERS,
            [(x.station_name, x.station_id, x.open, x.overdue, x.earliest_due) for x in lines],
        ),
        Sheet(
            "逾期未答复",
            OVERDUE_HEADERS,
            [
                (o.station_name, o.number, o.channel_label, o.asked_on, o.reply_due, o.days_late)
                for o in overdue
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


class ConsultationsController(Controller):
    """咨询台账: open and overdue consultations per station (read-only), with exports."""

    @get("/consultations", opt=READ, media_type=MediaType.HTML, sync_to_thread=True)
    def consultations(self, request: Request[Any, Any, Any], services: Services) -> Response[str]:
        with services.db.snapshot() as s:
            lines, overdue = consultation_panel(s, services.clock.now())
        return render(
            "consultations.html",
            admin_of(request),
            page="consultations",
            lines=lines,
            overdue=overdue,
            total_open=sum(x.open for x in lines),
            total_overdue=sum(x.overdue for x in lines),
        )

    @get("/export/consultations.csv", opt=READ, media_type=CSV_MEDIA, sync_to_thread=True)
    def consultations_csv(
        self, services: Services, which: Annotated[int, Parameter(ge=0, le=1)] = 0
    ) -> Response[bytes]:
        """The panel (``which=0``) or the overdue list (``which=1``) as CSV (UTF-8 BOM)."""
        sheet = consultation_sheets(services)[which]
        name = f"consultations-{local_date(services.clock.now())}.csv"
        return _download(to_csv(sheet, BEIJING), CSV_MEDIA, name)

    @get("/export/consultations.xlsx", opt=READ, media_type=XLSX_MEDIA, sync_to_thread=True)
    def consultations_xlsx(self, services: Services) -> Response[bytes]:
        name = f"consultations-{local_date(services.clock.now())}.xlsx"
        return _download(to_xlsx(consultation_sheets(services), BEIJING), XLSX_MEDIA, name)
