"""Wire types of the device API (设备)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class DeviceStatusIn:
    device: str
    state: str
    label: str
    detail: str = ""


@dataclass
class DeviceAlertIn:
    kind: str
    message: str = ""
    active: bool = True


@dataclass
class RatingPressIn:
    window: str
    level: int
