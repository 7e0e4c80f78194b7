"""Devices over HTTP: the hardware service (``X-Device-Key``) reports states and alerts,
posts rating-keypad presses and reads the event feed; staff see every device's state."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, JSONBody

from appliance.core.roles import ALL_ROLES
from appliance.devices.schemas import (
    AlertChanged,
    DeviceAlertIn,
    DeviceStatusIn,
    DeviceView,
    FeedEvent,
    RatingPress,
    RatingPressIn,
)
from appliance.devices.service import DeviceService

DEVICE = {"device": True}
Devices = NamedDependency[DeviceService]


class DeviceController(Controller):
    path = "/api/device"

    @post("/status", opt=DEVICE, sync_to_thread=True)
    def status(self, data: JSONBody[DeviceStatusIn], devices: Devices) -> DeviceView:
        return devices.report(data.device, data.state, data.label, data.detail)

    @post("/alerts", opt=DEVICE, sync_to_thread=True)
    def alert(self, data: JSONBody[DeviceAlertIn], devices: Devices) -> AlertChanged:
        return AlertChanged(changed=devices.set_alert(data.kind, data.message, data.active))

    @post("/ratings", opt=DEVICE, sync_to_thread=True)
    def rating(self, data: JSONBody[RatingPressIn], devices: Devices) -> RatingPress:
        return devices.rating_press(data.window, data.level)

    @get("/events", opt=DEVICE, sync_to_thread=True)
    def events(
        self, devices: Devices, after: FromQuery[int] = 0, limit: FromQuery[int] = 100
    ) -> list[FeedEvent]:
        return devices.feed(after, limit)


class DeviceStatesController(Controller):
    path = "/api/devices"

    @get("/", opt={"roles": ALL_ROLES}, sync_to_thread=True)
    def devices(self, devices: Devices) -> list[DeviceView]:
        return devices.states()
