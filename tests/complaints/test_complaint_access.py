"""Who sees a confidential complaint, route by route and role by role (R-P2, R-I3, R-T1).

The route matrix (``tests/http/test_access_matrix.py``) proves who may call each route; a
confidential complaint is narrower: every staff member may read complaints, but only the
投诉受理 role and the station head may see a confidential one. This table is written down
independently of the code, and every route under ``/api/complaints`` must be in it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from litestar.routes import HTTPRoute
from litestar.testing import TestClient

from appliance.core.roles import Role
from appliance.http.app import create_app
from tests.complaints.complaint_support import COMPLAINANT, PHONE, register
from tests.support.station import (
    COMPLAINTS,
    GUIDE,
    HELPER,
    MANAGER,
    WINDOW_CLERK,
    Station,
    login,
    make_station,
)

ACCOUNTS = {
    Role.COMPLAINTS: COMPLAINTS,
    Role.MANAGER: MANAGER,
    Role.WINDOW: WINDOW_CLERK,
    Role.GUIDE: GUIDE,
    Role.HELPER: HELPER,
}
READERS = {Role.COMPLAINTS, Role.MANAGER}
# route → who sees the confidential complaint through it
CONFIDENTIAL: dict[tuple[str, str], set[Role]] = {
    ("GET", "/api/complaints"): READERS,
    ("GET", "/api/complaints/{ref:str}"): READERS,
    ("GET", "/api/complaints/export.csv"): READERS,
    ("GET", "/api/complaints/export.xlsx"): READERS,
    ("POST", "/api/complaints"): READERS,
    **{
        ("POST", f"/api/complaints/{{ref:str}}/{step}"): READERS
        for step in ("verify", "handle", "transfer", "follow", "result", "answer", "close")
    },
}


@pytest.fixture(scope="module")
def station(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Station]:
    st = make_station(tmp_path_factory.mktemp("confidential"))
    yield st
    st.services.close()


@pytest.fixture(scope="module")
def client(station: Station) -> Iterator[TestClient]:
    with TestClient(create_app(station.settings, services=station.services)) as c:
        yield c


@pytest.fixture(scope="module")
def number(client: TestClient) -> str:
    return register(client, login(client, *COMPLAINTS), confidential=True)


def test_every_complaint_route_is_in_the_table(client: TestClient) -> None:
    routes = {
        (method, route.path)
        for route in client.app.routes
        if isinstance(route, HTTPRoute) and route.path.startswith("/api/complaints")
        for handler in route.route_handlers
        for method in handler.http_methods
        if method != "OPTIONS"
    }
    assert routes == set(CONFIDENTIAL)


@pytest.mark.parametrize(("method", "path"), sorted(CONFIDENTIAL))
@pytest.mark.parametrize("role", list(Role))
def test_a_confidential_complaint_by_route_and_role_r_p2_r_i3(
    client: TestClient, number: str, role: Role, method: str, path: str
) -> None:
    h = login(client, *ACCOUNTS[role])
    url = path.replace("{ref:str}", number)
    # an empty body: a reader is refused for the body or the state, never for who they are
    r = client.request(method, url, headers=h, json={} if method == "POST" else None)
    assert COMPLAINANT not in r.text and PHONE not in r.text or role in READERS
    if role not in CONFIDENTIAL[(method, path)]:
        if (method, path) == ("GET", "/api/complaints"):
            assert r.status_code == 200 and number not in r.text  # left out of the list
        else:
            assert r.status_code == 403, r.text
            assert "保密投诉" in r.json()["message"] or "无权" in r.json()["message"]
        return
    assert r.status_code in (200, 400, 409), r.text  # refused for the body or the state
    if method == "GET" and "export" not in path:
        assert number in r.text and COMPLAINANT in r.text  # the readers see who complained
    if "export" in path:
        assert COMPLAINANT not in r.content.decode("utf-8", "replace")  # never in an export
