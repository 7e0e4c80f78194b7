"""Tables of the archives (归档, R-A1–R-A3).

``archive_package`` records each built package (one row per case; a case that changes after
its package was built — 送达 then 退回 — gets the package rebuilt, ``revision`` + 1);
``archive_due_alert`` keeps the one staff alert per case whose package is late or nearly
so; ``archive_transfer*`` are the paper-transfer lists (移交清单, HN-5 附录A) with every
round of submission and return.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from appliance.core.ids import new_id
from appliance.db.types import UtcDateTime


class ArchivePackage(SQLModel, table=True):
    """归档信息包: the zip ``DATA_DIR/archives/<path>`` of one finished case."""

    __tablename__ = "archive_package"
    id: str = Field(default_factory=new_id, primary_key=True)
    case_id: str = Field(foreign_key="case_file.id", unique=True)
    case_number: str = Field(index=True)
    archive_no: str = Field(unique=True)
    retention: str
    item_code: str
    item_name: str
    completed_on: str  # YYYY-MM-DD (local day the case finished)
    due_on: str  # YYYY-MM-DD: completed_on + 1 month (HN-5 7.3.2.2)
    case_version: int  # number of the case's transitions when it was built
    revision: int = 1
    path: str  # relative to DATA_DIR/archives
    sha256: str  # of the zip file (the package digest)
    content_digest: str  # manifest digest over the files inside
    size: int
    file_count: int
    built_at: datetime = Field(sa_type=UtcDateTime)
    built_by: str = ""  # staff code, or "system" (worker / CLI)
    uploaded_sha256: str = ""  # the digest the county confirmed (sync), "" until then
    uploaded_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class ArchiveDueAlert(SQLModel, table=True):
    """The open alert of a case whose package is nearly due (临期) or overdue (逾期)."""

    __tablename__ = "archive_due_alert"
    case_id: str = Field(foreign_key="case_file.id", primary_key=True)
    case_number: str
    kind: str  # archive_due_soon | archive_overdue
    alert_id: str


class ArchiveTransfer(SQLModel, table=True):
    """政务服务纸质文件移交清单: one batch handed over, possibly in several rounds."""

    __tablename__ = "archive_transfer"
    id: str = Field(default_factory=new_id, primary_key=True)
    number: str = Field(unique=True)  # YJ-<station>-<YYYY>-<NNN>
    receiver: str  # 接收单位 (the implementing body's business department)
    status: str = Field(index=True)  # submitted | returned | accepted
    round: int = 1  # the current round
    created_at: datetime = Field(sa_type=UtcDateTime)
    created_by: str


class ArchiveTransferRound(SQLModel, table=True):
    """One submission of a batch, and how it came back (退回) or was received (接收)."""

    __tablename__ = "archive_transfer_round"
    __table_args__ = (UniqueConstraint("transfer_id", "round", name="uq_transfer_round"),)
    id: str = Field(default_factory=new_id, primary_key=True)
    transfer_id: str = Field(foreign_key="archive_transfer.id", index=True)
    round: int
    case_numbers: str = Field(sa_type=Text)  # JSON list, in list order
    note: str = ""  # what was corrected (修正补充说明)
    submitted_at: datetime = Field(sa_type=UtcDateTime)
    submitted_by: str
    pdf_path: str  # relative to DATA_DIR/archives
    pdf_sha256: str
    outcome: str = ""  # "" while pending | returned | accepted
    outcome_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    outcome_by: str = ""  # the receiver's name as recorded by staff
    outcome_reason: str = ""  # why it was returned


class ArchiveTransferLine(SQLModel, table=True):
    """A case in a live (not returned) batch: a case is handed over in one batch only."""

    __tablename__ = "archive_transfer_line"
    case_number: str = Field(primary_key=True)
    transfer_id: str = Field(foreign_key="archive_transfer.id", index=True)
