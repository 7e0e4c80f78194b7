"""Staff alerts (提醒): one open row per condition until it is cleared."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from appliance.core.ids import new_id
from appliance.db.types import UtcDateTime


class Alert(SQLModel, table=True):
    """An alert shown to staff (告警), e.g. a pause past the allowed absence."""

    id: str = Field(default_factory=new_id, primary_key=True)
    kind: str
    message: str
    window_id: str | None = None
    raised_at: datetime = Field(sa_type=UtcDateTime)
    cleared_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
