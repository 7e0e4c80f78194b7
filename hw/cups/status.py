"""From CUPS printer and job attributes to our printer states (打印机状态). Pure: no I/O.

``printer-state`` is 3 (idle), 4 (processing) or 5 (stopped). ``printer-state-reasons`` are
IPP keywords, optionally suffixed ``-report``, ``-warning`` or ``-error`` (``media-empty-error``);
``none`` means no reason. What we learned from a real cupsd (see ``tests/test_cups_*.py``):

* ``cupsdisable`` stops the queue: state 5 with the reason ``paused``;
* ``cupsreject`` keeps the state but sets ``printer-is-accepting-jobs`` to false;
* an unreachable ``socket://`` printer (a LAN ESC/POS printer switched off) sets **no**
  reason: the backend retries every few seconds and the queue stays *processing* with the
  message "The printer may not exist or is unavailable at this time.". We call a queue whose
  oldest job has been processing for longer than ``stall_seconds`` offline (a receipt takes
  well under a second);
* a USB printer that is unplugged reports ``offline-report``; IPP printers report
  ``media-empty`` and friends themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from hw.protocols import PrinterStatus

IDLE, PROCESSING, STOPPED = 3, 4, 5
PRINTER_STATE_NAMES = {IDLE: "空闲", PROCESSING: "正在打印", STOPPED: "已停止"}

JobState = Literal["pending", "held", "processing", "stopped", "canceled", "aborted", "completed"]
JOB_STATES: dict[int, JobState] = {
    3: "pending",
    4: "held",
    5: "processing",
    6: "stopped",
    7: "canceled",
    8: "aborted",
    9: "completed",
}
JOB_STATE_LABELS: dict[JobState, str] = {
    "pending": "等待打印",
    "held": "已挂起",
    "processing": "正在打印",
    "stopped": "已停止",
    "canceled": "已取消",
    "aborted": "打印失败",
    "completed": "已完成",
}

MEDIA_REASONS = frozenset({"media-empty", "media-needed", "input-tray-missing"})
OFFLINE_REASONS = frozenset({"offline", "shutdown", "timed-out"})
FAULT_REASONS = frozenset(
    {"media-jam", "cover-open", "door-open", "toner-empty", "marker-supply-empty", "other"}
)
REASON_LABELS = {
    "media-empty": "缺纸",
    "media-needed": "需要装纸",
    "input-tray-missing": "纸盒未装好",
    "offline": "打印机离线",
    "shutdown": "打印机已关机",
    "timed-out": "打印机无响应",
    "paused": "打印队列已暂停",
    "media-jam": "卡纸",
    "cover-open": "机盖未关",
    "door-open": "机门未关",
    "toner-empty": "墨粉用完",
    "marker-supply-empty": "耗材用完",
    "other": "打印机故障",
}
_SUFFIXES = ("-report", "-warning", "-error")


def reason_keywords(reasons: Iterable[str] | str | None) -> set[str]:
    """``printer-state-reasons`` without ``none`` and without the severity suffixes."""
    if reasons is None:
        return set()
    if isinstance(reasons, str):
        reasons = [reasons]
    out: set[str] = set()
    for reason in reasons:
        for suffix in _SUFFIXES:
            if reason.endswith(suffix):
                reason = reason[: -len(suffix)]
                break
        if reason and reason != "none":
            out.add(reason)
    return out


def _detail(queue: str, words: Iterable[str], message: str) -> str:
    labels = [REASON_LABELS[w] for w in sorted(words) if w in REASON_LABELS]
    parts = [f"打印队列 {queue}", *labels]
    if message:
        parts.append(message)
    return "，".join(parts)


def printer_status(
    queue: str,
    attrs: Mapping[str, Any],
    *,
    stalled_seconds: float = 0.0,
    stall_limit: float = 15.0,
) -> PrinterStatus:
    """Map a queue's attributes to ready / offline / media-empty / paused.

    ``stalled_seconds`` is how long the queue's oldest job has been processing.
    """
    state = int(attrs.get("printer-state", IDLE))
    words = reason_keywords(attrs.get("printer-state-reasons"))
    message = str(attrs.get("printer-state-message") or "")
    if words & MEDIA_REASONS:
        return PrinterStatus.of("media-empty", _detail(queue, words, message))
    if words & (OFFLINE_REASONS | FAULT_REASONS):
        return PrinterStatus.of("offline", _detail(queue, words, message))
    if state == STOPPED or "paused" in words:
        return PrinterStatus.of("paused", _detail(queue, words | {"paused"}, message))
    if not attrs.get("printer-is-accepting-jobs", True):
        return PrinterStatus.of("paused", _detail(queue, ["不接受新作业"], message))
    if state == PROCESSING and stalled_seconds > stall_limit:
        waited = f"作业已等待 {int(stalled_seconds)} 秒，打印机未接收数据"
        return PrinterStatus.of("offline", _detail(queue, words, waited))
    return PrinterStatus.of("ready", f"打印队列 {queue}：{PRINTER_STATE_NAMES.get(state, '')}")


def stalled_for(jobs: Mapping[int, Mapping[str, Any]], queue: str, now: float) -> float:
    """Seconds the oldest *processing* job of ``queue`` has been printing (0 if none)."""
    started = [
        float(job.get("time-at-processing") or now)
        for job in jobs.values()
        if int(job.get("job-state", 0)) == 5
        and str(job.get("job-printer-uri", "")).rstrip("/").endswith(f"/printers/{queue}")
    ]
    return max(0.0, now - min(started)) if started else 0.0


@dataclass(frozen=True)
class CupsJob:
    """One CUPS job as :meth:`hw.cups.CupsQueue.job_state` reports it."""

    job_id: int
    state: JobState
    reasons: tuple[str, ...] = ()
    message: str = ""

    @property
    def label(self) -> str:
        return JOB_STATE_LABELS[self.state]

    @property
    def done(self) -> bool:
        """Completed: the printer (or its device) took every byte."""
        return self.state == "completed"

    @property
    def final(self) -> bool:
        """No longer changes by itself (completed, canceled or aborted)."""
        return self.state in ("completed", "canceled", "aborted")


def job_from_attributes(job_id: int, attrs: Mapping[str, Any]) -> CupsJob:
    reasons = attrs.get("job-state-reasons") or ()
    if isinstance(reasons, str):
        reasons = (reasons,)
    return CupsJob(
        job_id,
        JOB_STATES.get(int(attrs.get("job-state", 3)), "pending"),
        tuple(str(r) for r in reasons),
        str(attrs.get("job-printer-state-message") or ""),
    )
