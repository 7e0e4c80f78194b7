"""Helpers of the rating tests: services served and cases finished through the real
services, the rating link of a service, rows read back. No tests live here."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from appliance.documents.rating_link import link_key, link_token
from appliance.queue.schemas import TicketView
from appliance.ratings.tables import Rating, RatingFollowUp
from appliance.staff.tables import Staff
from tests.support.station import Station

ITEM = "410122-MZ-001"  # 高龄津贴申请 in the demo catalogue
ALL_RECEIVED = {"M1": "received", "M2": "received", "M3": "received", "M4": "received"}
APPLICANT_PHONE = "13800001234"


def serve(st: Station, window: str = "1", phone: str | None = None) -> TicketView:
    """A ticket issued, called and finished at ``window`` (now, on the station's clock)."""
    q = st.services.queue
    q.issue("A", "kiosk", phone=phone)
    q.call_next(window)
    return q.finish(window)


def staff_id(st: Station, code: str) -> str:
    with st.services.db.read() as s:
        return s.exec(select(Staff).where(Staff.code == code)).one().id


def open_case(st: Station, phone: str = APPLICANT_PHONE, name: str = "张桂兰") -> str:
    body: dict[str, Any] = {
        "item_code": ITEM,
        "applicant": {
            "kind": "person",
            "name": name,
            "id_number": "410122194001080021",
            "phone": phone,
        },
        "materials": ALL_RECEIVED,
    }
    return st.services.cases.open(body, staff_id(st, "ck01"), "ck01").case_number


def finish_case(st: Station, phone: str = APPLICANT_PHONE) -> str:
    """A case opened and refused (不予受理): a finished service (一事一评)."""
    number = open_case(st, phone)
    st.services.cases.act(number, "refuse", {"reason": "不符合申领年龄条件"}, "ck01")
    return number


def token(st: Station, kind: str, subject: str) -> str:
    return link_token(link_key(st.settings), kind, subject)


def ratings(st: Station) -> list[Rating]:
    with st.services.db.read() as s:
        return list(s.exec(select(Rating)))


def followups(st: Station) -> list[RatingFollowUp]:
    with st.services.db.read() as s:
        return list(s.exec(select(RatingFollowUp)))


def device(st: Station) -> dict[str, str]:
    return {"X-Device-Key": st.settings.device_key}
