"""Wire types of the device API (设备): every request body and every answer.

The hardware service (``X-Device-Key``) reports device states and alerts, posts rating-keypad
presses and follows the event feed; staff read every device's state. Requests end in ``In``.

Pure: stdlib and msgspec only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

# ---- requests -------------------------------------------------------------------------------


class DeviceStatusIn(msgspec.Struct, frozen=True, kw_only=True):
    device: str
    state: str
    label: str
    detail: str = ""


class DeviceAlertIn(msgspec.Struct, frozen=True, kw_only=True):
    kind: str
    message: str = ""
    active: bool = True


class RatingPressIn(msgspec.Struct, frozen=True, kw_only=True):
    window: str
    level: int


# ---- answers --------------------------------------------------------------------------------


class DeviceView(msgspec.Struct, frozen=True, kw_only=True):
    """A device's last reported state; ``ok`` when it is ready."""

    device: str
    name: str
    state: str
    label: str
    detail: str
    ok: bool
    updated_at: datetime


class AlertChanged(msgspec.Struct, frozen=True, kw_only=True):
    """Whether a device alert was raised or cleared by this report (False: no change)."""

    changed: bool


class FeedEvent(msgspec.Struct, frozen=True, kw_only=True):
    """One event the hardware reacts to; ``payload`` is the event's own JSON object."""

    seq: int
    type: str
    payload: dict[str, Any]
    occurred_at: datetime


class RatingPress(msgspec.Struct, frozen=True, kw_only=True):
    """A keypad press rated the last service finished at that window today."""

    window_number: int
    level: int
    label: str
    ticket_number: str
