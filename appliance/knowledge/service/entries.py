"""Knowledge base service (知识库, R-C3): search, keep and retire entries, the public list,
and the export.

Every write is one transaction that changes the entry and appends its event. Entries the
county published (``source`` = county) change only through the county's reference rows
(``appliance/knowledge/service/reference.py``): staff cannot edit or retire them here.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from appliance.core.clock import Clock
from appliance.core.errors import Conflict, Invalid, NotFound
from appliance.core.roles import Principal
from appliance.db.database import Database
from appliance.documents.exports import ExportFile, Sheet, date_range, export_file
from appliance.events.log import append_event
from appliance.knowledge.rules import (
    SOURCE_LABELS,
    Asked,
    Source,
    clean_entry,
    most_asked,
    search_score,
)
from appliance.knowledge.schemas import KnowledgeIn, KnowledgeView, PublicKnowledge
from appliance.knowledge.service.store import (
    add_entry,
    entry_payload,
    keywords_of,
    searchable,
    set_text,
    view,
)
from appliance.knowledge.tables import KnowledgeEntry
from appliance.settings import Settings

MAX_QUERY = 50
MAX_LIMIT = 100
EXPORT_HEADERS = (
    "问题",
    "标准答案",
    "关键词",
    "来源",
    "被咨询次数",
    "对外公开",
    "状态",
    "来自咨询",
    "整理人",
    "创建时间",
    "更新时间",
)


class KnowledgeService:
    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.tz = ZoneInfo(settings.timezone)

    def _today(self) -> date:
        return self.clock.now().astimezone(self.tz).date()

    # ---- reads ---------------------------------------------------------------------------
    def search(
        self, query: str = "", limit: int = 20, retired: bool = False
    ) -> list[KnowledgeView]:
        """知识检索 (R-C3): question, keyword, answer text or pinyin initials; best first.

        An empty query lists the most-asked entries first; ``retired`` adds 已停用 ones."""
        query = (query or "").strip()
        if len(query) > MAX_QUERY:
            raise Invalid(f"检索词不能超过 {MAX_QUERY} 个字", "long_query")
        if not 1 <= limit <= MAX_LIMIT:
            raise Invalid(f"返回条数须在 1–{MAX_LIMIT} 之间", "bad_limit")
        with self.db.read() as s:
            stmt = select(KnowledgeEntry)
            if not retired:
                stmt = stmt.where(col(KnowledgeEntry.active).is_(True))
            rows = s.exec(stmt).all()
        scored = []
        for row in rows:
            score = search_score(query, searchable(row))
            if score > 0:
                recency = -row.updated_at.timestamp()
                scored.append((-score, -row.asked_count, recency, row.id, row))
        scored.sort(key=lambda t: t[:4])
        return [view(t[4]) for t in scored[:limit]]

    def get(self, entry_id: str) -> KnowledgeView:
        with self.db.read() as s:
            row = s.get(KnowledgeEntry, entry_id)
            if row is None:
                raise NotFound("找不到该知识条目", "unknown_entry")
            return view(row)

    def public_list(self) -> list[PublicKnowledge]:
        """常见问题 (GD 6.4.3): the most-asked public entries, for the public page."""
        with self.db.read() as s:
            rows = s.exec(
                select(KnowledgeEntry).where(
                    col(KnowledgeEntry.active).is_(True), col(KnowledgeEntry.public).is_(True)
                )
            ).all()
        by_id = {r.id: r for r in rows}
        ranked = most_asked(
            [Asked(r.id, r.asked_count, r.updated_at) for r in rows],
            self.settings.knowledge_public_top,
        )
        return [
            PublicKnowledge(
                id=by_id[i].id,
                question=by_id[i].question,
                answer=by_id[i].answer,
                keywords=keywords_of(by_id[i]),
                asked_count=by_id[i].asked_count,
            )
            for i in ranked
        ]

    # ---- writes (R-C3) -------------------------------------------------------------------
    def create(self, body: KnowledgeIn, actor: Principal) -> KnowledgeView:
        """A new station entry (本站整理)."""
        text = clean_entry(body.question, body.answer, body.keywords)
        now = self.clock.now()
        with self.db.write() as s:
            row = add_entry(
                s, text, source=Source.STATION, now=now, created_by=actor.name, public=body.public
            )
            return view(row)

    def _station_row(self, s: Session, entry_id: str) -> KnowledgeEntry:
        row = s.get(KnowledgeEntry, entry_id)
        if row is None:
            raise NotFound("找不到该知识条目", "unknown_entry")
        if row.source == Source.COUNTY:
            raise Conflict(
                "县级下发的知识条目只能由县级中心修改或停用；如有错误请联系县级中心",
                "county_entry",
            )
        return row

    def update(self, entry_id: str, body: KnowledgeIn, actor: Principal) -> KnowledgeView:
        """修改 a station entry's question, answer, keywords or publicity."""
        text = clean_entry(body.question, body.answer, body.keywords)
        now = self.clock.now()
        with self.db.write() as s:
            row = self._station_row(s, entry_id)
            if not row.active:
                raise Conflict("该知识条目已停用，不能修改", "entry_retired")
            set_text(row, text)
            row.public, row.updated_at = body.public, now
            s.add(row)
            s.flush()
            payload = {**entry_payload(row), "by": actor.staff_id}
            append_event(s, "knowledge.updated", "knowledge", row.id, payload, now)
            return view(row)

    def retire(self, entry_id: str, actor: Principal) -> KnowledgeView:
        """停用 (close): the entry leaves search and the public page; it is kept for the record."""
        now = self.clock.now()
        with self.db.write() as s:
            row = self._station_row(s, entry_id)
            if not row.active:
                raise Conflict("该知识条目已停用", "entry_retired")
            row.active, row.updated_at = False, now
            s.add(row)
            s.flush()
            payload = {"by": actor.staff_id, "question": row.question}
            append_event(s, "knowledge.retired", "knowledge", row.id, payload, now)
            return view(row)

    # ---- export (R-M3) -------------------------------------------------------------------
    def export(self, start: date | None, end: date | None, fmt: str) -> ExportFile:
        """Entries created or changed in the period, as CSV or XLSX."""
        period = date_range(start, end, self._today())
        first, after = period.bounds(self.tz)
        with self.db.read() as s:
            rows = s.exec(
                select(KnowledgeEntry)
                .where(col(KnowledgeEntry.updated_at) >= first)
                .where(col(KnowledgeEntry.updated_at) < after)
                .order_by(col(KnowledgeEntry.created_at))
            ).all()
        sheet = Sheet(
            "知识库",
            EXPORT_HEADERS,
            [
                (
                    r.question,
                    r.answer,
                    "、".join(keywords_of(r)),
                    SOURCE_LABELS[Source(r.source)],
                    r.asked_count,
                    r.public,
                    "在用" if r.active else "已停用",
                    r.consultation_number or "",
                    r.created_by,
                    r.created_at,
                    r.updated_at,
                )
                for r in rows
            ],
        )
        return export_file(sheet, fmt, self.tz, "knowledge", period)
