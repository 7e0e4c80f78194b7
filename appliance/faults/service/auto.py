"""Automatic fault entries (自动登记故障, R-I1): the appliance's own faults, reconciled with
the state the station already keeps.

- the county centre unreachable: ``sync_state`` says the sync agent's last rounds failed
  (:data:`COUNTY_FAILURES` in a row) — a network fault, III级 (互联网无法访问; the station
  keeps working offline);
- a printer or the modem offline: its ``device_status`` row is not ``ready`` — a system fault;
- the hardware service silent, stalled or stopped: the ``hwservice`` row the server's
  hardware watch writes — a system fault. While it is down, the printers' and the modem's
  rows are stale, so their faults are neither opened nor closed on them.

One pass opens an entry for each fault that has none open and closes each open automatic
entry whose fault has cleared, with an automatic handling step; the duration then sets a
system fault's level (HN-4 6.3.1.2). Each change is its own write transaction with its
events. The server runs a pass every ``fault_check_seconds`` (``appliance.workers``).
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from sqlmodel import Session, col, select

from appliance.core.clock import Clock
from appliance.db.database import Database
from appliance.devices.rules import HARDWARE, READY
from appliance.devices.tables import DeviceStatus
from appliance.faults.rules import (
    AUTO_KINDS,
    AUTO_STAFF,
    SOURCE_LABELS,
    ActionKind,
    FaultKind,
    FaultSource,
    FaultStatus,
    NetworkScope,
)
from appliance.faults.service.store import add_action, close_fault, open_fault
from appliance.faults.tables import FaultRecord
from appliance.uplink.tables import SYNC_STATE_ID, SyncState

COUNTY_FAILURES = 2  # consecutive failed sync rounds before the county counts as unreachable
REPORTED = (FaultSource.RECEIPT_PRINTER, FaultSource.NOTICE_PRINTER, FaultSource.MODEM)
SYSTEM: tuple[str | None, str] = (None, AUTO_STAFF)


def current_faults(s: Session) -> tuple[dict[FaultSource, str], bool]:
    """The appliance's faults now (source → what is wrong), and whether the printers' and
    the modem's reports can be trusted (the hardware service is not down)."""
    found: dict[FaultSource, str] = {}
    rows = {r.device: r for r in s.exec(select(DeviceStatus))}
    hardware = rows.get(HARDWARE)
    trusted = hardware is None or hardware.state == READY
    if not trusted and hardware is not None:
        found[FaultSource.HARDWARE] = "，".join(x for x in (hardware.label, hardware.detail) if x)
    if trusted:
        for source in REPORTED:
            row = rows.get(source.value)
            if row is not None and row.state != READY:
                found[source] = "，".join(x for x in (row.label, row.detail) if x)
    sync = s.get(SyncState, SYNC_STATE_ID)
    if sync is not None and sync.last_error and sync.failures >= COUNTY_FAILURES:
        found[FaultSource.COUNTY] = f"同步出错：{sync.last_error}"
    return found, trusted


def reconcile(db: Database, clock: Clock, tz: tzinfo) -> tuple[list[str], list[str]]:
    """One pass: (numbers opened, numbers closed)."""
    opened: list[str] = []
    closed: list[str] = []
    with db.read() as s:
        faults, trusted = current_faults(s)
        open_rows = s.exec(
            select(FaultRecord).where(
                FaultRecord.status == FaultStatus.OPEN.value,
                col(FaultRecord.source) != FaultSource.MANUAL.value,
            )
        ).all()
        open_ids = {FaultSource(r.source): r.id for r in open_rows}
    for source, detail in faults.items():
        if source not in open_ids:
            opened.append(_open(db, clock.now(), tz, source, detail))
    for source, fault_id in open_ids.items():
        cleared = source not in faults and (trusted or source not in REPORTED)
        if cleared:
            number = _close(db, clock.now(), fault_id)
            if number:
                closed.append(number)
    return opened, closed


def _open(db: Database, now: datetime, tz: tzinfo, source: FaultSource, detail: str) -> str:
    kind = AUTO_KINDS[source]
    with db.write() as s:
        row = open_fault(
            s,
            day=now.astimezone(tz).date().isoformat(),
            kind=kind,
            scope=NetworkScope.INTERNET if kind is FaultKind.NETWORK else None,
            source=source,
            title=SOURCE_LABELS[source],
            detail=detail[:300],
            staff=(None, AUTO_STAFF),
            now=now,
        )
        add_action(s, row, ActionKind.NOTIFIED, "工作人员终端状态栏已提示", SYSTEM, now)
        return row.number


def _close(db: Database, now: datetime, fault_id: str) -> str | None:
    with db.write() as s:
        row = s.get(FaultRecord, fault_id)
        if row is None or row.status != FaultStatus.OPEN.value:
            return None  # closed by staff meanwhile
        row.ended_at = now
        add_action(s, row, ActionKind.STEP, "故障已消除，系统自动恢复并关闭", SYSTEM, now)
        close_fault(s, row, cause="", result="已自动恢复", staff=SYSTEM, now=now)
        return row.number
