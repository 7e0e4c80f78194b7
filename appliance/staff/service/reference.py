"""Staff accounts published by the county (R-T1, R-T3): the station's list follows the county.

The county publishes one ``staff`` reference row per station (id = station code, data
``{"station_id", "staff": [{"code", "name", "role", "post", "phone", "pin_hash"}]}``). Applying
it, in one transaction: known codes get the county's name, role, post and phone; new codes
are created with the county's argon2 ``pin_hash`` (an account without one is created
inactive, since nobody could log in); accounts the list no longer names are deactivated and
lose every session at once. An unchanged list writes nothing.

A list that leaves the station without an active head (站长) is still applied: the county is
the authority on who works here, and someone who left must lose access at once (R-T3) even
if they were the head. It raises a staff alert (``no_manager``, with its ``alert.raised``
event, which reaches the county) and a log warning instead of failing the sync; the alert
clears once a list names an active head again. Locally, the last head cannot be
deactivated (``StaffService.deactivate``).

A hash the county publishes cannot tell the PIN's length; a PIN shorter than the station's
``pin_min_length`` is caught at its first login, which then asks for a new PIN.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from appliance.alerts.tables import Alert
from appliance.core.clock import Clock
from appliance.core.roles import Role
from appliance.db.database import Database
from appliance.events.log import append_event
from appliance.staff.service.staffing import leave_windows
from appliance.staff.tables import Staff, StaffSession
from appliance.uplink.tables import ReferenceRow

log = logging.getLogger("yizhan.staff")
NO_MANAGER = "no_manager"
NO_MANAGER_MESSAGE = (
    "县级中心下发的人员名单中本站已没有在用的站长账号，本站暂时无人能管理人员；"
    "请联系县级中心在名单中指定站长"
)


@dataclass(frozen=True)
class StaffApplied:
    changed: int
    message: str


def _entries(row: ReferenceRow) -> list[dict[str, Any]]:
    data = json.loads(row.data)
    staff = data.get("staff") if isinstance(data, dict) else None
    if not isinstance(staff, list) or not all(isinstance(e, dict) and e.get("code") for e in staff):
        raise ValueError("县级中心下发的人员名单格式不正确，未应用")
    return staff


def _deactivate(s: Session, st: Staff, clock: Clock) -> None:
    now = clock.now()
    st.active, st.deactivated_at, st.on_duty = False, now, False
    for sess in s.exec(
        select(StaffSession).where(
            StaffSession.staff_id == st.id, col(StaffSession.revoked_at).is_(None)
        )
    ):
        sess.revoked_at = now
        s.add(sess)
    s.flush()
    leave_windows(s, st.id, now)
    s.add(st)
    append_event(s, "staff.deactivated", "staff", st.id, {"by": "county"}, now)


def _upsert(s: Session, entry: dict[str, Any], clock: Clock) -> bool:
    code = str(entry["code"])[:20]
    st = s.exec(select(Staff).where(Staff.code == code)).first()
    role = entry.get("role") if entry.get("role") in {r.value for r in Role} else None
    # absent fields keep what the station knows
    fields = {k: str(entry[k])[:30] for k in ("name", "post", "phone") if entry.get(k) is not None}
    pin_hash = entry.get("pin_hash")
    if st is None:
        usable = isinstance(pin_hash, str) and pin_hash.startswith("$argon2")
        st = Staff(
            code=code,
            role=role or Role.WINDOW,
            pin_hash=str(pin_hash) if usable else "!",
            active=usable,
            created_at=clock.now(),
            name=fields.get("name", code),
            post=fields.get("post", ""),
            phone=fields.get("phone", ""),
        )
        s.add(st)
        s.flush()
        append_event(
            s, "staff.created", "staff", st.id, {"code": code, "by": "county"}, clock.now()
        )
        return True
    wanted = {**fields, **({"role": role} if role else {})}
    usable = st.pin_hash != "!"  # an account nobody can log in to stays inactive
    if all(getattr(st, k) == v for k, v in wanted.items()) and st.active == usable:
        return False
    for k, v in wanted.items():
        setattr(st, k, v)
    st.active, st.deactivated_at = usable, None
    s.add(st)
    append_event(s, "staff.updated", "staff", st.id, {"code": code, "by": "county"}, clock.now())
    return True


def apply_staff_reference(db: Database, clock: Clock, station_code: str) -> StaffApplied:
    with db.write() as s:
        row = s.get(ReferenceRow, ("staff", station_code))
        if row is None or row.deleted:
            return StaffApplied(0, "")
        try:
            entries = _entries(row)
        except (ValueError, TypeError) as exc:
            return StaffApplied(0, str(exc))
        named = {str(e["code"])[:20] for e in entries}
        changed = sum(_upsert(s, e, clock) for e in entries)
        for st in s.exec(select(Staff).where(col(Staff.active).is_(True))):
            if st.code not in named:
                _deactivate(s, st, clock)
                changed += 1
        s.flush()
        message = f"人员名单已按县级中心更新 {changed} 处" if changed else ""
        if _keep_no_manager_alert(s, clock):
            message = "；".join(m for m in (message, NO_MANAGER_MESSAGE) if m)
        return StaffApplied(changed, message)


def _keep_no_manager_alert(s: Session, clock: Clock) -> bool:
    """Raise the ``no_manager`` alert while no active head is left, clear it once there is
    one; True while the station has no head."""
    heads = s.exec(
        select(Staff).where(Staff.role == Role.MANAGER, col(Staff.active).is_(True))
    ).first()
    alert = s.exec(
        select(Alert).where(Alert.kind == NO_MANAGER, col(Alert.cleared_at).is_(None))
    ).first()
    now = clock.now()
    if heads is not None:
        if alert is not None:
            alert.cleared_at = now
            s.add(alert)
            append_event(s, "alert.cleared", "alert", alert.id, {"kind": NO_MANAGER}, now)
        return False
    if alert is None:
        log.warning("the county's staff list leaves this station without an active head")
        alert = Alert(kind=NO_MANAGER, message=NO_MANAGER_MESSAGE, raised_at=now)
        s.add(alert)
        s.flush()
        append_event(
            s,
            "alert.raised",
            "alert",
            alert.id,
            {"kind": NO_MANAGER, "message": NO_MANAGER_MESSAGE},
            now,
        )
    return True
