"""站点健康 · 归档: each station's archive packages (一事一档, R-A3) as the county holds them.

Per station: how many packages its events announced, how many arrived and matched their
digests (已核验), how many are still to come (待上传), and how many arrived damaged (校验不符,
with the first finding), so the county sees which station's archives are complete.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from sync.county.archive_models import CORRUPT, EXPECTED, VERIFIED, CountyArchive


@dataclass(frozen=True)
class ArchiveStatus:
    station_id: str
    announced: int
    verified: int
    expected: int
    corrupt: int
    first_problem: str  # e.g. "YZ0001-2026-D30-…：文件已改动：process/01-acceptance.pdf"


def archive_status(s: Session) -> list[ArchiveStatus]:
    counts: dict[str, dict[str, int]] = {}
    rows = s.exec(
        select(CountyArchive.station_id, CountyArchive.status, func.count()).group_by(
            col(CountyArchive.station_id), col(CountyArchive.status)
        )
    ).all()
    for station, status, n in rows:
        counts.setdefault(station, {})[status] = int(n)
    problems = {
        a.station_id: f"{a.archive_no}：{a.problems.splitlines()[0] if a.problems else ''}"
        for a in s.exec(
            select(CountyArchive)
            .where(CountyArchive.status == CORRUPT)
            .order_by(col(CountyArchive.archive_no).desc())
        )
    }
    return [
        ArchiveStatus(
            station_id=station,
            announced=sum(c.values()),
            verified=c.get(VERIFIED, 0),
            expected=c.get(EXPECTED, 0),
            corrupt=c.get(CORRUPT, 0),
            first_problem=problems.get(station, ""),
        )
        for station, c in sorted(counts.items())
    ]
