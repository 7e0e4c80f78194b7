"""知识库 (the question-and-answer knowledge base, R-C3): entries, search and the public list.

Pure rules: no storage, no HTTP.

* An entry is a question, its standard answer (标准答案) and keywords (GD 6.4.3; HN-3 6.2.7).
* Search works like the catalogue's (R-S3), with the same scoring
  (``appliance.catalogue.rules.match_score``): Chinese text matches the question, then the
  keywords; Latin letters match pinyin initials (``dbsq`` → 低保申请) of the question and the
  keywords; text found only in the answer still matches, below every other hit.
* The public page lists the most-asked entries (对常见咨询问题应对外公开, GD 6.4.3): each
  consultation answered from an entry, and the one it was promoted from, counts one ask.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from appliance.catalogue.rules import match_score
from appliance.core.errors import Invalid

MAX_KEYWORDS = 10
KEYWORD_MAX = 20
ANSWER_ONLY_SCORE = 40
_SPLIT = re.compile(r"[、，,；;\s]+")


class Source(StrEnum):
    STATION = "station"  # 本站整理
    COUNTY = "county"  # 县级下发


SOURCE_LABELS = {Source.STATION: "本站", Source.COUNTY: "县级下发"}


@dataclass(frozen=True)
class EntryText:
    """An entry's text, trimmed and checked."""

    question: str
    answer: str
    keywords: tuple[str, ...]


def split_keywords(values: Sequence[str] | str) -> tuple[str, ...]:
    """Keywords from a list or one text (split on 、，, spaces), trimmed, unique, in order."""
    raw = [values] if isinstance(values, str) else list(values)
    words: list[str] = []
    for value in raw:
        for word in _SPLIT.split(value):
            if word and word not in words:
                words.append(word)
    return tuple(words)


def clean_entry(question: str, answer: str, keywords: Sequence[str] | str = ()) -> EntryText:
    """The entry's text, or ``Invalid`` naming what is missing or too long."""
    q = " ".join(question.split())
    a = answer.strip()
    if not q:
        raise Invalid("请填写知识条目的问题", "question_required")
    if not a:
        raise Invalid("请填写知识条目的标准答案", "answer_required")
    words = split_keywords(keywords)
    if len(words) > MAX_KEYWORDS:
        raise Invalid(f"关键词最多 {MAX_KEYWORDS} 个", "too_many_keywords")
    long = next((w for w in words if len(w) > KEYWORD_MAX), None)
    if long is not None:
        raise Invalid(f"关键词“{long[:KEYWORD_MAX]}…”超过 {KEYWORD_MAX} 个字", "long_keyword")
    return EntryText(q, a, words)


@dataclass(frozen=True)
class Searchable:
    """What search looks at: the question, answer, keywords and their pinyin initials."""

    question: str
    answer: str
    question_initials: str
    keywords: Sequence[str]
    keyword_initials: Sequence[str]


def search_score(query: str, entry: Searchable) -> int:
    """How well an entry matches (0: not at all); an empty query matches everything."""
    score = match_score(
        query,
        entry.question,
        entry.question_initials,
        entry.keywords,
        entry.keyword_initials,
        "",
    )
    q = query.strip().lower()
    if score == 0 and q and q in entry.answer.lower():
        return ANSWER_ONLY_SCORE
    return score


@dataclass(frozen=True)
class Asked:
    """An entry's place in the public list: how often it was asked, and when last changed."""

    entry_id: str
    asked_count: int
    updated_at: datetime


def most_asked(entries: Sequence[Asked], limit: int) -> list[str]:
    """The ids of the ``limit`` most-asked entries (ties: the most recently updated first)."""
    ranked = sorted(entries, key=lambda e: (-e.asked_count, -e.updated_at.timestamp(), e.entry_id))
    return [e.entry_id for e in ranked[: max(limit, 0)]]
