"""Tables of first contact (首问登记, R-C1)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from appliance.core.ids import new_id
from appliance.db.types import UtcDateTime


class ContactRecord(SQLModel, table=True):
    """One visitor contact: who answered first, the matter, the channel and the outcome.

    The staff names and roles are kept as they were at the time (a record is not rewritten
    when someone changes post). ``responsible_*`` is the 首问责任人: the higher-ranked of
    the two staff who answered (GD 5.1.2)."""

    __tablename__ = "contact"
    id: str = Field(default_factory=new_id, primary_key=True)
    business_date: str = Field(index=True)  # YYYY-MM-DD, the station's local day
    occurred_at: datetime = Field(sa_type=UtcDateTime)
    channel: str  # onsite | phone | online | letter
    matter: str  # 事项 / 问题
    item_code: str | None = None  # the catalogue item, when the matter is one (事项编码)
    visitor_name: str = ""
    visitor_contact: str = ""
    first_staff_id: str
    first_staff_name: str
    first_staff_role: str
    second_staff_id: str | None = None
    second_staff_name: str = ""
    second_staff_role: str = ""
    responsible_staff_id: str = Field(index=True)
    responsible_staff_name: str
    outcome: str = Field(index=True)  # pending | answered | guided | referred | consultation | case
    answer: str = Field(default="", sa_type=Text)
    referred_to: str = ""  # 去向, for a matter outside this station's remit
    guided_to: str = ""  # e.g. A 综合受理（1、2 号窗口）
    ticket_id: str | None = None
    ticket_number: str = ""
    consultation_id: str | None = None
    consultation_number: str = ""
    case_number: str | None = None
    knowledge_id: str | None = None
    closed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    closed_by: str | None = None
    updated_at: datetime = Field(sa_type=UtcDateTime)
