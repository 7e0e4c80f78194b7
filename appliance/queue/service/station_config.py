"""Per-station configuration of categories and windows (业务类别与窗口设置)."""

from __future__ import annotations

import re

from sqlmodel import col, select

from appliance.core.clock import Clock
from appliance.core.errors import Conflict, Invalid
from appliance.db.database import Database
from appliance.events.log import append_event
from appliance.queue.schemas import CategoryInfo, WindowInfo
from appliance.queue.service import repo
from appliance.queue.tables import Category, ServiceWindow, WindowCategory

PREFIX_RE = re.compile(r"^[A-Z]$")


class StationConfigService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    @staticmethod
    def _check_category(name: str, prior_minutes: float | None) -> str:
        name = (name or "").strip()
        if not name or len(name) > 20:
            raise Invalid("类别名称不能为空，且不超过 20 字", "bad_name")
        if prior_minutes is not None and not 0 < prior_minutes <= 240:
            raise Invalid("预设办理时长须在 0–240 分钟之间", "bad_prior")
        return name

    def add_category(
        self, prefix: str, name: str, prior_minutes: float | None = None, sort: int = 0
    ) -> CategoryInfo:
        prefix = (prefix or "").strip().upper()
        if not PREFIX_RE.match(prefix):
            raise Invalid("类别字母须为一个英文字母（A–Z）", "bad_prefix")
        name = self._check_category(name, prior_minutes)
        now = self.clock.now()
        with self.db.write() as s:
            if s.exec(select(Category).where(Category.prefix == prefix)).first():
                raise Conflict(f"类别字母 {prefix} 已被使用", "duplicate_prefix")
            cat = Category(prefix=prefix, name=name, prior_minutes=prior_minutes, sort=sort)
            s.add(cat)
            s.flush()
            append_event(
                s, "category.created", "category", cat.id, {"prefix": prefix, "name": name}, now
            )
            return CategoryInfo(
                id=cat.id, prefix=prefix, name=name, prior_minutes=prior_minutes, windows=[]
            )

    def edit_category(self, ref: str, name: str, prior_minutes: float | None) -> CategoryInfo:
        """修改业务类别: name and preset minutes; the letter stays."""
        name = self._check_category(name, prior_minutes)
        now = self.clock.now()
        with self.db.write() as s:
            cat = repo.get_category(s, ref)
            before = {"name": cat.name, "prior_minutes": cat.prior_minutes}
            cat.name, cat.prior_minutes = name, prior_minutes
            s.add(cat)
            s.flush()
            after = {"name": name, "prior_minutes": prior_minutes}
            payload = {"prefix": cat.prefix, "before": before, "after": after}
            append_event(s, "category.updated", "category", cat.id, payload, now)
            return CategoryInfo(
                id=cat.id,
                prefix=cat.prefix,
                name=name,
                prior_minutes=prior_minutes,
                windows=repo.serving_window_numbers(s, cat.id),
            )

    def edit_window(self, ref: str, name: str, categories: list[str]) -> WindowInfo:
        """修改窗口: name and the categories it serves; a ticket being served stays."""
        if not categories:
            raise Invalid("窗口至少要办理一个业务类别", "no_categories")
        now = self.clock.now()
        with self.db.write() as s:
            win = repo.get_window(s, ref)
            cats = [repo.get_category(s, c) for c in dict.fromkeys(categories)]
            before = sorted(
                c.prefix
                for c in (s.get(Category, i) for i in repo.window_categories(s, win.id))
                if c
            )
            for link in s.exec(select(WindowCategory).where(WindowCategory.window_id == win.id)):
                s.delete(link)
            s.flush()
            for c in cats:
                s.add(WindowCategory(window_id=win.id, category_id=c.id))
            win.name = (name or f"{win.number}号窗口").strip()
            s.add(win)
            s.flush()
            after = sorted(c.prefix for c in cats)
            payload = {
                "number": win.number,
                "name": win.name,
                "before": before,
                "categories": after,
            }
            append_event(s, "window.updated", "window", win.id, payload, now)
            return WindowInfo(
                id=win.id,
                number=win.number,
                name=win.name,
                categories=[c.id for c in cats],
                category_prefixes=after,
                paused=win.paused,
            )

    def add_window(self, number: int, name: str, categories: list[str]) -> WindowInfo:
        if not 1 <= number <= 99:
            raise Invalid("窗口号须在 1–99 之间", "bad_number")
        if not categories:
            raise Invalid("窗口至少要办理一个业务类别", "no_categories")
        now = self.clock.now()
        with self.db.write() as s:
            if s.exec(select(ServiceWindow).where(ServiceWindow.number == number)).first():
                raise Conflict(f"{number} 号窗口已存在", "duplicate_window")
            cats = [repo.get_category(s, c) for c in categories]
            win = ServiceWindow(number=number, name=(name or f"{number}号窗口").strip())
            s.add(win)
            s.flush()
            for c in cats:
                s.add(WindowCategory(window_id=win.id, category_id=c.id))
            s.flush()
            append_event(
                s,
                "window.created",
                "window",
                win.id,
                {"number": number, "categories": [c.prefix for c in cats]},
                now,
            )
            return WindowInfo(
                id=win.id,
                number=number,
                name=win.name,
                categories=[c.id for c in cats],
                category_prefixes=[c.prefix for c in cats],
                paused=False,
            )

    def categories(self) -> list[CategoryInfo]:
        with self.db.read() as s:
            return [
                CategoryInfo(
                    id=c.id,
                    prefix=c.prefix,
                    name=c.name,
                    prior_minutes=c.prior_minutes,
                    windows=repo.serving_window_numbers(s, c.id),
                )
                for c in s.exec(
                    select(Category)
                    .where(col(Category.active).is_(True))
                    .order_by(col(Category.sort), col(Category.prefix))
                )
            ]

    def windows(self) -> list[WindowInfo]:
        with self.db.read() as s:
            out = []
            for w in s.exec(select(ServiceWindow).order_by(col(ServiceWindow.number))):
                ids = repo.window_categories(s, w.id)
                prefixes = [c.prefix for c in (s.get(Category, i) for i in ids) if c]
                out.append(
                    WindowInfo(
                        id=w.id,
                        number=w.number,
                        name=w.name,
                        categories=ids,
                        category_prefixes=sorted(prefixes),
                        paused=w.paused,
                    )
                )
            return out
