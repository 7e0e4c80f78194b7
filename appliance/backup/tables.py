"""The backups taken (备份记录): the staff terminal shows the age of the last good one."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from appliance.core.ids import new_id
from appliance.db.types import UtcDateTime


class BackupRecord(SQLModel, table=True):
    """One backup generation written by ``yizhan backup`` (and where its copies went)."""

    __tablename__ = "backup_record"
    id: str = Field(default_factory=new_id, primary_key=True)
    name: str
    taken_at: datetime = Field(sa_type=UtcDateTime, index=True)
    path: str
    usb_paths: str = ""  # newline separated; empty when no stick was mounted
    files: int
    bytes: int
    manifest_sha256: str
    event_seq: int
