"""Records backups (备份记录) and answers how old the last good one is.

``yizhan backup`` (another process than the server) writes the record through this service
once a generation is complete; the staff terminal reads :meth:`BackupService.state`.
"""

from __future__ import annotations

from sqlmodel import col, select

from appliance.backup.rules import backup_summary
from appliance.backup.schemas import BackupState
from appliance.backup.tables import BackupRecord
from appliance.core.clock import Clock
from appliance.db.database import Database
from appliance.events.log import append_event
from appliance.settings import Settings


class BackupService:
    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock

    def record(self, row: BackupRecord) -> BackupRecord:
        """Store a finished, verified generation and its ``backup.completed`` event."""
        with self.db.write() as s:
            s.add(row)
            s.flush()
            append_event(
                s,
                "backup.completed",
                "backup",
                row.id,
                {
                    "name": row.name,
                    "files": row.files,
                    "bytes": row.bytes,
                    "usb": bool(row.usb_paths),
                    "manifest_sha256": row.manifest_sha256,
                    "event_seq": row.event_seq,
                },
                self.clock.now(),
            )
            return row

    def last_good(self) -> BackupRecord | None:
        with self.db.read() as s:
            return s.exec(
                select(BackupRecord).order_by(col(BackupRecord.taken_at).desc()).limit(1)
            ).first()

    def state(self) -> BackupState:
        last = self.last_good()
        age = None if last is None else (self.clock.now() - last.taken_at).total_seconds()
        summary, warn = backup_summary(age, self.settings.backup_warn_hours)
        return BackupState(
            last_good_at=last.taken_at if last else None,
            age_s=age,
            summary=summary,
            warn=warn,
            path=last.path if last else "",
        )
