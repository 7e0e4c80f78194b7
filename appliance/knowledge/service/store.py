"""Knowledge entries inside the caller's transaction: add, count an ask, view (R-C3).

The consultation ledger promotes an answered entry and counts the entry a reply came from
in its own transaction through these functions; the knowledge service uses them too.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlmodel import Session

from appliance.catalogue.service.initials import alternative_initials, initials
from appliance.core.errors import Conflict, NotFound
from appliance.events.log import append_event
from appliance.knowledge.rules import SOURCE_LABELS, EntryText, Searchable, Source
from appliance.knowledge.schemas import KnowledgeView
from appliance.knowledge.tables import KnowledgeEntry


def keywords_of(row: KnowledgeEntry) -> list[str]:
    value = json.loads(row.keywords or "[]")
    return [str(v) for v in value] if isinstance(value, list) else []


def set_text(row: KnowledgeEntry, text: EntryText) -> None:
    """The entry's text and the pinyin initials search matches (computed once, here)."""
    row.question, row.answer = text.question, text.answer
    row.keywords = json.dumps(list(text.keywords), ensure_ascii=False)
    row.question_initials = initials(text.question)
    spellings = [initials(k) for k in text.keywords]
    spellings += [alt for alt in (alternative_initials(text.question),) if alt]
    row.keyword_initials = " ".join(s for s in spellings if s)


def searchable(row: KnowledgeEntry) -> Searchable:
    return Searchable(
        row.question,
        row.answer,
        row.question_initials,
        keywords_of(row),
        row.keyword_initials.split(),
    )


def entry_payload(row: KnowledgeEntry) -> dict[str, Any]:
    """The event payload of an entry (no personal data: questions and standard answers)."""
    return {
        "source": row.source,
        "ref_id": row.ref_id,
        "question": row.question,
        "answer": row.answer,
        "keywords": keywords_of(row),
        "public": row.public,
        "active": row.active,
        "asked_count": row.asked_count,
        "consultation_id": row.consultation_id,
    }


def add_entry(
    s: Session,
    text: EntryText,
    *,
    source: Source,
    now: datetime,
    created_by: str,
    public: bool = True,
    asked: int = 0,
    ref_id: str | None = None,
    consultation: tuple[str, str] | None = None,
) -> KnowledgeEntry:
    """A new entry with its ``knowledge.created`` event; ``consultation`` = (id, number)."""
    row = KnowledgeEntry(
        source=source.value,
        ref_id=ref_id,
        question=text.question,
        answer=text.answer,
        asked_count=asked,
        public=public,
        consultation_id=consultation[0] if consultation else None,
        consultation_number=consultation[1] if consultation else None,
        created_by=created_by,
        created_at=now,
        updated_at=now,
    )
    set_text(row, text)
    s.add(row)
    s.flush()
    append_event(s, "knowledge.created", "knowledge", row.id, entry_payload(row), now)
    return row


def active_entry(s: Session, entry_id: str) -> KnowledgeEntry:
    """An entry that may still answer visitors, or NotFound / Conflict in Chinese."""
    row = s.get(KnowledgeEntry, entry_id)
    if row is None:
        raise NotFound("找不到该知识条目，请重新检索", "unknown_entry")
    if not row.active:
        raise Conflict(f"知识条目“{row.question}”已停用，请选用其他条目", "entry_retired")
    return row


def count_ask(s: Session, entry_id: str, now: datetime, via: str) -> KnowledgeEntry:
    """One more visitor answered from this entry (``via``: consultation, contact …)."""
    row = active_entry(s, entry_id)
    row.asked_count += 1
    s.add(row)
    s.flush()
    append_event(
        s,
        "knowledge.asked",
        "knowledge",
        row.id,
        {"asked_count": row.asked_count, "via": via},
        now,
    )
    return row


def view(row: KnowledgeEntry) -> KnowledgeView:
    source = Source(row.source)
    return KnowledgeView(
        id=row.id,
        question=row.question,
        answer=row.answer,
        keywords=keywords_of(row),
        source=source,
        source_label=SOURCE_LABELS[source],
        asked_count=row.asked_count,
        public=row.public,
        active=row.active,
        created_by=row.created_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
        consultation_id=row.consultation_id,
        consultation_number=row.consultation_number,
    )
