"""Station enrolment (站点入网) and revocation.

An admin creates a station and gets a one-time code (shown once, stored as SHA-256). The
station presents the code with its Ed25519 public key; the code is consumed by
``UPDATE … WHERE used_at IS NULL … RETURNING`` so two presentations can never both win.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from appliance.core.errors import Conflict, Invalid, NotAllowed, NotFound
from appliance.documents.station_code import station_code_problem
from sync import crypto
from sync.canonical import sha256_hex
from sync.county.models import EnrolmentCode, Station, StationProgress
from sync.county.services import CountyServices

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud over the phone
STATION_ID = re.compile(r"^[A-Za-z0-9_-]{2,32}$")


@dataclass(frozen=True)
class IssuedCode:
    """A freshly issued enrolment code (入网码); ``code`` is never stored or shown again."""

    station_id: str
    code: str
    expires_at: datetime


@dataclass(frozen=True)
class EnrolmentReply:
    """What an enrolled station pins: the county's signing key and its USB box key."""

    station_id: str
    name: str
    key_id: str
    county_public_key: str
    county_key_id: str
    county_box_public_key: str
    max_batch_bytes: int


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def code_hash(code: str) -> str:
    normal = re.sub(r"[\s-]", "", code).upper()
    return sha256_hex(normal.encode())


def _issue(s: Session, station_id: str, now: datetime, hours: int) -> IssuedCode:
    code = new_code()
    expires = now + timedelta(hours=hours)
    s.add(
        EnrolmentCode(
            code_hash=code_hash(code), station_id=station_id, created_at=now, expires_at=expires
        )
    )
    return IssuedCode(station_id, code, expires)


def create_station(svc: CountyServices, station_id: str, name: str) -> IssuedCode:
    """Register a station and issue its first enrolment code."""
    if not STATION_ID.match(station_id):
        raise Invalid("站点编码须为 2–32 位字母、数字、下划线或连字符", "bad_station_id")
    problem = station_code_problem(station_id)
    if problem:  # a new code is read aloud and printed: no I/1 or O/0 look-alikes
        raise Invalid(problem, "bad_station_id")
    if not name.strip():
        raise Invalid("站点名称不能为空", "bad_name")
    now = svc.clock.now()
    with svc.db.tx() as s:
        if s.get(Station, station_id) is not None:
            raise Conflict(f"站点 {station_id} 已存在", "station_exists")
        s.add(Station(id=station_id, name=name.strip()[:100], created_at=now))
        s.flush()
        s.add(StationProgress(station_id=station_id, updated_at=now))
        return _issue(s, station_id, now, svc.settings.enrolment_code_hours)


def issue_enrolment_code(svc: CountyServices, station_id: str) -> IssuedCode:
    """A new one-time code for an existing station (new device, lost key, after revocation)."""
    now = svc.clock.now()
    with svc.db.tx() as s:
        if s.get(Station, station_id) is None:
            raise NotFound(f"找不到站点 {station_id}", "unknown_station")
        return _issue(s, station_id, now, svc.settings.enrolment_code_hours)


def _refusal(s: Session, hashed: str, station_id: str, now: datetime) -> NotAllowed:
    row = s.exec(select(EnrolmentCode).where(EnrolmentCode.code_hash == hashed)).first()
    if row is None or row.station_id != station_id:
        return NotAllowed("入网码无效，请核对站点编码和入网码", "bad_code")
    if row.used_at is not None:
        return NotAllowed("入网码已使用过，不能重复使用，请向县级中心重新申请", "code_used")
    return NotAllowed("入网码已过期，请向县级中心重新申请", "code_expired")


def enrol(svc: CountyServices, code: str, station_id: str, public_key: str) -> EnrolmentReply:
    """Bind a station's public key with a one-time code (R-N3)."""
    try:
        crypto.load_public_key(public_key)
    except crypto.SignatureInvalid as exc:
        raise Invalid("站点公钥格式不正确（须为 Ed25519 公钥的 base64）", "bad_public_key") from exc
    now = svc.clock.now()
    hashed = code_hash(code)
    with svc.db.tx() as s:
        used = s.execute(
            update(EnrolmentCode)
            .where(
                col(EnrolmentCode.code_hash) == hashed,
                col(EnrolmentCode.station_id) == station_id,
                col(EnrolmentCode.used_at).is_(None),
                col(EnrolmentCode.expires_at) > now,
            )
            .values(used_at=now)
            .returning(col(EnrolmentCode.id))
        ).first()
        if used is None:
            raise _refusal(s, hashed, station_id, now)
        station = s.get(Station, station_id, with_for_update=True)
        assert station is not None  # the code's foreign key guarantees it
        station.public_key = public_key
        station.key_id = crypto.key_id(public_key)
        station.enrolled_at = now
        station.revoked_at = None
        station.last_error = None
        s.add(station)
        keys = svc.keys
        return EnrolmentReply(
            station_id=station.id,
            name=station.name,
            key_id=station.key_id,
            county_public_key=keys.public_b64,
            county_key_id=keys.key_id,
            county_box_public_key=keys.box_public_b64,
            max_batch_bytes=svc.settings.max_batch_bytes,
        )


def revoke_station(svc: CountyServices, station_id: str) -> None:
    """Revoke a station's key: its batches and down-sync requests are refused from now on."""
    now = svc.clock.now()
    with svc.db.tx() as s:
        station = s.get(Station, station_id, with_for_update=True)
        if station is None:
            raise NotFound(f"找不到站点 {station_id}", "unknown_station")
        station.revoked_at = now
        s.add(station)


def usable_station(s: Session, station_id: str, key_id: str, lock: bool = False) -> Station:
    """The enrolled, unrevoked station whose current key is ``key_id``, or a refusal."""
    station = s.get(Station, station_id, with_for_update=lock)
    if station is None:
        raise NotAllowed(f"未知站点 {station_id}，请先在县级中心登记入网", "unknown_station")
    if station.public_key is None or station.key_id is None:
        raise NotAllowed(f"站点 {station_id} 尚未完成入网", "not_enrolled")
    if station.revoked_at is not None:
        raise NotAllowed(f"站点 {station_id} 的密钥已被吊销，拒收", "station_revoked")
    if key_id != station.key_id:
        raise NotAllowed("密钥编号与入网登记的不符，拒收", "key_mismatch")
    return station
