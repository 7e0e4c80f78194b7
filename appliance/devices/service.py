"""Device states, device alerts, rating-keypad presses and the event feed for ``yizhan hw``."""

from __future__ import annotations

import json

from sqlmodel import col, select

from appliance.alerts.tables import Alert
from appliance.core.clock import Clock
from appliance.core.errors import Conflict, Invalid
from appliance.db.database import Database
from appliance.devices.schemas import DeviceView, FeedEvent, RatingPress
from appliance.devices.tables import DeviceStatus
from appliance.events.log import append_event
from appliance.events.tables import Event
from appliance.queue.rules.wait_estimate import BusinessDay
from appliance.queue.service import repo
from appliance.queue.tables import ServiceWindow, Ticket

DEVICES = ("printer.receipt", "printer.notice", "modem", "gpio", "speaker")
DEVICE_LABELS = {
    "printer.receipt": "小票打印机",
    "printer.notice": "A4 打印机",
    "modem": "短信猫",
    "gpio": "叫号按钮/评价器",
    "speaker": "语音播报",
}
FEED_TYPES = ("ticket.issued", "ticket.called", "ticket.recalled", "alert.raised")
RATING_LABELS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}


def _view(d: DeviceStatus) -> DeviceView:
    return DeviceView(
        device=d.device,
        name=DEVICE_LABELS.get(d.device, d.device),
        state=d.state,
        label=d.label,
        detail=d.detail,
        ok=d.state == "ready",
        updated_at=d.updated_at,
    )


class DeviceService:
    def __init__(self, db: Database, clock: Clock, day: BusinessDay) -> None:
        self.db = db
        self.clock = clock
        self.day = day

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
        with self.db.read() as s:
            return [
                _view(d) for d in s.exec(select(DeviceStatus).order_by(col(DeviceStatus.device)))
            ]

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

    def rating_press(self, window: str, level: int) -> RatingPress:
        """A keypad press rates the last service finished at that window today (R-E2)."""
        if level not in RATING_LABELS:
            raise Invalid("评价等级须为 1–5", "bad_level")
        now = self.clock.now()
        with self.db.write() as s:
            win: ServiceWindow = repo.get_window(s, window)
            last = s.exec(
                select(Ticket)
                .where(
                    Ticket.window_id == win.id,
                    Ticket.status == "done",
                    Ticket.business_date == self.day.local_date(now).isoformat(),
                )
                .order_by(col(Ticket.finished_at).desc())
            ).first()
            if last is None:
                raise Conflict(
                    f"{win.number} 号窗口今日还没有办结的业务，暂不能评价", "nothing_to_rate"
                )
            append_event(
                s,
                "rating.keypad_pressed",
                "ticket",
                last.id,
                {
                    "window_number": win.number,
                    "level": level,
                    "number": last.number,
                    "staff_id": last.staff_id,
                },
                now,
            )
            return RatingPress(
                window_number=win.number,
                level=level,
                label=RATING_LABELS[level],
                ticket_number=last.number,
            )

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
