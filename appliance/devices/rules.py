"""The hardware service's health (硬件服务状态) from its heartbeat and the print queue.

Pure: plain values in, a verdict out. The server's monitor feeds it seconds measured on a
monotonic clock, so a wall clock that jumps (no RTC, a clock set by staff or the county)
never fakes or hides a silence.
"""

from __future__ import annotations

from dataclasses import dataclass

HARDWARE = "hwservice"
"""The device row (``device_status``) that carries the hardware service's own state."""

READY, SILENT, STALLED, STOPPED = "ready", "silent", "stalled", "stopped"
UNKNOWN = "unknown"
"""State shown for a device whose last report cannot be trusted (its reporter is silent)."""


@dataclass(frozen=True)
class HardwareVerdict:
    """``state`` is ready, silent, stopped or stalled; ``label`` a short Chinese line."""

    state: str
    label: str
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.state == READY


def _age(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} 秒"
    if seconds < 5400:
        return f"{seconds / 60:.0f} 分钟"
    return f"{seconds / 3600:.1f} 小时"


def hardware_verdict(
    *,
    since_heartbeat: float | None,
    since_start: float,
    silent_after: float,
    startup_grace: float,
    stopping: bool = False,
    stale_loops: tuple[str, ...] = (),
    unclaimed_jobs: int = 0,
    oldest_unclaimed: float = 0.0,
) -> HardwareVerdict:
    """The verdict on the hardware service.

    ``since_heartbeat`` is None when no heartbeat came since the server started; then the
    service is given ``startup_grace`` seconds (boot order) before it counts as silent.
    Unclaimed print jobs (of the kinds the service said it prints) mean it is alive but not
    doing its work.
    """
    if stopping:
        return HardwareVerdict(STOPPED, "硬件服务已停止", "打印、叫号按钮、语音播报暂不可用")
    if since_heartbeat is None:
        if since_start <= startup_grace:
            return HardwareVerdict(READY, "等待硬件服务连接")
        return HardwareVerdict(
            SILENT,
            "硬件服务未运行",
            f"服务器启动 {_age(since_start)} 仍未收到心跳；打印、叫号按钮、语音播报暂不可用",
        )
    if since_heartbeat > silent_after:
        return HardwareVerdict(
            SILENT,
            "硬件服务无响应",
            f"已 {_age(since_heartbeat)} 没有心跳；打印、叫号按钮、语音播报暂不可用",
        )
    if stale_loops:
        return HardwareVerdict(
            STALLED, "硬件服务卡住", f"{'、'.join(stale_loops)} 循环长时间没有进展"
        )
    if unclaimed_jobs:
        return HardwareVerdict(
            STALLED,
            "打印任务无人领取",
            f"{unclaimed_jobs} 个打印任务已等待 {_age(oldest_unclaimed)}，硬件服务没有领取",
        )
    return HardwareVerdict(READY, "硬件服务正常")


def stale_loops(loops: dict[str, float], silent_after: float) -> tuple[str, ...]:
    """Loops of the hardware service whose last finished step is older than ``silent_after``."""
    return tuple(sorted(name for name, age in loops.items() if age > silent_after))
