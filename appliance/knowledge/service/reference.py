"""Knowledge entries published by the county (县级下发知识库, R-C3, R-N3).

The county publishes one ``knowledge`` reference row per entry (id = the county's entry id,
data ``{"question", "answer", "keywords": [...], "public": true}``; see
``sync/county/dashboard/publish.py``). The station's down-sync stores the rows
(``sync/station/downsync.py``) and then calls :func:`apply_knowledge_reference`, which in
ONE transaction makes the station's county entries follow them:

* a new row becomes an entry (source county, ``ref_id`` = the row id);
* a changed row changes its entry's text (the ask count stays: it is the station's own);
* an entry whose row is gone (a tombstone) is retired (停用), and comes back if it returns.

A malformed set is refused whole and nothing changes; an unchanged set writes nothing.
Station entries (本站整理) are never touched.
"""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import col, select

from appliance.calendar.service import ReferenceApplied
from appliance.core.clock import Clock
from appliance.core.errors import Invalid
from appliance.db.database import Database
from appliance.events.log import append_event
from appliance.knowledge.rules import EntryText, Source, clean_entry
from appliance.knowledge.service.store import add_entry, entry_payload, keywords_of, set_text
from appliance.knowledge.tables import KnowledgeEntry
from appliance.uplink.tables import ReferenceRow

TABLE = "knowledge"
COUNTY_AUTHOR = "县级中心"


def _entry_text(index: int, data: Any) -> tuple[EntryText, bool]:
    where = f"第 {index} 条"
    if not isinstance(data, dict):
        raise Invalid(f"{where}不是对象", "not_an_object")
    keywords = data.get("keywords") or []
    if not isinstance(keywords, list | str):
        raise Invalid(f"{where}的关键词须为列表", "bad_keywords")
    try:
        text = clean_entry(
            str(data.get("question") or ""),
            str(data.get("answer") or ""),
            [str(k) for k in keywords] if isinstance(keywords, list) else keywords,
        )
    except Invalid as exc:
        raise Invalid(f"{where}：{exc.message}", exc.code) from exc
    return text, data.get("public", True) is not False


def _same(row: KnowledgeEntry, text: EntryText, public: bool) -> bool:
    return (
        row.active
        and row.question == text.question
        and row.answer == text.answer
        and tuple(keywords_of(row)) == text.keywords
        and row.public == public
    )


def apply_knowledge_reference(db: Database, clock: Clock) -> ReferenceApplied:
    """Bring the county entries in line with the county's ``knowledge`` rows (one write)."""
    now = clock.now()
    added = changed = retired = 0
    with db.write() as s:
        rows = s.exec(
            select(ReferenceRow)
            .where(ReferenceRow.table_name == TABLE, col(ReferenceRow.deleted).is_(False))
            .order_by(col(ReferenceRow.id))
        ).all()
        mine = {
            e.ref_id: e
            for e in s.exec(select(KnowledgeEntry).where(KnowledgeEntry.source == Source.COUNTY))
            if e.ref_id is not None
        }
        if not rows and not mine:
            return ReferenceApplied(TABLE, False, "")
        try:
            wanted = {r.id: _entry_text(i, json.loads(r.data)) for i, r in enumerate(rows, start=1)}
        except (Invalid, json.JSONDecodeError) as exc:
            reason = exc.message if isinstance(exc, Invalid) else "不是有效的 JSON"
            return ReferenceApplied(TABLE, False, f"县级知识库有误，未应用：{reason}")
        for ref_id, (text, public) in wanted.items():
            row = mine.get(ref_id)
            if row is None:
                add_entry(
                    s,
                    text,
                    source=Source.COUNTY,
                    now=now,
                    created_by=COUNTY_AUTHOR,
                    public=public,
                    ref_id=ref_id,
                )
                added += 1
            elif not _same(row, text, public):
                set_text(row, text)
                row.public, row.active, row.updated_at = public, True, now
                s.add(row)
                s.flush()
                append_event(s, "knowledge.updated", "knowledge", row.id, entry_payload(row), now)
                changed += 1
        for ref_id, row in mine.items():
            if ref_id not in wanted and row.active:
                row.active, row.updated_at = False, now
                s.add(row)
                s.flush()
                payload = {"by": "county", "question": row.question}
                append_event(s, "knowledge.retired", "knowledge", row.id, payload, now)
                retired += 1
    if not (added or changed or retired):
        return ReferenceApplied(TABLE, False, "")
    return ReferenceApplied(
        TABLE,
        True,
        f"已应用县级知识库：新增 {added} 条，更新 {changed} 条，停用 {retired} 条",
    )
