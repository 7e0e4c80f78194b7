"""Tables of the knowledge base (知识库, R-C3)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from appliance.core.ids import new_id
from appliance.db.types import UtcDateTime


class KnowledgeEntry(SQLModel, table=True):
    """知识条目: a question and its standard answer, kept by the station or sent by the county.

    ``question_initials`` / ``keyword_initials`` are the pinyin initials computed when the
    text is written (search never computes them); ``ref_id`` is the county's id of an entry
    the county published (``source`` = county), which only the county changes."""

    __tablename__ = "knowledge_entry"
    id: str = Field(default_factory=new_id, primary_key=True)
    source: str = Field(index=True)  # station | county
    ref_id: str | None = Field(default=None, index=True)
    question: str
    answer: str = Field(sa_type=Text)
    keywords: str = "[]"  # JSON list
    question_initials: str = ""
    keyword_initials: str = ""  # space-separated, one spelling per keyword
    asked_count: int = 0
    public: bool = True
    active: bool = Field(default=True, index=True)
    consultation_id: str | None = None  # promoted from this consultation
    consultation_number: str | None = None
    created_by: str = ""
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)
