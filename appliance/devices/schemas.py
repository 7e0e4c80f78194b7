"""Wire types of the device API (设备): every request body and every answer.

The hardware service (``X-Device-Key``) reports device states and alerts and follows the event
feed; staff read every device's state (the rating keypad's types are in
``appliance.ratings.schemas``). Requests end in ``In``.

Pure: stdlib and msgspec only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec

from appliance.backup.schemas import BackupState
from appliance.core.text import Code, ShortText, Text

# ---- requests -------------------------------------------------------------------------------


class DeviceStatusIn(msgspec.Struct, frozen=True, kw_only=True):
    device: Code
    state: Code
    label: ShortText
    detail: Text = ""


class DeviceAlertIn(msgspec.Struct, frozen=True, kw_only=True):
    kind: Code
    message: Text = ""
    active: bool = True


class HeartbeatIn(msgspec.Struct, frozen=True, kw_only=True):
    """心跳 of ``yizhan hw``: it is alive, which print kinds it claims, how fresh each loop is.

    ``loops`` maps a loop (print, sms, feed) to the seconds since it last finished a step;
    ``stopping`` is sent once on a clean shutdown.
    """

    pid: Annotated[int, msgspec.Meta(ge=0, le=2**31 - 1)] = 0
    print_kinds: Annotated[list[Code], msgspec.Meta(max_length=8)] = msgspec.field(
        default_factory=list
    )
    loops: Annotated[
        dict[Code, Annotated[float, msgspec.Meta(ge=0, le=1e9)]], msgspec.Meta(max_length=16)
    ] = msgspec.field(default_factory=dict)
    stopping: bool = False


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


class HardwareHealth(msgspec.Struct, frozen=True, kw_only=True):
    """The hardware service's state as the server judges it (硬件服务状态).

    ``state``: ready, silent (no heartbeat), stopped, or stalled (alive but not working:
    a loop without progress, or print jobs nobody claimed); ``last_seen_s`` is None before
    the first heartbeat.
    """

    state: str
    label: str
    detail: str
    ok: bool
    last_seen_s: float | None
    unclaimed_jobs: int


class ApplianceStatus(msgspec.Struct, frozen=True, kw_only=True):
    """What the staff terminal's status bar shows about the appliance itself."""

    hardware: HardwareHealth
    backup: BackupState
