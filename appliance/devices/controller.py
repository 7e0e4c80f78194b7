"""Devices over HTTP: the hardware service (``X-Device-Key``) reports states and alerts and
reads the event feed; staff see every device's state. (The rating keypad posts to
``/api/device/ratings``, served by ``appliance.ratings.controller``.)"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, Parameter

from appliance.backup.service import BackupService
from appliance.core.roles import ALL_ROLES
from appliance.core.text import SQLITE_INT_MAX
from appliance.devices.schemas import (
    AlertChanged,
    ApplianceStatus,
    DeviceAlertIn,
    DeviceStatusIn,
    DeviceView,
    FeedEvent,
    HardwareHealth,
    HeartbeatIn,
)
from appliance.devices.service import DeviceService

DEVICE = {"device": True}
Devices = NamedDependency[DeviceService]


class DeviceController(Controller):
    path = "/api/device"

    @post("/status", opt=DEVICE, sync_to_thread=True)
    def status(self, data: JSONBody[DeviceStatusIn], devices: Devices) -> DeviceView:
        return devices.report(data.device, data.state, data.label, data.detail)

    @post("/heartbeat", opt=DEVICE, sync_to_thread=True)
    def heartbeat(self, data: JSONBody[HeartbeatIn], devices: Devices) -> HardwareHealth:
        """心跳 of ``yizhan hw`` every few seconds; kept in memory, a change of verdict is
        written (``device.state_changed``)."""
        return devices.heartbeat(data)

    @get("/heartbeat", opt=DEVICE, sync_to_thread=True)
    def hardware(self, devices: Devices) -> HardwareHealth:
        """The hardware service's state as the server judges it (``yizhan doctor``)."""
        return devices.hardware()

    @post("/alerts", opt=DEVICE, sync_to_thread=True)
    def alert(self, data: JSONBody[DeviceAlertIn], devices: Devices) -> AlertChanged:
        return AlertChanged(changed=devices.set_alert(data.kind, data.message, data.active))

    @get("/events", opt=DEVICE, sync_to_thread=True)
    def events(
        self,
        devices: Devices,
        after: Annotated[int, Parameter(ge=0, le=SQLITE_INT_MAX)] = 0,
        limit: Annotated[int, Parameter(ge=1, le=500)] = 100,
    ) -> list[FeedEvent]:
        """The event feed after ``after`` (an event seq), at most ``limit`` events."""
        return devices.feed(after, limit)


class DeviceStatesController(Controller):
    path = "/api/devices"

    @get("/", opt={"roles": ALL_ROLES}, sync_to_thread=True)
    def devices(self, devices: Devices) -> list[DeviceView]:
        return devices.states()

    @get("/appliance", opt={"roles": ALL_ROLES}, sync_to_thread=True)
    def appliance(
        self, devices: Devices, backups: NamedDependency[BackupService]
    ) -> ApplianceStatus:
        """The appliance itself for the status bar: the hardware service and the last backup."""
        return ApplianceStatus(hardware=devices.hardware(), backup=backups.state())
