"""Last reported state of each device (设备状态)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from appliance.db.types import UtcDateTime


class DeviceStatus(SQLModel, table=True):
    """Last reported state of a device (printer.receipt, printer.notice, modem, gpio…)."""

    __tablename__ = "device_status"
    device: str = Field(primary_key=True)
    state: str
    label: str
    detail: str = ""
    updated_at: datetime = Field(sa_type=UtcDateTime)
