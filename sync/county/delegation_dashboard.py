"""帮办代办 at the county (R-D1, R-D2): the open delegations per station, from the
``delegation_fact`` projection of the stations' delegation events.

Per station: 代办 in hand, of those suspended (中止) and past their 委托期限 (judged on the
county's Beijing day), 帮办 in hand, and what was completed this month. No applicant, no
content: the page and its CSV/XLSX export count, they do not name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from litestar import Controller, MediaType, Request, Response, get
from litestar.di import NamedDependency
from sqlmodel import Session, col, select

from appliance.documents.exports import CSV_MEDIA, XLSX_MEDIA, Sheet, to_csv, to_xlsx
from sync.county.dashboard.auth import VIEWER
from sync.county.dashboard.common import BEIJING, local_date
from sync.county.dashboard.pages import admin_of
from sync.county.dashboard.render import render
from sync.county.delegation_models import DelegationFact
from sync.county.models import Station
from sync.county.services import CountyServices

READ = {"dashboard": VIEWER}
HEADERS = ("站点", "站点编码", "在办代办", "其中已中止", "超过委托期限", "在办帮办", "本月办结")

Services = NamedDependency[CountyServices]


@dataclass(frozen=True)
class StationDelegations:
    """One station's line of the panel."""

    station_id: str
    station_name: str
    delegations_open: int
    suspended: int
    overdue: int
    help_open: int
    completed_this_month: int


def delegation_panel(s: Session, now: datetime) -> list[StationDelegations]:
    """Every station with its open 代办 and 帮办 (stations with none show zeros)."""
    today = now.astimezone(BEIJING).date()
    month_start = today.replace(day=1)
    stations = {st.id: st.name for st in s.exec(select(Station).order_by(col(Station.id)))}
    facts = s.exec(
        select(DelegationFact).where(
            col(DelegationFact.status).in_(["active", "suspended"])
            | (col(DelegationFact.completed_on) >= month_start)
        )
    ).all()
    lines = []
    for sid in sorted(set(stations) | {f.station_id for f in facts}):
        mine = [f for f in facts if f.station_id == sid]
        open_ = [f for f in mine if f.status in ("active", "suspended")]
        agents = [f for f in open_ if f.kind == "delegate"]
        lines.append(
            StationDelegations(
                station_id=sid,
                station_name=stations.get(sid, sid),
                delegations_open=len(agents),
                suspended=sum(1 for f in agents if f.status == "suspended"),
                overdue=sum(
                    1
                    for f in agents
                    if f.status == "active" and f.period_end is not None and f.period_end < today
                ),
                help_open=sum(1 for f in open_ if f.kind == "help"),
                completed_this_month=sum(1 for f in mine if f.status == "completed"),
            )
        )
    return lines


def _sheet(lines: list[StationDelegations]) -> Sheet:
    return Sheet(
        "各站点帮办代办",
        HEADERS,
        [
            (
                x.station_name,
                x.station_id,
                x.delegations_open,
                x.suspended,
                x.overdue,
                x.help_open,
                x.completed_this_month,
            )
            for x in lines
        ],
    )


def _download(content: bytes, media_type: str, filename: str) -> Response[bytes]:
    headers = {
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    }
    return Response(content, media_type=media_type, headers=headers)


class DelegationsController(Controller):
    """帮办代办: open delegations per station (read-only), with exports."""

    @get("/delegations", opt=READ, media_type=MediaType.HTML, sync_to_thread=True)
    def delegations(self, request: Request[Any, Any, Any], services: Services) -> Response[str]:
        with services.db.snapshot() as s:
            lines = delegation_panel(s, services.clock.now())
        return render(
            "delegations.html",
            admin_of(request),
            page="delegations",
            lines=lines,
            total_open=sum(x.delegations_open for x in lines),
            total_suspended=sum(x.suspended for x in lines),
            total_overdue=sum(x.overdue for x in lines),
            total_help=sum(x.help_open for x in lines),
        )

    @get("/export/delegations.csv", opt=READ, media_type=CSV_MEDIA, sync_to_thread=True)
    def delegations_csv(self, services: Services) -> Response[bytes]:
        """The panel as CSV (UTF-8 BOM)."""
        with services.db.snapshot() as s:
            lines = delegation_panel(s, services.clock.now())
        name = f"delegations-{local_date(services.clock.now())}.csv"
        return _download(to_csv(_sheet(lines), BEIJING), CSV_MEDIA, name)

    @get("/export/delegations.xlsx", opt=READ, media_type=XLSX_MEDIA, sync_to_thread=True)
    def delegations_xlsx(self, services: Services) -> Response[bytes]:
        with services.db.snapshot() as s:
            lines = delegation_panel(s, services.clock.now())
        name = f"delegations-{local_date(services.clock.now())}.xlsx"
        return _download(to_xlsx([_sheet(lines)], BEIJING), XLSX_MEDIA, name)
