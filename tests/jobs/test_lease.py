"""The leased-job lifecycle shared by print jobs and SMS (R-Q3, R-K2, R-N1): claim, lease
expiry, done, temporary and permanent failure, cancel — one helper, two status vocabularies."""

from __future__ import annotations

import pytest

from appliance.core.errors import Conflict, Invalid
from appliance.jobs.rules.lease import PRINT_JOBS, SMS, PrintStatus, SmsStatus, check_claim
from appliance.jobs.tables import PrintJob, SmsMessage
from appliance.queue.rules.tickets import TicketSource
from tests.support.station import Station


def test_each_queue_names_the_five_roles_in_its_own_words() -> None:
    assert [PRINT_JOBS.pending, PRINT_JOBS.leased, PRINT_JOBS.done, PRINT_JOBS.failed] == [
        "pending",
        "printing",
        "done",
        "error",
    ]
    assert [SMS.pending, SMS.leased, SMS.done, SMS.failed] == [
        "pending",
        "sending",
        "sent",
        "failed",
    ]
    assert PRINT_JOBS.can_report(PrintStatus.PRINTING) and PRINT_JOBS.can_report("pending")
    assert not PRINT_JOBS.can_report(PrintStatus.DONE) and not SMS.can_report(SmsStatus.FAILED)
    assert SMS.can_cancel(SmsStatus.FAILED) and not SMS.can_cancel(SmsStatus.SENT)
    with pytest.raises(Invalid, match="每次领取的短信数量须在 1–50 之间"):
        check_claim(51, "短信")


def test_a_print_job_lives_through_lease_expiry_failure_and_done(station: Station) -> None:
    q, jobs, clock = station.services.queue, station.services.print_jobs, station.clock
    q.issue("A", TicketSource.KIOSK)
    [claim] = jobs.claim(["receipt"], 5, 30)
    assert jobs.claim(["receipt"], 5, 30) == []  # leased: nobody else gets it
    clock.advance(seconds=31)  # the worker died: the lease ran out
    [again] = jobs.claim(["receipt"], 5, 30)
    assert again.id == claim.id
    failed = jobs.mark_failed(claim.id, "缺纸")
    assert (failed.status, failed.attempts, failed.last_error) == ("pending", 1, "缺纸")
    [retry] = jobs.claim(["receipt"], 5, 30)
    done = jobs.mark_done(retry.id)
    assert (done.status, done.attempts) == ("done", 2)
    with pytest.raises(Conflict, match="打印任务状态为 done，不能标记为失败"):
        jobs.mark_failed(claim.id, "迟到的失败")
    with pytest.raises(Conflict, match="已完成或已取消"):
        jobs.cancel(claim.id, "staff")
    with station.services.db.read() as s:
        row = s.get(PrintJob, claim.id)
        assert row is not None and row.claimed_until is None


def test_an_sms_backs_off_then_parks_for_staff(station: Station) -> None:
    q, sms, clock = station.services.queue, station.services.sms, station.clock
    q.issue("A", TicketSource.KIOSK, phone="13812345678")
    [first] = sms.claim(5, 60)
    sms.mark_failed(first.id, "无信号", permanent=False)
    assert sms.claim(5, 60) == []  # backing off: not due yet
    clock.advance(minutes=2)
    [again] = sms.claim(5, 60)
    parked = sms.mark_failed(again.id, "号码无效", permanent=True)
    assert (parked.status, parked.attempts) == ("failed", 2)
    clock.advance(minutes=60)
    assert sms.claim(5, 60) == []  # a permanent failure waits for staff
    assert [a.kind for a in station.services.alerts.open_alerts()] == ["sms_failed"]
    retried = sms.retry(again.id, "staff")
    assert retried.status == "pending"
    cancelled = sms.cancel(again.id, "staff")
    assert cancelled.status == "cancelled" and station.services.alerts.open_alerts() == []
    with station.services.db.read() as s:
        row = s.get(SmsMessage, again.id)
        assert row is not None and row.cancelled_by == "staff"
