"""Tables of the service catalogue (事项目录) and the working-day calendar (工作日历).

The catalogue is read-only at the station: only an import or the county's reference rows
replace it, whole, in one transaction. List-valued elements are JSON text.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from appliance.core.ids import new_id
from appliance.db.types import UtcDateTime


class CatalogueVersion(SQLModel, table=True):
    """事项目录版本: one row per import; exactly one is current."""

    __tablename__ = "catalogue_version"
    id: str = Field(default_factory=new_id, primary_key=True)
    version: str
    source: str  # import | county | demo
    imported_at: datetime = Field(sa_type=UtcDateTime)
    item_count: int
    checksum: str
    current: bool = Field(default=False, index=True)


class CatalogueItem(SQLModel, table=True):
    """事项 of the current version: every guide element of R-S1."""

    __tablename__ = "catalogue_item"
    code: str = Field(primary_key=True)
    version_id: str = Field(foreign_key="catalogue_version.id", index=True)
    sort: int = 0
    name: str
    type: str
    legal_basis: str
    conditions: str
    legal_days: int
    promised_days: int
    kind: str
    fees: str = "不收费"
    fee_basis: str = ""
    delivery_methods: str = "[]"  # JSON list
    category_prefix: str = ""
    allows_notify_commit: bool = False
    allows_tolerant: bool = False
    special_procedures: str = "[]"  # JSON list
    keywords: str = "[]"  # JSON list
    related_codes: str = "[]"  # JSON list
    department: str = ""
    window: str = ""
    phone: str = ""
    name_initials: str = ""  # pinyin initials of the name, for search (R-S3)
    keyword_initials: str = ""  # pinyin initials of each keyword, space separated
    retention: str = ""  # 保管期限 (永久 | 30年 | 10年; "" = by 事项类型, R-A1)


class CatalogueMaterial(SQLModel, table=True):
    """申请材料 of an item."""

    __tablename__ = "catalogue_material"
    __table_args__ = (Index("ix_catalogue_material_item", "item_code", "seq"),)
    id: str = Field(default_factory=new_id, primary_key=True)
    item_code: str = Field(foreign_key="catalogue_item.code")
    seq: int
    name: str
    form: str = "original"  # original | copy | both
    count: int = 1
    required: bool = True
    tolerable: bool = False  # may be missing under 容缺受理
    notes: str = ""
    sample: str = ""
