"""Shared by the archive tests: finished cases made through the case API."""

from __future__ import annotations

from litestar.testing import TestClient

from tests.cases.notice_support import Desk
from tests.support.station import MANAGER, Station, login

MAIL = {"method": "mail", "address": "示范村三组12号", "tracking_no": "SF1234567890"}
PICKUP = {
    "method": "pickup",
    "collector_name": "王建国",
    "collector_id": "410122197005060033",
    "signature_ref": "QS-0007",
}


def delivered(desk: Desk, delivery: dict[str, str] | None = None) -> str:
    """An approved case handed over (已送达): receipt, acceptance and pickup notices kept."""
    number = desk.open()
    desk.act(number, "accept")
    desk.act(number, "approve", decided_by="县民政局", document_no="民津〔2026〕118号")
    desk.act(number, "notify_pickup", arrived_on="2026-11-23")
    desk.act(number, "deliver", delivery=delivery or PICKUP)
    return number


def head(client: TestClient) -> dict[str, str]:
    return login(client, *MANAGER)


def event_count(station: Station, type_: str) -> int:
    from sqlalchemy import text

    with station.services.db.read() as s:
        return int(
            s.execute(text("SELECT count(*) FROM event WHERE type = :t"), {"t": type_}).one()[0]
        )
