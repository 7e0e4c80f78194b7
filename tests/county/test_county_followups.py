"""The county's 回访 page (R-E3, R-E4, R-T4): ratings from every channel (``rating.given``)
reach it, with who served by name and 工号 rather than a raw id, and where each bad
rating's follow-up stands, overdue ones marked."""

from __future__ import annotations

from datetime import timedelta

from sync.county.dashboard.common import PREFIX
from sync.county.reference import publish_table
from tests.county.dashboard_support import login
from tests.support.county import County, FakeStation

STAFF_ID = "01a23af1-0c4b-4c1e-9f55-3d2c9b7e1a10"


def _row(page: str, number: str) -> str:
    return page.split(f'<td class="num">{number}</td>')[1].split("</tr>")[0]


def _send(dash: County, st: FakeStation, *events: tuple[str, str, str, dict[str, object]]) -> None:
    at = dash.services.clock.now() - timedelta(hours=1)
    wired = [st.event(t, p, entity=e, entity_id=i, at=at) for t, e, i, p in events]
    assert dash.send(st, wired).status_code == 200


def test_bad_ratings_name_the_staff_and_show_their_follow_up_r_e3_r_t4(dash: County) -> None:
    st = dash.enrol("ST01", "东坡村便民服务站")
    publish_table(
        dash.services,
        "staff",
        {"ST01": {"station_id": "ST01", "staff": [{"code": "ck01", "name": "王秀英"}]}},
    )
    given = {"level": 1, "subject_ref": "A007", "window_number": "1", "staff_id": STAFF_ID}
    _send(
        dash,
        st,
        ("staff.created", "staff", STAFF_ID, {"code": "ck01", "role": "window"}),
        ("rating.given", "rating", "r1", {**given, "source": "keypad", "bad": True}),
        ("rating.given", "rating", "r2", {**given, "level": 2, "subject_ref": "A008"}),
        (
            "rating.followup_opened",
            "rating_followup",
            "f1",
            {"rating_id": "r1", "subject_ref": "A007", "state": "verify"},
        ),  # noqa: E501
        (
            "rating.followup_overdue",
            "rating_followup",
            "f1",
            {"rating_id": "r1", "state": "verify"},
        ),  # noqa: E501
    )
    login(dash.client)
    page = dash.client.get(f"{PREFIX}/followups").text
    first = _row(page, "A007")
    assert "王秀英（ck01）" in first and STAFF_ID not in page
    assert "待核实（已超期）" in first and "非常不满意" in first
    assert "—" in _row(page, "A008").split("</td>")[-2]  # no follow-up event yet

    _send(
        dash,
        st,
        (
            "rating.followup_step",
            "rating_followup",
            "f1",
            {"rating_id": "r1", "state": "closed", "closed": True},
        ),  # noqa: E501
    )
    first = _row(dash.client.get(f"{PREFIX}/followups").text, "A007")
    assert "已办结" in first and "已超期" not in first
