"""Notice PDFs kept with the case (办件通知书存档, R-K2): render, store, record, print, reprint.

A notice's PDF lives at ``Settings.case_notice_path/<case_number>/<seq:02d>-<kind>.pdf``
(``seq`` is the decision that issued it, 0 for the 收件凭证 of intake); its ``case_notice``
row keeps the relative path, the size and the SHA-256, and the print job that prints it.

How a decision stores its notices (``CaseService`` drives the steps):

1. outside the write lock, ``render`` makes the PDFs (one worker process) and ``prepare``
   names and hashes them;
2. ``commit_with_files`` writes them to temporary files beside their final names and
   fsyncs them (``write_temp``), then opens the write transaction: the service checks the
   case did not change meanwhile, ``record`` inserts the rows and the print jobs (一式二份,
   copies=2), and ``publish`` renames the files into place and fsyncs the directory — all
   before the transaction commits;
3. when anything fails, ``discard`` removes the files: no orphan file, no row without file.

A power cut between ``publish`` and the commit can leave a file without a row; the next
decision on that case takes the same name and replaces it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from sqlmodel import Session, col, select

from appliance.cases.schemas import CaseNoticeView
from appliance.cases.service.notice_context import IssuedNotice
from appliance.cases.service.views import case_row
from appliance.cases.tables import CaseNoticeRecord, CaseRecord
from appliance.core.clock import Clock
from appliance.core.errors import Conflict, NotFound
from appliance.core.ids import new_id
from appliance.db.database import Database
from appliance.documents.pdf import render_notice_pdfs
from appliance.events.log import append_event
from appliance.jobs.service.print_jobs import add_print_job
from appliance.jobs.tables import PrintJob
from appliance.settings import Settings

NOTICE_COPIES = 2  # 一式二份: the applicant's copy and the archive's
_SAFE = re.compile(r"^[0-9A-Za-z_-]{1,64}$")
T = TypeVar("T")


@dataclass(frozen=True)
class StagedNotice:
    """A rendered notice written to its temporary file, ready to publish."""

    issued: IssuedNotice
    pdf: bytes
    sha256: str
    size: int
    path: str  # relative to the notice root
    tmp: Path
    final: Path


def render(issued: Sequence[IssuedNotice]) -> list[tuple[IssuedNotice, bytes]]:
    """The A4 PDF of each notice, typeset by the notice worker in one request (call it
    outside the write lock); raises ``NoticeRenderFailed`` (409) when the worker fails."""
    return list(zip(issued, render_notice_pdfs([n.notice for n in issued]), strict=True))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class NoticeFiles:
    """The folder of kept notice PDFs."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _folder(self, case_number: str) -> Path:
        if not _SAFE.match(case_number):
            raise NotFound(f"办件编号“{case_number}”格式不正确", "unknown_case")
        return self.root / case_number

    def prepare(
        self, case_number: str, seq: int, rendered: Sequence[tuple[IssuedNotice, bytes]]
    ) -> list[StagedNotice]:
        """Name, hash and size each rendered PDF (no I/O yet)."""
        folder = self._folder(case_number)
        out = []
        for issued, pdf in rendered:
            name = f"{seq:02d}-{issued.kind}.pdf"
            out.append(
                StagedNotice(
                    issued,
                    pdf,
                    hashlib.sha256(pdf).hexdigest(),
                    len(pdf),
                    f"{case_number}/{name}",
                    folder / f".{name}.{new_id()}.tmp",
                    folder / name,
                )
            )
        return out

    def write_temp(self, staged: Sequence[StagedNotice]) -> None:
        """Write each PDF to its temporary file beside its final name, fsync'ed."""
        if not staged:
            return
        folder = staged[0].final.parent
        new_folder = not folder.exists()
        folder.mkdir(parents=True, exist_ok=True)
        if new_folder:
            _fsync_dir(folder.parent)
        try:
            for n in staged:
                with open(n.tmp, "wb") as fh:
                    fh.write(n.pdf)
                    fh.flush()
                    os.fsync(fh.fileno())
        except BaseException:
            self.discard(staged)
            raise

    def publish(self, staged: Sequence[StagedNotice]) -> None:
        """Rename into place and fsync the folder (inside the transaction, before commit,
        and only once the case is known unchanged: the final names are then ours)."""
        done: list[StagedNotice] = []
        try:
            for n in staged:
                os.replace(n.tmp, n.final)
                done.append(n)
            for folder in {n.final.parent for n in staged}:
                _fsync_dir(folder)
        except BaseException:
            self.discard(done, published=True)
            raise

    def discard(self, staged: Sequence[StagedNotice], published: bool = False) -> None:
        """Remove what ``stage`` (and, once ``published``, ``publish``) wrote.

        A stale attempt never published, so it must not touch the final names: another
        writer may own them by now.
        """
        for n in staged:
            n.tmp.unlink(missing_ok=True)
            if published:
                n.final.unlink(missing_ok=True)
        for folder in {n.final.parent for n in staged}:
            with contextlib.suppress(OSError):  # only when empty: a new case's first write
                folder.rmdir()

    def read(self, row: CaseNoticeRecord) -> bytes:
        """The kept PDF, checked against its SHA-256."""
        try:
            data = (self.root / row.path).read_bytes()
        except OSError:
            raise Conflict(
                f"通知书文件“{row.path}”已丢失，请联系管理员从备份恢复", "notice_file_missing"
            ) from None
        if hashlib.sha256(data).hexdigest() != row.sha256:
            raise Conflict(
                f"通知书文件“{row.path}”校验值不符，文件可能已损坏或被改动", "notice_file_corrupt"
            )
        return data


def commit_with_files(
    db: Database, files: NoticeFiles, staged: Sequence[StagedNotice], write: Callable[[Session], T]
) -> T:
    """One write transaction (``write``) that also puts the notice files in place before it
    commits; if anything fails (or ``write`` finds the case changed) the files go."""
    files.write_temp(staged)  # before the lock: only the renames happen under it
    published = False
    try:
        with db.write() as s:
            result = write(s)
            files.publish(staged)
            published = True
            return result  # the transaction commits on leaving the block
    except BaseException:
        files.discard(staged, published)
        raise


def record(
    s: Session,
    case_id: str,
    case_number: str,
    seq: int,
    staged: Sequence[StagedNotice],
    now: datetime,
) -> list[CaseNoticeRecord]:
    """In the caller's transaction: one ``case_notice`` row and one print job per notice.

    The job's payload is ``{"notice": <Notice fields>, "case_notice_id": id}``: an A4
    station prints the kept PDF, a thermal-only one the condensed receipt of the fields.
    """
    rows = []
    for n in staged:
        row = CaseNoticeRecord(  # its id is set here, so the job can name it before the insert
            case_id=case_id,
            case_number=case_number,
            transition_seq=seq,
            kind=n.issued.kind,
            title=n.issued.title,
            path=n.path,
            sha256=n.sha256,
            size=n.size,
            created_at=now,
        )
        payload = {"notice": asdict(n.issued.notice), "case_notice_id": row.id}
        row.print_job_id = add_print_job(s, "notice", payload, now, copies=NOTICE_COPIES).id
        s.add(row)
        rows.append(row)
    s.flush()
    return rows


def _view(row: CaseNoticeRecord, job: PrintJob | None) -> CaseNoticeView:
    return CaseNoticeView(
        id=row.id,
        case_number=row.case_number,
        kind=row.kind,
        title=row.title,
        transition_seq=row.transition_seq,
        created_at=row.created_at,
        size=row.size,
        sha256=row.sha256,
        print_job_id=row.print_job_id,
        print_status=job.status if job else None,
    )


class CaseNoticeService:
    """Reads and reprints of the notices kept with a case (staff API, device API)."""

    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self.files = NoticeFiles(settings.case_notice_path)

    def _notice(
        self, s: Session, notice_id: str, case: CaseRecord | None = None
    ) -> CaseNoticeRecord:
        row = s.get(CaseNoticeRecord, notice_id)
        if row is None or (case is not None and row.case_id != case.id):
            where = f"办件 {case.case_number} " if case is not None else ""
            raise NotFound(f"{where}没有编号为“{notice_id}”的通知书", "unknown_notice")
        return row

    def for_case(self, case_number: str) -> list[CaseNoticeView]:
        """The notices of a case, oldest first, with the state of their latest print job."""
        with self.db.read() as s:
            case = case_row(s, case_number)
            rows = s.exec(
                select(CaseNoticeRecord)
                .where(CaseNoticeRecord.case_id == case.id)
                .order_by(col(CaseNoticeRecord.transition_seq), col(CaseNoticeRecord.created_at))
            ).all()
            return [
                _view(r, s.get(PrintJob, r.print_job_id) if r.print_job_id else None) for r in rows
            ]

    def pdf(self, case_number: str, notice_id: str) -> tuple[bytes, str]:
        """The kept PDF and a file name for the download."""
        with self.db.read() as s:
            row = self._notice(s, notice_id, case_row(s, case_number))
        return self.files.read(row), row.path.replace("/", "-")

    def device_pdf(self, notice_id: str) -> bytes:
        """The kept PDF for the hardware service's A4 printer (checked against its hash)."""
        with self.db.read() as s:
            row = self._notice(s, notice_id)
        return self.files.read(row)

    def reprint(self, case_number: str, notice_id: str, staff_code: str) -> CaseNoticeView:
        """补打: a new print job (copies=2) of the kept PDF; the notice keeps its number."""
        now = self.clock.now()
        with self.db.write() as s:
            row = self._notice(s, notice_id, case_row(s, case_number))
            self.files.read(row)  # refuse to queue a job for a missing or altered file
            old = s.get(PrintJob, row.print_job_id) if row.print_job_id else None
            payload: dict[str, object] = {"case_notice_id": row.id, "notice": None}
            if old is not None:
                payload = {**_json(old.payload), "case_notice_id": row.id}
            job = add_print_job(s, "notice", payload, now, copies=NOTICE_COPIES)
            append_event(
                s,
                "case_notice.reprinted",
                "case_notice",
                row.id,
                {
                    "case_number": row.case_number,
                    "kind": row.kind,
                    "print_job_id": job.id,
                    "of": row.print_job_id,
                    "by": staff_code,
                },
                now,
            )
            row.print_job_id = job.id
            s.add(row)
            s.flush()
            return _view(row, job)


def _json(text: str) -> dict[str, object]:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
