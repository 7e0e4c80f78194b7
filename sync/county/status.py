"""What the dashboard shows about sync (R-M2): station health, backlog, quarantine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlmodel import col, select

from appliance.core.errors import NotFound
from sync.county.models import Quarantine, Station, StationProgress
from sync.county.projections import DeviceState
from sync.county.services import CountyServices


@dataclass(frozen=True)
class StationHealth:
    """One station's sync health (站点运行状态)."""

    station_id: str
    name: str
    enrolled: bool
    revoked: bool
    last_batch_at: datetime | None
    last_error: str | None
    clock_offset_s: float | None
    received_through_seq: int
    applied_through_seq: int
    backlog: int
    gap_alert: str | None
    open_quarantine: int
    devices: dict[str, str]


def station_health(svc: CountyServices) -> list[StationHealth]:
    with svc.db.tx() as s:
        stations = list(s.exec(select(Station).order_by(col(Station.id))))
        progress = {p.station_id: p for p in s.exec(select(StationProgress))}
        open_q: dict[str, int] = {
            sid: int(n)
            for sid, n in s.execute(
                select(col(Quarantine.station_id), func.count())
                .where(col(Quarantine.resolved).is_(False))
                .group_by(col(Quarantine.station_id))
            )
        }
        devices: dict[str, dict[str, str]] = {}
        for d in s.exec(select(DeviceState)):
            devices.setdefault(d.station_id, {})[d.device] = d.state
    for states in devices.values():  # a silent hardware service vouches for nothing
        if states.get("hwservice", "ready") != "ready":
            states.update({k: "unknown" for k in states if k != "hwservice"})
    out = []
    for st in stations:
        p = progress.get(st.id) or StationProgress(station_id=st.id)
        out.append(
            StationHealth(
                st.id,
                st.name,
                st.enrolled_at is not None,
                st.revoked_at is not None,
                st.last_batch_at,
                st.last_error,
                st.clock_offset_s,
                p.received_through_seq,
                p.applied_through_seq,
                p.backlog_count,
                p.gap_alert,
                int(open_q.get(st.id, 0)),
                devices.get(st.id, {}),
            )
        )
    return out


def list_quarantine(
    svc: CountyServices, station_id: str | None = None, include_resolved: bool = False
) -> list[dict[str, Any]]:
    with svc.db.tx() as s:
        q = select(Quarantine)
        if station_id:
            q = q.where(col(Quarantine.station_id) == station_id)
        if not include_resolved:
            q = q.where(col(Quarantine.resolved).is_(False))
        return [r.model_dump() for r in s.exec(q.order_by(col(Quarantine.at), col(Quarantine.id)))]


def resolve_quarantine(svc: CountyServices, quarantine_id: int, by: str) -> None:
    with svc.db.tx() as s:
        done = s.execute(
            update(Quarantine)
            .where(col(Quarantine.id) == quarantine_id)
            .values(resolved=True, resolved_at=svc.clock.now(), resolved_by=by[:64])
            .returning(col(Quarantine.id))
        ).first()
        if done is None:
            raise NotFound("找不到该隔离记录", "unknown_quarantine")
