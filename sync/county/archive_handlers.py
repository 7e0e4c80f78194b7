"""Projection of the stations' ``archive.built`` events (一事一档, R-A3).

The event carries the package's digests; the zip arrives later over
``/sync/v1/archives/{archive_no}`` and is checked against them. A newer revision of a
package (the case changed after it was built) resets it to 待上传. Listed in
``sync.county.registry.PROJECTIONS``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from sync.county.apply import StoredEvent
from sync.county.archive_models import EXPECTED, CountyArchive

ARCHIVE_TYPES = ("archive.built",)


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def archive_built(s: Session, ev: StoredEvent) -> None:
    p = ev.payload
    number = str(p.get("archive_no") or "")[:64]
    if not number:
        return
    row = s.get(CountyArchive, (ev.station_id, number))
    if row is not None and row.last_seq >= ev.seq:
        return  # a late event: the newer one is applied already
    fresh = row is None or row.sha256 != str(p.get("sha256", ""))
    row = row or CountyArchive(
        station_id=ev.station_id, archive_no=number, built_at=ev.occurred_at, sha256=""
    )
    row.case_number = str(p.get("case_number", ""))[:64]
    row.item_code = str(p.get("item_code", ""))[:64]
    row.item_name = str(p.get("item_name", ""))[:200]
    row.retention = str(p.get("retention", ""))[:8]
    row.completed_on, row.due_on = _day(p.get("completed_on")), _day(p.get("due_on"))
    row.built_at, row.last_seq = ev.occurred_at, ev.seq
    row.revision = int(p.get("revision", 1) or 1)
    row.sha256 = str(p.get("sha256", ""))[:64]
    row.content_digest = str(p.get("content_digest", ""))[:64]
    row.size, row.file_count = int(p.get("size", 0) or 0), int(p.get("file_count", 0) or 0)
    if fresh:
        row.status, row.problems, row.verified_at = EXPECTED, "", None
    s.add(row)
    s.flush()
