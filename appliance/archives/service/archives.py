"""``ArchiveService``: due packages, building them, reading and rechecking them (R-A1, R-A3).

A package is due once its case is finished (已送达, 已关闭 or 不予受理) and must be built
within a month (HN-5 7.3.2.2). The server's worker (``appliance.workers.archive_watch``,
every ``archive_sweep_seconds``) and ``yizhan archive build`` build every due package; staff
can build at once from the TUI. A case that changes after its package was built (mailed,
then 退回) gets its package rebuilt under the same archive number, ``revision`` + 1.

Building renders and zips outside the write lock; the write transaction re-reads the case
and the package row (compare-and-set), records the package and its ``archive.built`` event,
clears the case's due alert, and renames the zip into place before it commits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from appliance.alerts.tables import Alert
from appliance.archives import rules
from appliance.archives.schemas import BuildReport, DuePackage, PackageView, VerifyView
from appliance.archives.service import package as pkg
from appliance.archives.service.store import (
    PACKAGES,
    archive_root,
    commit_with_file,
    verify_zip,
    write_temp,
)
from appliance.archives.tables import (
    ArchiveDueAlert,
    ArchivePackage,
    ArchiveTransfer,
    ArchiveTransferLine,
)
from appliance.cases.rules.states import STATE_LABELS, CaseState
from appliance.cases.service.codec import decode_case
from appliance.cases.service.notice_store import NoticeFiles
from appliance.cases.service.views import case_row
from appliance.cases.tables import CaseRecord, CaseTransitionRecord
from appliance.core.clock import Clock
from appliance.core.errors import Conflict, DomainError, NotFound
from appliance.db.database import Database
from appliance.events.log import append_event
from appliance.settings import Settings

log = logging.getLogger("yizhan.archives")
SYSTEM = "system"
ATTEMPTS = 3


@dataclass(frozen=True)
class Due:
    row_id: str
    case_number: str
    item_name: str
    state: CaseState
    completed_on: date
    due_on: date
    rebuild: bool


@dataclass
class PassReport:
    built: list[ArchivePackage] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def package_view(p: ArchivePackage, tz: ZoneInfo, transfer: str = "") -> PackageView:
    return PackageView(
        archive_no=p.archive_no,
        case_number=p.case_number,
        item_name=p.item_name,
        retention=p.retention,
        completed_on=date.fromisoformat(p.completed_on),
        due_on=date.fromisoformat(p.due_on),
        built_at=p.built_at,
        built_on_time=p.built_at.astimezone(tz).date() <= date.fromisoformat(p.due_on),
        revision=p.revision,
        file_count=p.file_count,
        size=p.size,
        sha256=p.sha256,
        uploaded=bool(p.uploaded_sha256) and p.uploaded_sha256 == p.sha256,
        transfer=transfer,
    )


def event_payload(p: ArchivePackage) -> dict[str, object]:
    """What the county learns of a package (no personal data): enough to verify the zip."""
    return {
        "archive_no": p.archive_no,
        "case_number": p.case_number,
        "item_code": p.item_code,
        "item_name": p.item_name,
        "retention": p.retention,
        "completed_on": p.completed_on,
        "due_on": p.due_on,
        "revision": p.revision,
        "sha256": p.sha256,
        "content_digest": p.content_digest,
        "size": p.size,
        "file_count": p.file_count,
    }


def clear_due_alert(s: Session, case_id: str, now: datetime) -> None:
    mark = s.get(ArchiveDueAlert, case_id)
    if mark is None:
        return
    alert = s.get(Alert, mark.alert_id)
    if alert is not None and alert.cleared_at is None:
        alert.cleared_at = now
        s.add(alert)
        s.flush()
        append_event(s, "alert.cleared", "alert", alert.id, {"kind": alert.kind}, now)
    s.delete(mark)
    s.flush()


class ArchiveService:
    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.tz = ZoneInfo(settings.timezone)
        self.root = archive_root(settings.data_path)
        self.notices = NoticeFiles(settings.case_notice_path)

    def today(self) -> date:
        return self.clock.now().astimezone(self.tz).date()

    # ---- what is due ---------------------------------------------------------------------
    def due_cases(self) -> list[Due]:
        """Finished cases without a current package, earliest deadline first."""
        finished = [s.value for s in pkg.FINISHED]
        steps = (
            select(func.count())
            .where(CaseTransitionRecord.case_id == CaseRecord.id)
            .correlate(CaseRecord)
            .scalar_subquery()
        )
        with self.db.read() as s:
            pairs = s.exec(
                select(CaseRecord, ArchivePackage)
                .join(ArchivePackage, col(ArchivePackage.case_id) == CaseRecord.id, isouter=True)
                .where(col(CaseRecord.state).in_(finished))
                .where(
                    col(ArchivePackage.id).is_(None) | (col(ArchivePackage.case_version) != steps)
                )
            ).all()
        out = []
        for row, built in pairs:
            case = decode_case(row.data)
            done = pkg.completed_at(case)
            if done is None or (built is not None and built.case_version == len(case.history)):
                continue
            day = pkg.local_day(done, self.tz)
            out.append(
                Due(
                    row.id,
                    row.case_number,
                    row.item_name,
                    case.state,
                    day,
                    rules.due_on(day),
                    built is not None,
                )
            )
        return sorted(out, key=lambda d: (d.due_on, d.case_number))

    def due(self) -> list[DuePackage]:
        today = self.today()
        views = []
        for d in self.due_cases():
            u = rules.urgency(d.due_on, today)
            views.append(
                DuePackage(
                    case_number=d.case_number,
                    item_name=d.item_name,
                    state_label=STATE_LABELS[d.state],
                    completed_on=d.completed_on,
                    due_on=d.due_on,
                    urgency=u.value,
                    urgency_label=rules.URGENCY_LABELS[u],
                    days_left=(d.due_on - today).days,
                    rebuild=d.rebuild,
                )
            )
        return views

    # ---- building ------------------------------------------------------------------------
    def build(self, case_numbers: list[str], by: str) -> BuildReport:
        """Build the given cases' packages (staff), or every due one when the list is empty.

        Named cases are checked first: an unknown, unfinished or already archived case
        refuses the whole request (4xx) before anything is written."""
        if case_numbers:
            for number in case_numbers:
                self._check_buildable(number)
            targets = case_numbers
        else:
            targets = [d.case_number for d in self.due_cases()]
        report = self._build_all(targets, by)
        views = [package_view(p, self.tz) for p in report.built]
        return BuildReport(built=views, failed=report.failed)

    def build_due(self, by: str = SYSTEM) -> PassReport:
        """The worker's and the CLI's pass: every due package, each in its own transaction."""
        return self._build_all([d.case_number for d in self.due_cases()], by)

    def _build_all(self, numbers: list[str], by: str) -> PassReport:
        report = PassReport()
        for number in numbers:
            try:
                report.built.append(self.build_one(number, by))
            except DomainError as exc:
                log.warning("archive of %s not built: %s", number, exc.message)
                report.failed.append(f"{number}：{exc.message}")
        return report

    def _check_buildable(self, number: str) -> None:
        with self.db.read() as s:
            row = case_row(s, number)
            src = pkg.read_case(s, row, self.notices)
            built = s.exec(select(ArchivePackage).where(ArchivePackage.case_id == row.id)).first()
        if built is not None and built.case_version == src.version:
            raise Conflict(
                f"办件 {row.case_number} 已归档（档号 {built.archive_no}），无需重复归档",
                "already_archived",
            )

    def build_one(self, number: str, by: str) -> ArchivePackage:
        """Build (or rebuild) one case's package; Conflict when it is current already."""
        for _ in range(ATTEMPTS):
            with self.db.read() as s:
                row = case_row(s, number)
                src = pkg.read_case(s, row, self.notices)
                old = s.exec(select(ArchivePackage).where(ArchivePackage.case_id == row.id)).first()
            if old is not None and old.case_version == src.version:
                raise Conflict(
                    f"办件 {row.case_number} 已归档（档号 {old.archive_no}）", "already_archived"
                )
            revision = old.revision + 1 if old is not None else 1
            meta, files = pkg.assemble(
                src,
                region_code=self.settings.region_code,
                station_code=self.settings.station_code,
                station_name=self.settings.station_name,
                tz=self.tz,
                revision=revision,
            )
            done = pkg.completed_at(src.case)
            assert done is not None
            data, digest = pkg.zip_bytes(meta, files, done.astimezone(self.tz))
            rel = f"{PACKAGES}/{meta.archive_no}.zip"
            staged = write_temp(self.root / rel, data)
            fresh = commit_with_file(
                self.db,
                staged,
                partial(
                    self._record,
                    src=src,
                    old=old,
                    meta=meta,
                    rel=rel,
                    data=data,
                    digest=digest,
                    by=by,
                ),
            )
            if fresh is None:
                continue  # the case or its package changed meanwhile: read again
            if old is not None and old.path != fresh.path:
                (self.root / old.path).unlink(missing_ok=True)
            return fresh
        raise Conflict(f"办件 {number} 正在被修改，请稍后再归档", "case_busy")

    def _record(
        self,
        s: Session,
        src: pkg.CaseSource,
        old: ArchivePackage | None,
        meta: rules.Metadata,
        rel: str,
        data: bytes,
        digest: str,
        by: str,
    ) -> ArchivePackage | None:
        row = s.get(CaseRecord, src.row.id)
        current = s.exec(select(ArchivePackage).where(ArchivePackage.case_id == src.row.id)).first()
        if row is None or row.data != src.row.data:
            return None
        if (current.revision if current else 0) != (old.revision if old else 0):
            return None
        now = self.clock.now()
        completed = pkg.local_day(datetime.fromisoformat(meta.completed_at), self.tz)
        p = current or ArchivePackage(
            case_id=row.id,
            case_number=row.case_number,
            archive_no=meta.archive_no,
            retention=meta.retention,
            item_code=row.item_code,
            item_name=row.item_name,
            completed_on="",
            due_on="",
            case_version=0,
            path=rel,
            sha256="",
            content_digest="",
            size=0,
            file_count=0,
            built_at=now,
        )
        p.archive_no, p.retention, p.path = meta.archive_no, meta.retention, rel
        p.completed_on, p.due_on = completed.isoformat(), rules.due_on(completed).isoformat()
        p.case_version, p.revision = src.version, meta.revision
        p.sha256, p.content_digest = rules.sha256(data), digest
        p.size, p.file_count, p.built_at, p.built_by = len(data), meta.file_count, now, by
        s.add(p)
        s.flush()
        clear_due_alert(s, row.id, now)
        payload = {**event_payload(p), "by": by}
        append_event(s, "archive.built", "archive_package", p.id, payload, now)
        return p

    # ---- reading and rechecking ----------------------------------------------------------
    def packages(self, limit: int = 200) -> list[PackageView]:
        """The newest packages first, with the transfer list each is on."""
        with self.db.read() as s:
            rows = s.exec(
                select(ArchivePackage).order_by(col(ArchivePackage.built_at).desc()).limit(limit)
            ).all()
            lines = {
                line.case_number: line.transfer_id for line in s.exec(select(ArchiveTransferLine))
            }
            numbers = {t.id: t.number for t in s.exec(select(ArchiveTransfer))}
        return [
            package_view(p, self.tz, numbers.get(lines.get(p.case_number, ""), "")) for p in rows
        ]

    def record(self, archive_no: str) -> ArchivePackage:
        with self.db.read() as s:
            p = s.exec(
                select(ArchivePackage).where(ArchivePackage.archive_no == archive_no)
            ).first()
        if p is None:
            raise NotFound(f"没有档号为“{archive_no}”的归档信息包", "unknown_archive")
        return p

    def path_of(self, p: ArchivePackage) -> Path:
        return self.root / p.path

    def verify(self, archive_no: str) -> VerifyView:
        """Recheck one recorded package against its record and its manifest."""
        p = self.record(archive_no)
        checked = verify_zip(self.path_of(p), p.sha256, p.content_digest)
        return VerifyView(
            archive_no=p.archive_no, ok=checked.findings.ok, lines=checked.findings.lines()
        )

    def verify_all(self) -> list[VerifyView]:
        """Every recorded package, and every zip in the folder that no record names."""
        with self.db.read() as s:
            rows = list(s.exec(select(ArchivePackage).order_by(col(ArchivePackage.archive_no))))
        out = [self.verify(p.archive_no) for p in rows]
        known = {Path(p.path).name for p in rows}
        folder = self.root / PACKAGES
        if folder.is_dir():
            for extra in sorted(folder.glob("*.zip")):
                if extra.name not in known:
                    out.append(
                        VerifyView(
                            archive_no=extra.stem,
                            ok=False,
                            lines=[f"多出的归档信息包：{extra.name}（没有登记）"],
                        )
                    )
        return out
