"""站点健康: one row per station for the dashboard's health table and its exports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from sync.county.dashboard.common import fmt_time
from sync.county.models import Quarantine, Station, StationProgress
from sync.county.projections import DeviceState

FRESH = timedelta(minutes=10)  # synced this recently: green
STALE = timedelta(hours=24)  # not synced for this long: red
PRINTERS = ("printer.receipt", "printer.notice")
# Which printer a chip is about: both report "打印机就绪", so the chip names the device.
DEVICE_NAMES = {"printer.receipt": "小票", "printer.notice": "A4"}
MODEM = "modem"
HARDWARE = "hwservice"  # the station's own verdict on its hardware service (心跳)
LEVEL_LABELS = {"ok": "正常", "warn": "注意", "bad": "异常", "off": "未入网"}


@dataclass(frozen=True)
class DeviceCell:
    """One device's last known state as the station reported it."""

    device: str
    state: str
    label: str
    detail: str
    changed_at: datetime

    @property
    def ready(self) -> bool:
        return self.state == "ready"

    @property
    def chip(self) -> str:
        """What the health row shows: the device's name, then its state (小票 · 打印机就绪)."""
        name = DEVICE_NAMES.get(self.device)
        text = self.label or self.device
        return f"{name} · {text}" if name else text


@dataclass(frozen=True)
class StationHealth:
    """站点健康 of one station."""

    station_id: str
    name: str
    enrolled: bool
    revoked: bool
    last_sync_at: datetime | None
    backlog: int
    gap_alert: str | None
    quarantined: int
    printers: tuple[DeviceCell, ...]
    modem: DeviceCell | None
    clock_offset_s: float | None
    last_error: str | None
    last_error_at: datetime | None
    level: str  # ok | warn | bad | off
    hardware: DeviceCell | None = None  # not ready: the other device cells read 状态未知

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level]

    @property
    def printer_text(self) -> str:
        if not self.printers:
            return "未上报"
        return "；".join(f"{p.label or p.device}（{p.state}）" for p in self.printers)

    @property
    def modem_text(self) -> str:
        return (
            "未上报"
            if self.modem is None
            else f"{self.modem.label or '短信猫'}（{self.modem.state}）"
        )


def level_of(
    now: datetime, enrolled: bool, revoked: bool, last_sync: datetime | None, backlog: int
) -> str:
    if not enrolled or revoked:
        return "off"
    if last_sync is None or now - last_sync > STALE:
        return "bad"
    if now - last_sync <= FRESH and backlog == 0:
        return "ok"
    return "warn"


def honest_devices(cells: dict[str, DeviceCell]) -> dict[str, DeviceCell]:
    """While the station reports its hardware service silent or stuck, the last states that
    service sent (打印机就绪 …) cannot be trusted: show them as 状态未知 instead."""
    hardware = cells.get(HARDWARE)
    if hardware is None or hardware.ready:
        return cells
    return {
        name: cell
        if name == HARDWARE
        else DeviceCell(
            cell.device,
            "unknown",
            f"状态未知（{hardware.label}）",
            f"最后上报：{cell.label}",
            hardware.changed_at,
        )
        for name, cell in cells.items()
    }


def station_health(s: Session, now: datetime) -> list[StationHealth]:
    """Every station, ordered by id, with its cursors, quarantine count and device states."""
    stations = list(s.exec(select(Station).order_by(col(Station.id))))
    progress = {p.station_id: p for p in s.exec(select(StationProgress))}
    quarantined = dict(
        s.execute(
            select(Quarantine.station_id, func.count())
            .where(col(Quarantine.resolved).is_(False))
            .group_by(col(Quarantine.station_id))
        ).all()
    )
    devices: dict[str, dict[str, DeviceCell]] = {}
    for d in s.exec(select(DeviceState)):
        devices.setdefault(d.station_id, {})[d.device] = DeviceCell(
            d.device, d.state, d.label, d.detail, d.changed_at
        )
    rows = []
    for st in stations:
        prog = progress.get(st.id)
        backlog = prog.backlog_count if prog else 0
        mine = honest_devices(devices.get(st.id, {}))
        hardware = mine.get(HARDWARE)
        enrolled, revoked = st.enrolled_at is not None, st.revoked_at is not None
        level = level_of(now, enrolled, revoked, st.last_batch_at, backlog)
        if hardware is not None and not hardware.ready and level in ("ok", "warn"):
            level = "bad"
        rows.append(
            StationHealth(
                station_id=st.id,
                name=st.name,
                enrolled=enrolled,
                revoked=revoked,
                last_sync_at=st.last_batch_at,
                backlog=backlog,
                gap_alert=prog.gap_alert if prog else None,
                quarantined=int(quarantined.get(st.id, 0)),
                printers=tuple(mine[p] for p in PRINTERS if p in mine),
                modem=mine.get(MODEM),
                clock_offset_s=st.clock_offset_s,
                last_error=st.last_error,
                last_error_at=st.last_error_at,
                level=level,
                hardware=hardware,
            )
        )
    return rows


HEALTH_HEADERS = (
    "站点编码",
    "站点名称",
    "状态",
    "最后同步",
    "积压事件",
    "隔离事件",
    "打印机",
    "短信猫",
    "时钟偏差（秒）",
    "最近错误",
)


def health_table(rows: list[StationHealth]) -> list[list[object]]:
    """The health rows as plain cells for CSV/XLSX (same columns as ``HEALTH_HEADERS``)."""
    return [
        [
            r.station_id,
            r.name,
            r.level_label,
            fmt_time(r.last_sync_at, "从未同步"),
            r.backlog,
            r.quarantined,
            r.printer_text,
            r.modem_text,
            round(r.clock_offset_s, 1) if r.clock_offset_s is not None else "",
            r.last_error or "",
        ]
        for r in rows
    ]
