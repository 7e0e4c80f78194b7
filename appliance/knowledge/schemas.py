"""Wire types of the knowledge base API (知识库, R-C3): every request body and every answer.

One definition for every end: the station's controller declares them, the service builds
the answers, the staff terminal sends and decodes them. Requests end in ``In``.

Pure: stdlib, msgspec, the kernel's text types and the knowledge rules' enums only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from appliance.core.text import LongText, ShortText
from appliance.knowledge.rules import MAX_KEYWORDS, Source

Keywords = Annotated[list[ShortText], msgspec.Meta(max_length=MAX_KEYWORDS)]


class KnowledgeIn(msgspec.Struct, frozen=True, kw_only=True):
    """A new entry, or the new text of a station entry: question, standard answer, keywords.

    ``public``: whether it may appear on the public page of common questions."""

    question: ShortText
    answer: LongText
    keywords: Keywords = msgspec.field(default_factory=list)
    public: bool = True


class KnowledgeView(msgspec.Struct, frozen=True, kw_only=True):
    """One knowledge entry (知识条目) as staff see it."""

    id: str
    question: str
    answer: str
    keywords: list[str]
    source: Source
    source_label: str  # 本站 / 县级下发
    asked_count: int  # how often it answered a visitor (the public page ranks by it)
    public: bool
    active: bool  # False: 已停用 (retired), no longer found by search
    created_by: str
    created_at: datetime
    updated_at: datetime
    consultation_id: str | None = None  # promoted from this consultation (咨询台账)
    consultation_number: str | None = None


class PublicKnowledge(msgspec.Struct, frozen=True, kw_only=True):
    """A common question on the public page (常见问题): no staff names, nothing personal."""

    id: str
    question: str
    answer: str
    keywords: list[str]
    asked_count: int
