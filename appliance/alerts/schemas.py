"""Wire types of the alerts API (提醒): what staff terminals show in their status bar.

Pure: stdlib and msgspec only.
"""

from __future__ import annotations

from datetime import datetime

import msgspec


class AlertView(msgspec.Struct, frozen=True, kw_only=True):
    """An open alert: a window paused too long, failed SMS, a device in trouble, a case due.

    ``kind`` says which (``absence``, ``sms_failed``, ``device:<kind>``, ``case_<kind>``).
    """

    id: str
    kind: str
    message: str
    window_id: str | None
    raised_at: datetime
