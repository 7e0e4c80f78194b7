"""Which packages the sync agent still has to carry to the county (R-A3, R-N3).

A package goes once the county has acknowledged its ``archive.built`` event (the event
carries the digest the county checks the zip against); once the county has it whole, the
package records the digest it confirmed. That is sync bookkeeping like the agent's cursor,
so it writes no event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func
from sqlmodel import col, select

from appliance.archives.service.store import archive_root
from appliance.archives.tables import ArchivePackage
from appliance.db.database import Database
from appliance.events.tables import Event


@dataclass(frozen=True)
class PendingUpload:
    package_id: str
    archive_no: str
    sha256: str
    size: int
    path: Path


def pending_uploads(db: Database, data_dir: Path, acked_through_seq: int) -> list[PendingUpload]:
    """Packages not yet confirmed by the county whose latest event the county holds."""
    with db.read() as s:
        rows = s.exec(
            select(ArchivePackage, func.max(Event.seq))
            .join(Event, col(Event.entity_id) == ArchivePackage.id)
            .where(Event.type == "archive.built")
            .where(col(ArchivePackage.uploaded_sha256) != col(ArchivePackage.sha256))
            .group_by(col(ArchivePackage.id))
            .order_by(col(ArchivePackage.built_at))
        ).all()
    root = archive_root(data_dir)
    return [
        PendingUpload(p.id, p.archive_no, p.sha256, p.size, root / p.path)
        for p, seq in rows
        if seq is not None and seq <= acked_through_seq
    ]


def mark_uploaded(db: Database, package_id: str, sha256: str, now: datetime) -> None:
    with db.write() as s:
        p = s.get(ArchivePackage, package_id)
        if p is not None and p.sha256 == sha256:
            p.uploaded_sha256, p.uploaded_at = sha256, now
            s.add(p)
