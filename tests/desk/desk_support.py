"""Helpers of the "办不成事" desk tests (R-P1): bodies, rows and a before/after fingerprint."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import text

from tests.support.fingerprint import fingerprint
from tests.support.station import Station

DESK_TABLES = ("desk_entry", "desk_step", "complaint", "complaint_step")
VISITOR = "王秀英"
MOBILE = "13912345678"


def body(kind: str, **over: Any) -> dict[str, Any]:
    """A valid registration of ``kind`` (the fields that kind needs, and a visitor)."""
    base: dict[str, Any] = {
        "problem": "办理养老保险资格认证，跑了两次还没办成",
        "kind": kind,
        "problem_type": "runaround",
        "visitor_name": VISITOR,
        "visitor_phone": MOBILE,
    }
    extra: dict[str, dict[str, Any]] = {
        "simple": {"resolution": "当场帮助完成人脸识别认证"},
        "complex": {},
        "outside": {"referral": "县医疗保障局（县政务服务中心二楼）"},
        "transfer": {
            "handler_dept": "镇社会保障所",
            "handler_name": "李建国",
            "handler_phone": "0371-62345678",
            "notify_by": "sms",
        },
    }
    return {**base, **extra[kind], **over}


def rows(station: Station, sql: str, **params: Any) -> list[Any]:
    with station.services.db.read() as s:
        return list(s.execute(text(sql), params))


def events(station: Station, prefix: str) -> list[tuple[str, dict[str, Any]]]:
    found = rows(
        station, "SELECT type, payload FROM event WHERE type LIKE :p ORDER BY seq", p=prefix + "%"
    )
    return [(t, json.loads(p)) for t, p in found]


def state(station: Station) -> str:
    """Everything a refused request must leave as it was: the shared fingerprint (events,
    alerts, print jobs, SMS …) and the desk and complaint tables."""
    digest = hashlib.sha256(fingerprint(station.services.db).encode())
    with station.services.db.read() as s:
        for table in DESK_TABLES:
            for row in s.execute(text(f"SELECT * FROM {table} ORDER BY 1")):  # noqa: S608
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()
