"""SMS ratings (短信评价, R-E2): a finished case sends the 邀请评价 SMS; a reply of 1–5 from that
number, arriving through the modem's inbound spool, rates that case once."""

from __future__ import annotations

from litestar.testing import TestClient
from sqlmodel import select

from appliance.jobs.tables import SmsMessage
from appliance.ratings.service.sweep import RatingSweep, SweepReport
from appliance.ratings.tables import RatingInvite
from tests.ratings.support import (
    APPLICANT_PHONE,
    device,
    finish_case,
    followups,
    open_case,
    ratings,
    token,
)
from tests.support.fingerprint import fingerprint
from tests.support.station import Station


def sweep(st: Station) -> SweepReport:
    return RatingSweep(st.services.ratings, st.services.followups).run()


def reply(client: TestClient, st: Station, body: str, phone: str = APPLICANT_PHONE) -> None:
    r = client.post(
        "/api/device/sms/inbound",
        headers=device(st),
        json={"phone": phone, "body": body, "received_at": "26/11/23,09:30:00+32"},
    )
    assert r.status_code == 201, r.text


def invites(st: Station) -> list[SmsMessage]:
    with st.services.db.read() as s:
        return list(s.exec(select(SmsMessage).where(SmsMessage.kind == "rating_invite")))


def test_a_finished_case_invites_its_applicant_to_rate_by_sms_r_e2(station: Station) -> None:
    number = open_case(station)
    assert invites(station) == []  # not before the case ends (no 事前评价)
    station.services.cases.act(number, "refuse", {"reason": "不符合申领年龄条件"}, "ck01")
    (sms,) = invites(station)
    assert sms.phone == APPLICANT_PHONE and number in sms.body
    assert "回复数字" in sms.body and "5非常满意" in sms.body and "1非常不满意" in sms.body


def test_a_case_without_a_phone_gets_no_invitation_r_e2(station: Station) -> None:
    finish_case(station, phone="无")
    assert invites(station) == []


def test_a_reply_rates_the_case_and_a_bad_one_opens_a_follow_up_r_e2_r_e3(
    client: TestClient, station: Station
) -> None:
    number = finish_case(station)
    station.clock.advance(hours=2)
    reply(client, station, "1 一直没人告诉我结果", phone="+86" + APPLICANT_PHONE)
    assert sweep(station).lines == [f"短信评价 {number}：1"]
    (r,) = ratings(station)
    assert (r.source, r.level, r.subject_ref, r.real_name) == ("sms", 1, number, True)
    assert r.reason_text == "一直没人告诉我结果" and r.source_ref is not None
    (fu,) = followups(station)
    assert fu.rating_id == r.id and fu.state == "verify"
    # the same reply is never counted twice, and a second reply changes nothing
    before = fingerprint(station.services.db)
    reply(client, station, "5")
    after_reply = fingerprint(station.services.db)
    assert sweep(station).lines == [] and sweep(station).lines == []
    assert fingerprint(station.services.db) == after_reply != before
    assert len(ratings(station)) == 1


def test_replies_that_rate_nothing_are_ignored_r_e2(client: TestClient, station: Station) -> None:
    finish_case(station)
    reply(client, station, "谢谢")  # not a rating
    reply(client, station, "5", phone="13911112222")  # nobody invited that number
    before = fingerprint(station.services.db)
    assert sweep(station).lines == []
    assert fingerprint(station.services.db) == before
    assert ratings(station) == []


def test_a_reply_after_the_rating_period_is_ignored_r_e2(
    client: TestClient, station: Station
) -> None:
    finish_case(station)
    station.clock.advance(days=7, minutes=1)
    reply(client, station, "5")
    assert sweep(station).lines == [] and ratings(station) == []


def test_a_reply_naming_a_case_rates_that_case_r_e2(client: TestClient, station: Station) -> None:
    first = finish_case(station)
    station.clock.advance(minutes=5)
    second = finish_case(station)
    reply(client, station, f"4 {first}")
    reply(client, station, "2 太慢")  # the newest open invitation: the second case
    sweep(station)
    assert sorted((r.subject_ref, r.level) for r in ratings(station)) == [(first, 4), (second, 2)]


def test_a_case_rated_by_its_link_is_not_rated_again_by_sms_r_e2(
    client: TestClient, station: Station
) -> None:
    number = finish_case(station)
    link = token(station, "case", number)
    assert client.post("/api/ratings/link", json={"token": link, "level": 5}).status_code == 201
    reply(client, station, "1")
    sweep(station)
    assert [(r.source, r.level) for r in ratings(station)] == [("qr", 5)]
    with station.services.db.read() as s:
        (invite,) = s.exec(select(RatingInvite)).all()
    assert invite.answered_at is not None
