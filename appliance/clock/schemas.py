"""Wire types of the clock check (系统时间): its verdict, and setting the time by hand.

Pure: stdlib and msgspec only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from appliance.core.text import Code

LOCAL_TIME_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?$(?!\\n)"


class SetClockIn(msgspec.Struct, frozen=True, kw_only=True):
    """校准时间: the station head's code and PIN, and the time on their watch or phone
    (station time zone, ``YYYY-MM-DD HH:MM`` or with seconds)."""

    code: Code
    pin: Annotated[str, msgspec.Meta(min_length=1, max_length=32)]
    local_time: Annotated[str, msgspec.Meta(max_length=19, pattern=LOCAL_TIME_PATTERN)]


class ClockStatus(msgspec.Struct, frozen=True, kw_only=True):
    """The server's verdict on its clock. ``ok`` False: it serves nothing but this, the
    health answer and setting the time; ``reason`` says why in Chinese, ``earliest`` is the
    first time it would accept."""

    ok: bool
    now: datetime
    local_now: str
    reason: str
    earliest: datetime
    build_date: str
    last_event_at: datetime | None
