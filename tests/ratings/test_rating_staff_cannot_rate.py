"""Staff software can neither create nor alter a rating (R-E2; GD 5.9.3: 不可替代服务对象评价).

Every route of the OpenAPI document is called with every role's login and a body shaped like
a rating (level, window, the service's one-time link, its ticket number …) while a finished,
unrated service is on offer. No call may leave a rating except the comment-box transcription,
which is stored as ``comment_box`` under the transcriber, never as the visitor. The visitor
routes refuse a staff login outright (403), though the same body without it rates.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from litestar.testing import TestClient

from appliance.core.roles import Role
from appliance.http.app import create_app
from tests.ratings.support import finish_case, ratings, serve, staff_id, token
from tests.support.station import (
    COMPLAINTS,
    GUIDE,
    HELPER,
    MANAGER,
    WINDOW_CLERK,
    Station,
    make_station,
)

ACCOUNTS = {Role.MANAGER: MANAGER, Role.WINDOW: WINDOW_CLERK, Role.GUIDE: GUIDE}
ACCOUNTS |= {Role.HELPER: HELPER, Role.COMPLAINTS: COMPLAINTS}
VISITOR_ROUTES = {
    ("POST", "/api/ratings/link"),
    ("POST", "/api/ratings/windows/{window}"),
    ("POST", "/api/device/ratings"),
}
COMMENT_BOX = ("POST", "/api/ratings/comment-box")
SKIP = {"/api/auth/logout", "/api/display/stream"}  # revokes the login; never ends


@pytest.fixture(scope="module")
def station(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Station]:
    st = make_station(tmp_path_factory.mktemp("no-staff-ratings"))
    yield st
    st.services.close()


@pytest.fixture(scope="module")
def client(station: Station) -> Iterator[TestClient]:
    with TestClient(create_app(station.settings, services=station.services)) as c:
        yield c


def openapi_routes(client: TestClient) -> list[tuple[str, str]]:
    doc = client.get("/schema/openapi.json").json()
    verbs = ("get", "post", "put", "patch", "delete")
    return sorted(
        (method.upper(), path)
        for path, item in doc["paths"].items()
        for method in item
        if method in verbs and path not in SKIP
    )


def test_no_route_lets_a_staff_login_write_a_rating_r_e2(
    client: TestClient, station: Station
) -> None:
    routes = openapi_routes(client)
    assert VISITOR_ROUTES | {COMMENT_BOX} <= set(routes) and len(routes) > 60
    case_number = finish_case(station)
    statuses: dict[tuple[Role, str, str], int] = {}
    for role, (code, pin) in ACCOUNTS.items():
        station.clock.advance(minutes=1)
        t = serve(station)  # a finished, unrated service, on offer at window 1
        r = client.post("/api/auth/login", json={"code": code, "pin": pin})
        headers = {"Authorization": f"Bearer {r.json()['token']}"}
        body = {
            "level": 1,
            "window": "1",
            "token": token(station, "ticket", t.id),
            "ticket_number": t.number,
            "reason": "other",
            "reason_text": "代填",
            "subject_kind": "ticket",
            "ref": t.number,
            "step": "verify",
            "text": "代填",
        }
        params = {"{window}": "1", "{ticket_id}": t.id, "{ticket}": t.number}
        params |= {"{case_number}": case_number, "{action}": "deliver"}
        for method, path in routes:
            url = path
            for key, value in params.items():
                url = url.replace(key, value)
            while "{" in url:  # any other id: one that does not exist
                url = url[: url.index("{")] + "no-such-id" + url[url.index("}") + 1 :]
            json_body = body if method in ("POST", "PUT", "PATCH") else None
            answer = client.request(method, url, headers=headers, json=json_body)
            statuses[(role, method, path)] = answer.status_code
            assert answer.status_code < 500, (role, method, url, answer.text)
        visitor_only = [x for x in ratings(station) if x.source != "comment_box"]
        assert visitor_only == [], (role, [(x.source, x.subject_ref) for x in visitor_only])
    for role in ACCOUNTS:
        for method, path in VISITOR_ROUTES:
            assert statuses[(role, method, path)] == 403, (role, path)
    # the one way in for staff: the comment box, in the transcriber's name
    transcribers = {staff_id(station, code) for code, _ in (MANAGER, COMPLAINTS)}
    boxed = ratings(station)
    assert boxed and {x.source for x in boxed} == {"comment_box"}
    assert {x.transcribed_by for x in boxed} <= transcribers
    assert all(x.contact_phone is None and not x.real_name for x in boxed)
    # and the visitor routes were refused for the login, not for the body: without it they rate
    station.clock.advance(minutes=1)
    t = serve(station)
    r = client.post("/api/ratings/link", json={"token": token(station, "ticket", t.id), "level": 5})
    assert r.status_code == 201
