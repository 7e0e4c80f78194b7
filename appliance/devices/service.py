"""Device states, device alerts and the event feed for ``yizhan hw`` (rating-keypad presses
are the ratings feature's: ``appliance.ratings``)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from appliance.alerts.tables import Alert
from appliance.core.clock import Clock
from appliance.core.errors import Invalid
from appliance.db.database import Database
from appliance.devices.rules import (
    HARDWARE,
    READY,
    UNKNOWN,
    HardwareVerdict,
    hardware_verdict,
    stale_loops,
)
from appliance.devices.schemas import (
    DeviceView,
    FeedEvent,
    HardwareHealth,
    HeartbeatIn,
)
from appliance.devices.tables import DeviceStatus
from appliance.events.log import append_event
from appliance.events.tables import Event
from appliance.jobs.rules.lease import PrintStatus
from appliance.jobs.tables import PrintJob
from appliance.queue.rules.wait_estimate import BusinessDay
from appliance.settings import Settings

DEVICES = ("printer.receipt", "printer.notice", "modem", "gpio", "speaker")
DEVICE_LABELS = {
    "printer.receipt": "小票打印机",
    "printer.notice": "A4 打印机",
    "modem": "短信猫",
    "gpio": "叫号按钮/评价器",
    "speaker": "语音播报",
    HARDWARE: "硬件服务",
}
LOOP_LABELS = {"print": "打印", "sms": "短信", "feed": "叫号播报"}
FEED_TYPES = ("ticket.issued", "ticket.called", "ticket.recalled", "alert.raised")


def _view(d: DeviceStatus, silent: DeviceStatus | None = None) -> DeviceView:
    """A device as staff see it; while the hardware service is down (``silent``) its last
    report cannot be trusted, so the device shows as 状态未知 instead of its stale state."""
    if silent is not None and d.device != HARDWARE:
        return DeviceView(
            device=d.device,
            name=DEVICE_LABELS.get(d.device, d.device),
            state=UNKNOWN,
            label=f"状态未知（{silent.label}）",
            detail=f"最后上报：{d.label}",
            ok=False,
            updated_at=d.updated_at,
        )
    return DeviceView(
        device=d.device,
        name=DEVICE_LABELS.get(d.device, d.device),
        state=d.state,
        label=d.label,
        detail=d.detail,
        ok=d.state == READY,
        updated_at=d.updated_at,
    )


def _health(v: HardwareVerdict, last_seen: float | None, unclaimed: int) -> HardwareHealth:
    return HardwareHealth(
        state=v.state,
        label=v.label,
        detail=v.detail,
        ok=v.ok,
        last_seen_s=None if last_seen is None else round(last_seen, 1),
        unclaimed_jobs=unclaimed,
    )


class DeviceService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        day: BusinessDay,
        settings: Settings | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.db = db
        self.clock = clock
        self.day = day
        self.settings = settings or Settings()
        self.monotonic = monotonic
        # 心跳: kept in memory (no write per beat); only a change of verdict is written
        self._started = monotonic()
        self._beat_at: float | None = None
        self._beat: HeartbeatIn | None = None
        self._beat_lock = threading.Lock()

    def report(self, device: str, state: str, label: str, detail: str = "") -> DeviceView:
        """Store a device's state; an event is written only when the state changes."""
        if device not in DEVICES:
            raise Invalid(f"未知设备“{device}”，可选：{'、'.join(DEVICES)}", "unknown_device")
        if not state or not label:
            raise Invalid("设备状态和说明不能为空", "bad_state")
        now = self.clock.now()
        with self.db.write() as s:
            row = s.get(DeviceStatus, device)
            changed = row is None or row.state != state
            if row is None:
                row = DeviceStatus(device=device, state=state, label=label, updated_at=now)
            row.state, row.label, row.detail, row.updated_at = state, label, detail[:300], now
            s.add(row)
            s.flush()
            if changed:
                append_event(
                    s,
                    "device.state_changed",
                    "device",
                    device,
                    {"state": state, "label": label, "detail": row.detail},
                    now,
                )
            return _view(row)

    def states(self) -> list[DeviceView]:
        """Every device; while the hardware service is down the others read 状态未知."""
        with self.db.read() as s:
            rows = list(s.exec(select(DeviceStatus).order_by(col(DeviceStatus.device))))
        hardware = next((d for d in rows if d.device == HARDWARE), None)
        silent = hardware if hardware is not None and hardware.state != READY else None
        return [_view(d, silent) for d in rows]

    # ---- the hardware service's heartbeat (心跳) -------------------------------------------
    def heartbeat(self, beat: HeartbeatIn) -> HardwareHealth:
        """``yizhan hw`` is alive: remember it in memory, write only a change of verdict."""
        with self._beat_lock:
            self._beat_at, self._beat = self.monotonic(), beat
        return self.check_hardware()

    def hardware(self) -> HardwareHealth:
        """The verdict now, from the last heartbeat and the print jobs nobody claimed."""
        with self._beat_lock:
            beat_at, beat = self._beat_at, self._beat
        now = self.monotonic()
        cfg = self.settings
        unclaimed, oldest = 0, 0.0
        if beat is not None and beat.print_kinds and not beat.stopping:
            unclaimed, oldest = self._unclaimed(beat.print_kinds, cfg.print_unclaimed_seconds)
        stuck = stale_loops(beat.loops, cfg.hw_silent_seconds) if beat else ()
        since = None if beat_at is None else now - beat_at
        verdict = hardware_verdict(
            since_heartbeat=since,
            since_start=now - self._started,
            silent_after=cfg.hw_silent_seconds,
            startup_grace=cfg.hw_startup_grace_seconds,
            stopping=bool(beat and beat.stopping),
            stale_loops=tuple(LOOP_LABELS.get(n, n) for n in stuck),
            unclaimed_jobs=unclaimed,
            oldest_unclaimed=oldest,
        )
        return _health(verdict, since, unclaimed)

    def _unclaimed(self, kinds: list[str], older_than: float) -> tuple[int, float]:
        now = self.clock.now()
        with self.db.read() as s:
            count, first = s.exec(
                select(func.count(), func.min(PrintJob.created_at)).where(
                    PrintJob.status == PrintStatus.PENDING,
                    PrintJob.attempts == 0,
                    col(PrintJob.kind).in_(kinds),
                    col(PrintJob.created_at) <= now - timedelta(seconds=older_than),
                )
            ).one()
        if not count or not isinstance(first, datetime):
            return 0, 0.0
        return int(count), (now - first).total_seconds()

    def check_hardware(self) -> HardwareHealth:
        """Judge the hardware service and store the verdict as its device row; an event
        (``device.state_changed``) only when the state changes. The server runs this every
        ``hw_check_seconds`` (:func:`appliance.devices.watch.hardware_watch`)."""
        health = self.hardware()
        with self.db.read() as s:
            row = s.get(DeviceStatus, HARDWARE)
            same = row is not None and (row.state, row.label) == (health.state, health.label)
        if not same and (row is not None or not health.ok):  # first row: only for a fault
            with self.db.write() as s:
                self._store_hardware(s, health)
        return health

    def _store_hardware(self, s: Session, health: HardwareHealth) -> None:
        now = self.clock.now()
        row = s.get(DeviceStatus, HARDWARE)
        changed = row is None or row.state != health.state
        if row is None:
            row = DeviceStatus(device=HARDWARE, state=health.state, label="", updated_at=now)
        row.state, row.label, row.detail = health.state, health.label, health.detail[:300]
        row.updated_at = now
        s.add(row)
        s.flush()
        if changed:
            payload = {"state": row.state, "label": row.label, "detail": row.detail}
            append_event(s, "device.state_changed", "device", HARDWARE, payload, now)

    def set_alert(self, kind: str, message: str, active: bool) -> bool:
        """Raise (once) or clear a device alert such as a stuck call button."""
        if not kind or len(kind) > 40:
            raise Invalid("告警类型不能为空，且不超过 40 字符", "bad_kind")
        now = self.clock.now()
        key = f"device:{kind}"
        with self.db.write() as s:
            open_alert = s.exec(
                select(Alert).where(Alert.kind == key, col(Alert.cleared_at).is_(None))
            ).first()
            if active and open_alert is None:
                if not message.strip():
                    raise Invalid("告警内容不能为空", "bad_message")
                alert = Alert(kind=key, message=message.strip()[:200], raised_at=now)
                s.add(alert)
                s.flush()
                append_event(
                    s,
                    "alert.raised",
                    "alert",
                    alert.id,
                    {"kind": key, "message": alert.message},
                    now,
                )
                return True
            if not active and open_alert is not None:
                open_alert.cleared_at = now
                s.add(open_alert)
                s.flush()
                append_event(s, "alert.cleared", "alert", open_alert.id, {"kind": key}, now)
                return True
            return False

    def feed(self, after_seq: int, limit: int = 100) -> list[FeedEvent]:
        """Events the hardware reacts to (buzzer, voice): issued, called, recalled, alerts."""
        if after_seq < 0 or not 1 <= limit <= 500:
            raise Invalid("after 须 ≥ 0，limit 须在 1–500 之间", "bad_feed")
        with self.db.read() as s:
            rows = s.exec(
                select(Event)
                .where(Event.seq > after_seq, col(Event.type).in_(FEED_TYPES))
                .order_by(col(Event.seq))
                .limit(limit)
            )
            return [
                FeedEvent(
                    seq=e.seq, type=e.type, payload=json.loads(e.payload), occurred_at=e.occurred_at
                )
                for e in rows
            ]
