"""Durable print jobs (打印任务): leased to the hardware service, retried until printed or cancelled."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

from sqlmodel import Session, col, select

from appliance.core.clock import Clock
from appliance.core.errors import Conflict, Invalid, NotFound
from appliance.db.database import Database
from appliance.events.log import append_event
from appliance.jobs.rules.lease import PRINT_JOBS, check_claim
from appliance.jobs.schemas import PrintJobClaim, PrintJobView
from appliance.jobs.service import lease
from appliance.jobs.tables import PrintJob
from appliance.settings import Settings

JOB_KINDS = ("receipt", "notice")


def _title(job: PrintJob) -> str:
    try:
        data = json.loads(job.payload)
    except ValueError:
        return job.kind
    ticket = data.get("ticket") or {}
    notice = data.get("notice") or {}  # 受理通知书, 一次性告知单 …
    return str(ticket.get("number") or data.get("title") or notice.get("title") or job.kind)


def _view(job: PrintJob) -> PrintJobView:
    return PrintJobView(
        id=job.id,
        kind=job.kind,
        ticket_id=job.ticket_id,
        title=_title(job),
        status=job.status,
        attempts=job.attempts,
        copies=job.copies,
        last_error=job.last_error,
        created_at=job.created_at,
        done_at=job.done_at,
    )


def claim_of(job: PrintJob) -> PrintJobClaim:
    """What the hardware service gets for a job leased to it."""
    return PrintJobClaim(
        id=job.id, kind=job.kind, payload=job.payload, copies=job.copies, attempts=job.attempts
    )


def add_print_job(
    s: Session,
    kind: str,
    payload: Mapping[str, object],
    now: datetime,
    ticket_id: str | None = None,
    copies: int = 1,
) -> PrintJob:
    """Write a print job inside the caller's transaction."""
    job = PrintJob(
        kind=kind,
        ticket_id=ticket_id,
        copies=copies,
        created_at=now,
        payload=json.dumps(payload, ensure_ascii=False, default=str),
    )
    s.add(job)
    s.flush()
    append_event(
        s, "print_job.created", "print_job", job.id, {"kind": kind, "ticket_id": ticket_id}, now
    )
    return job


class PrintJobService:
    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock

    def _get(self, s: Session, job_id: str) -> PrintJob:
        job = s.get(PrintJob, job_id)
        if job is None:
            raise NotFound("找不到该打印任务", "unknown_print_job")
        return job

    def claim(
        self, kinds: list[str], limit: int = 5, lease_seconds: float = 60.0
    ) -> list[PrintJobClaim]:
        """Oldest first; a job whose lease expired (the service died) is claimable again."""
        bad = [k for k in kinds if k not in JOB_KINDS]
        if not kinds or bad:
            raise Invalid(f"打印任务类型只能是 {'、'.join(JOB_KINDS)}", "bad_kind")
        check_claim(limit, "打印任务")
        now = self.clock.now()
        with self.db.write() as s:
            jobs = lease.claim(
                s,
                PrintJob,
                PRINT_JOBS,
                now,
                limit,
                lease_seconds,
                where=col(PrintJob.kind).in_(kinds),
            )
            return [claim_of(j) for j in jobs]

    def mark_done(self, job_id: str) -> PrintJobView:
        now = self.clock.now()
        with self.db.write() as s:
            job = self._get(s, job_id)
            if not PRINT_JOBS.can_report(job.status):
                raise Conflict(
                    f"打印任务状态为 {job.status}，不能标记为已打印", "illegal_job_state"
                )
            job.done_at = now
            lease.complete(s, job, PRINT_JOBS)
            append_event(s, "print_job.done", "print_job", job.id, {"kind": job.kind}, now)
            return _view(job)

    def mark_failed(self, job_id: str, error: str, permanent: bool = False) -> PrintJobView:
        """Back to pending; an event is written only when the reason changes (no flood).

        ``permanent`` (the job can never print, e.g. a corrupt payload) parks it as
        ``error`` for staff to see, so it cannot block the jobs behind it.
        """
        now = self.clock.now()
        with self.db.write() as s:
            job = self._get(s, job_id)
            if not PRINT_JOBS.can_report(job.status):
                raise Conflict(f"打印任务状态为 {job.status}，不能标记为失败", "illegal_job_state")
            if lease.fail(s, job, PRINT_JOBS, error, permanent) or permanent:
                append_event(
                    s,
                    "print_job.failed",
                    "print_job",
                    job.id,
                    {"error": job.last_error, "permanent": permanent},
                    now,
                )
            return _view(job)

    def cancel(self, job_id: str, staff_id: str) -> PrintJobView:
        now = self.clock.now()
        with self.db.write() as s:
            job = self._get(s, job_id)
            if not PRINT_JOBS.can_cancel(job.status):
                raise Conflict("该打印任务已完成或已取消", "illegal_job_state")
            lease.cancel(s, job, PRINT_JOBS, staff_id)
            append_event(s, "print_job.cancelled", "print_job", job.id, {"by": staff_id}, now)
            return _view(job)

    def reprint(self, job_id: str, staff_id: str) -> PrintJobView:
        """补打: a new job with the same content."""
        now = self.clock.now()
        with self.db.write() as s:
            old = self._get(s, job_id)
            job = add_print_job(
                s, old.kind, json.loads(old.payload), now, old.ticket_id, old.copies
            )
            append_event(
                s, "print_job.reprinted", "print_job", job.id, {"of": old.id, "by": staff_id}, now
            )
            return _view(job)

    def list_jobs(self, status: str | None = None, limit: int = 100) -> list[PrintJobView]:
        with self.db.read() as s:
            q = select(PrintJob).order_by(col(PrintJob.created_at).desc()).limit(limit)
            if status:
                q = q.where(PrintJob.status == status)
            return [_view(j) for j in s.exec(q)]

    def for_ticket(self, ticket_id: str) -> PrintJobView:
        with self.db.read() as s:
            job = s.exec(
                select(PrintJob)
                .where(PrintJob.ticket_id == ticket_id)
                .order_by(col(PrintJob.created_at).desc())
            ).first()
            if job is None:
                raise NotFound("该号码没有打印任务", "unknown_print_job")
            return _view(job)
