"""同步状态: what staff see about the county sync (backlog, oldest unsent, last success, error).

Read-only: it counts events after ``sync_state.acked_through_seq`` (the outbox) and the
quarantine. ``lines`` renders the Chinese text the TUI status bar and ``yizhan sync status``
show; the HTTP endpoint returns both the numbers and that text.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

import msgspec
from sqlmodel import col, func, select

from appliance.core.clock import Clock
from appliance.db.database import Database
from appliance.events.tables import Event
from appliance.uplink.schemas import SyncStatusView
from appliance.uplink.tables import SYNC_STATE_ID, SyncQuarantine, SyncState


def age_text(seconds: float) -> str:
    """A coarse Chinese age: 刚刚, 12 分钟前, 5 小时前, 3 天前."""
    if seconds < 60:
        return "刚刚"
    if seconds < 3600:
        return f"{int(seconds // 60)} 分钟前"
    if seconds < 86400:
        return f"{int(seconds // 3600)} 小时前"
    return f"{int(seconds // 86400)} 天前"


class SyncStatusService:
    def __init__(self, db: Database, clock: Clock, tz: tzinfo | str, county_url: str = "") -> None:
        self.db = db
        self.clock = clock
        self.tz = ZoneInfo(tz) if isinstance(tz, str) else tz
        self.county_url = county_url

    def status(self) -> SyncStatusView:
        now = self.clock.now()
        with self.db.read() as s:
            state = s.get(SyncState, SYNC_STATE_ID)
            acked = state.acked_through_seq if state else 0
            backlog = int(s.exec(select(func.count()).where(Event.seq > acked)).one())
            oldest = s.exec(
                select(Event.occurred_at).where(Event.seq > acked).order_by(col(Event.seq))
            ).first()
            quarantined = int(s.exec(select(func.count()).select_from(SyncQuarantine)).one())
        view = SyncStatusView(
            enrolled=state is not None,
            configured=state is not None or bool(self.county_url.strip()),
            backlog=backlog,
            oldest_unacked_at=oldest,
            oldest_age_s=max(0.0, (now - oldest).total_seconds()) if oldest else None,
            last_success_at=state.last_success_at if state else None,
            last_attempt_at=state.last_attempt_at if state else None,
            last_error=state.last_error if state else None,
            last_error_at=state.last_error_at if state else None,
            next_attempt_at=state.next_attempt_at if state else None,
            quarantined=quarantined,
            acked_through_seq=acked,
            ref_rev=state.ref_rev if state else 0,
            drift_tables=state.drift_tables if state else None,
        )
        summary, problems = self._texts(view)
        return msgspec.structs.replace(view, summary=summary, problems=problems)

    def lines(self) -> list[str]:
        """The summary and the problems, one per line (``yizhan sync status``)."""
        view = self.status()
        head = view.summary or "同步：未配置县级中心地址（county_url）"
        return [head, *view.problems]

    # ---- text ----------------------------------------------------------------------------
    def _at(self, at: datetime) -> str:
        return at.astimezone(self.tz).strftime("%m-%d %H:%M")

    def _texts(self, v: SyncStatusView) -> tuple[str, list[str]]:
        if not v.configured:
            return "", []
        last = f"上次成功 {self._at(v.last_success_at)}" if v.last_success_at else "从未成功同步"
        if not v.enrolled:
            summary = f"同步：本站尚未登记县级中心 · 未同步 {v.backlog} 条"
        elif v.backlog == 0 and not v.last_error:
            summary = f"同步正常 · {last}"
        elif v.backlog == 0:
            summary = f"同步：记录已全部上传 · {last}"
        else:
            age = f"，最早 {age_text(v.oldest_age_s)}" if v.oldest_age_s is not None else ""
            summary = f"同步：未同步 {v.backlog} 条{age} · {last}"
        problems: list[str] = []
        if v.last_error:
            parts = [self._at(v.last_error_at)] if v.last_error_at else []
            if v.next_attempt_at:
                parts.append(f"{self._at(v.next_attempt_at)} 重试")
            suffix = f"（{'，'.join(parts)}）" if parts else ""
            problems.append(f"同步出错：{v.last_error}{suffix}")
        if v.quarantined:
            problems.append(f"同步：{v.quarantined} 条记录被县级中心拒收，已隔离，请联系县级中心")
        if v.drift_tables:
            problems.append(f"同步：参考数据与县级中心不一致（{v.drift_tables}），正在重新下载")
        return summary, problems
