"""Every endpoint x every role (R-T1, R-T3, R-I3): who may call what, and nobody else.

Each role is played by its demo account (appliance/demo/seed.py), so every role the station
knows has a real user under test. The window actions also depend on the window: a clerk may
act only at the window they are signed in at (their assigned window), the head at any
(R-Q6). The policy (`access_policy.py`) is written down independently of the code.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import TestClient

from appliance.core.roles import Role
from appliance.http.app import create_app
from tests.http.access_policy import (
    ACCOUNTS,
    BODIES,
    DEVICE,
    PARAMS,
    POLICY,
    PUBLIC,
    WINDOWS,
    AtOwnWindow,
)
from tests.support.station import (
    WINDOW_CLERK,
    Station,
    make_station,
)


def url_at(path: str, window: str) -> str:
    return concrete(path.replace("{window:str}", window))


def app_routes(app: Litestar) -> set[tuple[str, str]]:
    found = set()
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            for method in handler.http_methods:
                if method != "OPTIONS":
                    found.add((method, route.path))
    return found


def concrete(path: str) -> str:
    for key, value in PARAMS.items():
        path = path.replace(key, value)
    return path


@pytest.fixture(scope="module")
def station(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Station]:
    st = make_station(tmp_path_factory.mktemp("matrix"))
    yield st
    st.services.close()


@pytest.fixture(scope="module")
def client(station: Station) -> Iterator[TestClient]:
    with TestClient(create_app(station.settings, services=station.services)) as c:
        yield c


@pytest.fixture(scope="module")
def tokens(client: TestClient) -> dict[Role, str]:
    out = {}
    for role in Role:
        code, pin = ACCOUNTS[role]
        r = client.post("/api/auth/login", json={"code": code, "pin": pin})
        assert r.status_code == 201 and r.json()["staff"]["role"] == role.value, r.text
        out[role] = r.json()["token"]
    return out


def test_every_role_has_a_demo_account_r_t1(tokens: dict[Role, str]) -> None:
    assert set(tokens) == set(Role) == set(ACCOUNTS)


def test_policy_covers_every_route(client: TestClient) -> None:
    assert app_routes(client.app) == set(POLICY)


def test_every_route_declares_its_access(client: TestClient) -> None:
    for route in client.app.routes:
        for handler in getattr(route, "route_handlers", []):
            if set(handler.http_methods) == {"OPTIONS"}:
                continue  # Litestar's automatic OPTIONS answer
            opt = handler.opt
            assert opt.get("public") or opt.get("device") or opt.get("roles"), route.path


# The stream never ends and logout revokes the token: both have dedicated tests.
MATRIX = sorted(k for k in POLICY if not k[1].endswith(("/stream", "/logout")))


@pytest.mark.parametrize(("method", "path"), MATRIX)
def test_endpoint_role_matrix_r_t1(
    method: str, path: str, client: TestClient, tokens: dict[Role, str], station: Station
) -> None:
    policy = POLICY[(method, path)]
    url = concrete(path)

    def call(headers: dict[str, str], at: str = url) -> int:
        kwargs = {"headers": headers}
        if method in ("POST", "PUT"):
            kwargs["json"] = BODIES.get(path.rsplit("/", 1)[-1], {})
        return client.request(method, at, **kwargs).status_code  # type: ignore[arg-type]

    if isinstance(policy, AtOwnWindow):
        assert call({}) == 401
        assert call({"Authorization": "Bearer forged-token"}) == 401
        for role in Role:
            for window in WINDOWS:
                status = call({"Authorization": f"Bearer {tokens[role]}"}, at=url_at(path, window))
                if policy.allows(role, window):
                    assert status not in (401, 403), (role, window, status)
                else:
                    assert status == 403, (role, window, status)
        return
    if policy == PUBLIC:
        assert call({}) not in (401, 403)
        return
    if policy == DEVICE:
        assert call({}) == 403
        assert call({"X-Device-Key": "wrong"}) == 403
        assert call({"X-Device-Key": station.settings.device_key}) not in (401, 403)
        for role in Role:
            assert call({"Authorization": f"Bearer {tokens[role]}"}) == 403
        return
    assert call({}) == 401
    assert call({"Authorization": "Bearer forged-token"}) == 401
    assert isinstance(policy, set)
    for role in Role:
        status = call({"Authorization": f"Bearer {tokens[role]}"})
        if role in policy:
            assert status not in (401, 403), (role, status)
        else:
            assert status == 403, (role, status)


def test_logout_revokes_only_that_token(client: TestClient, tokens: dict[Role, str]) -> None:
    code, pin = WINDOW_CLERK
    token = client.post("/api/auth/login", json={"code": code, "pin": pin}).json()["token"]
    h = {"Authorization": f"Bearer {token}"}
    assert client.post("/api/auth/logout", headers=h).status_code == 201
    r = client.get("/api/queue", headers=h)
    assert r.status_code == 401 and r.json()["message"] == "登录已失效，请重新登录"
    assert (
        client.get(
            "/api/queue", headers={"Authorization": f"Bearer {tokens[Role.GUIDE]}"}
        ).status_code
        == 200
    )
    assert client.post("/api/auth/logout").status_code == 401


def test_display_stream_is_public_and_pushes_a_snapshot_r_q3(live_server: object) -> None:
    """The SSE stream needs no login and sends the display snapshot at once."""
    import json

    import httpx

    url = f"{live_server.url}/api/display/stream"  # type: ignore[attr-defined]
    with httpx.stream("GET", url, timeout=5) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        for line in r.iter_lines():
            if line.startswith("data:"):
                snap = json.loads(line[5:])
                assert snap["station_name"] and len(snap["windows"]) == 2
                break
