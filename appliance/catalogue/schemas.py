"""Wire types of the catalogue API (事项目录, R-S1–R-S3, R-C4): what the station answers.

One definition for both ends: the server builds these, the staff terminal decodes the
answers into them (``msgspec.convert``). Pure: stdlib and msgspec only.
"""

from __future__ import annotations

import msgspec


class ItemSummary(msgspec.Struct, frozen=True, kw_only=True):
    """A search hit (事项检索结果)."""

    code: str
    name: str
    type: str  # 事项类型: 行政给付 …
    kind: str  # 办件类型: 即办件 / 承诺件 / 上报件
    promised_days: int  # 承诺时限, working days
    category_prefix: str  # the queue category (A, B …) that serves it
    keywords: list[str]


class MaterialView(msgspec.Struct, frozen=True, kw_only=True):
    """申请材料 as shown and printed; a case numbers them M1, M2 … in this order."""

    name: str
    form: str  # original | copy | both
    form_label: str  # 原件 / 复印件 / 原件及复印件
    count: int
    required: bool
    tolerable: bool  # may be missing under 容缺受理
    notes: str
    sample: str


class RelatedItem(msgspec.Struct, frozen=True, kw_only=True):
    """关联事项 listed with an item."""

    code: str
    name: str
    promised_days: int


class ItemDetail(msgspec.Struct, frozen=True, kw_only=True):
    """办事指南: the whole item (R-S1) with its materials and related items."""

    code: str
    name: str
    type: str
    legal_basis: str
    conditions: str
    legal_days: int
    promised_days: int
    kind: str
    fees: str
    fee_basis: str
    delivery_methods: list[str]
    category_prefix: str
    allows_notify_commit: bool
    allows_tolerant: bool
    special_procedures: list[str]  # 检验 / 专家评审 / 听证, as the catalogue names them
    keywords: list[str]
    related: list[RelatedItem]
    department: str
    window: str
    phone: str
    materials: list[MaterialView]
    version: str  # the catalogue version it comes from


class GuidePrint(msgspec.Struct, frozen=True, kw_only=True):
    """A queued 一次性告知单 (one copy: the visitor keeps it)."""

    item_code: str
    item_name: str
    print_job_id: str
