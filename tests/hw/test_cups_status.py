"""CUPS attributes → printer state, without a cupsd (R-N1: offline is a state, not an error)."""

from __future__ import annotations

from typing import Any

import cups
import pytest

from hw.cups import printer_status, reason_keywords, translate
from hw.cups.status import JOB_STATES, job_from_attributes, stalled_for


def attrs(
    state: int = 3, reasons: Any = ("none",), accepting: bool = True, message: str = ""
) -> dict[str, Any]:
    return {
        "printer-state": state,
        "printer-state-reasons": list(reasons) if not isinstance(reasons, str) else reasons,
        "printer-is-accepting-jobs": accepting,
        "printer-state-message": message,
    }


def test_reason_keywords_drop_none_and_severity_suffixes() -> None:
    assert reason_keywords(["none"]) == set()
    assert reason_keywords(None) == set()
    assert reason_keywords("media-empty-error") == {"media-empty"}
    assert reason_keywords(["offline-report", "toner-low-warning", "paused"]) == {
        "offline",
        "toner-low",
        "paused",
    }


@pytest.mark.parametrize(
    ("given", "state", "label"),
    [
        (attrs(), "ready", "打印机就绪"),
        (attrs(4), "ready", "打印机就绪"),
        (attrs(3, ["media-empty-error"]), "media-empty", "打印机缺纸"),
        (attrs(3, ["media-needed-warning"]), "media-empty", "打印机缺纸"),
        (attrs(3, ["offline-report"]), "offline", "打印机未连接"),
        (attrs(3, ["media-jam-error"]), "offline", "打印机未连接"),
        (attrs(5, ["paused"]), "paused", "打印机已暂停"),
        (attrs(5, ["none"]), "paused", "打印机已暂停"),
        (attrs(3, accepting=False), "paused", "打印机已暂停"),
        # paper out wins over a stopped queue: that is what staff must fix first
        (attrs(5, ["paused", "media-empty-error"]), "media-empty", "打印机缺纸"),
        (attrs(3, ["toner-low-warning"]), "ready", "打印机就绪"),
    ],
)
def test_printer_status_mapping_r_n1(given: dict[str, Any], state: str, label: str) -> None:
    """R-N1: printer-state and printer-state-reasons map to ready/offline/media-empty/paused."""
    status = printer_status("receipt", given)
    assert (status.state, status.label) == (state, label)
    assert status.detail.startswith("打印队列 receipt")


def test_reason_details_are_chinese() -> None:
    status = printer_status("bon", attrs(5, ["paused", "media-jam-error"], message="Paper jam"))
    assert "卡纸" in status.detail and "Paper jam" in status.detail


def test_stalled_processing_reads_offline_r_n1() -> None:
    """R-N1: a socket:// printer that is off sets no reason; a job processing too long does."""
    busy = attrs(4, message="The printer may not exist or is unavailable at this time.")
    assert printer_status("bon", busy, stalled_seconds=3, stall_limit=15).ready
    status = printer_status("bon", busy, stalled_seconds=20, stall_limit=15)
    assert status.state == "offline" and "作业已等待 20 秒" in status.detail
    # an idle queue is never stalled
    assert printer_status("bon", attrs(3), stalled_seconds=99, stall_limit=15).ready


def test_stalled_for_looks_at_our_queue_only() -> None:
    jobs = {
        1: {
            "job-state": 5,
            "time-at-processing": 100,
            "job-printer-uri": "ipp://localhost/printers/bon",
        },
        2: {
            "job-state": 5,
            "time-at-processing": 50,
            "job-printer-uri": "ipp://localhost/printers/bon2",
        },
        3: {"job-state": 3, "job-printer-uri": "ipp://localhost/printers/bon"},
    }
    assert stalled_for(jobs, "bon", now=130) == 30
    assert stalled_for(jobs, "a4", now=130) == 0


def test_job_states_and_attributes() -> None:
    assert JOB_STATES[9] == "completed" and JOB_STATES[5] == "processing"
    job = job_from_attributes(7, {"job-state": 8, "job-state-reasons": "job-aborted-by-system"})
    assert (job.state, job.label, job.final, job.done) == ("aborted", "打印失败", True, False)
    assert job.reasons == ("job-aborted-by-system",)
    assert job_from_attributes(8, {"job-state": 9}).done


def test_library_errors_become_printer_unavailable_r_n1() -> None:
    """R-N1: pycups errors are translated at one place into PrinterUnavailable with a state."""
    missing = translate(cups.IPPError(0x0406, "client-error-not-found"), "bon")
    assert (missing.state, missing.reason) == ("offline", "找不到打印队列“bon”")
    assert translate(cups.IPPError(0x0507, "not accepting"), "bon").state == "paused"
    assert translate(RuntimeError("failed to connect to server"), "bon").state == "offline"
    assert translate(cups.HTTPError(500), "bon").state == "offline"
