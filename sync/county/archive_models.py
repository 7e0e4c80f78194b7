"""County tables of the stations' archive packages (一事一档, R-A3, R-N3).

``county_archive`` is a projection of ``archive.built`` events (what each station says it
built, with its digests; no personal data) plus the state of the zip's arrival;
``county_archive_blob`` holds the zip itself (bytea), apart so that listings never load it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, LargeBinary
from sqlmodel import Field

from sync.county.models import TZ, CountyBase

EXPECTED, VERIFIED, CORRUPT = "expected", "verified", "corrupt"
STATUS_LABELS = {EXPECTED: "待上传", VERIFIED: "已核验", CORRUPT: "校验不符"}


class CountyArchive(CountyBase, table=True):
    """One station's package as its events describe it, and whether the zip has arrived."""

    __tablename__ = "county_archive"
    station_id: str = Field(primary_key=True, max_length=32)
    archive_no: str = Field(primary_key=True, max_length=64)
    case_number: str = Field(default="", max_length=64)
    item_code: str = Field(default="", max_length=64)
    item_name: str = Field(default="", max_length=200)
    retention: str = Field(default="", max_length=8)
    completed_on: date | None = None
    due_on: date | None = None
    built_at: datetime = Field(sa_type=TZ)
    revision: int = 1
    sha256: str = Field(max_length=64)
    content_digest: str = Field(default="", max_length=64)
    size: int = Field(default=0, sa_type=BigInteger)
    file_count: int = 0
    status: str = Field(default=EXPECTED, max_length=16, index=True)
    problems: str = Field(default="", max_length=2000)
    verified_at: datetime | None = Field(default=None, sa_type=TZ)
    last_seq: int = Field(default=0, sa_type=BigInteger)


class CountyArchiveBlob(CountyBase, table=True):
    """The zip of a package as received so far (``sha256`` names the version it is of)."""

    __tablename__ = "county_archive_blob"
    station_id: str = Field(primary_key=True, max_length=32)
    archive_no: str = Field(primary_key=True, max_length=64)
    sha256: str = Field(max_length=64)
    data: bytes = Field(default=b"", sa_column=Column(LargeBinary, nullable=False))
