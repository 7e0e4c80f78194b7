"""Wire types of backups (备份): what the staff terminal shows about the last good backup.

Pure: stdlib and msgspec only.
"""

from __future__ import annotations

from datetime import datetime

import msgspec


class BackupState(msgspec.Struct, frozen=True, kw_only=True):
    """The last good backup; ``summary`` is the status-bar text (备份：3 小时前)."""

    last_good_at: datetime | None
    age_s: float | None
    summary: str
    warn: bool
    path: str = ""
