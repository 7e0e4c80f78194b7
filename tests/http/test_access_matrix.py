"""Every endpoint x every role (R-T1, R-T3): who may call what, and nobody else."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import TestClient

from appliance.core.roles import Role
from appliance.http.app import create_app
from tests.support.station import Station, make_station

G, W, H, C, M = Role.GUIDE, Role.WINDOW, Role.HELPER, Role.COMPLAINTS, Role.MANAGER
ALL = {G, W, H, C, M}
WINDOW_OPS = {W, H, M}
PUBLIC = "public"
DEVICE = "device"

# The access policy, written down independently of the code.
POLICY: dict[tuple[str, str], object] = {
    ("GET", "/"): PUBLIC,
    ("GET", "/display"): PUBLIC,
    ("GET", "/kiosk"): PUBLIC,
    ("GET", "/board"): PUBLIC,
    ("GET", "/t/{ticket_id:str}"): PUBLIC,
    ("GET", "/api/display"): PUBLIC,
    ("GET", "/api/display/stream"): PUBLIC,
    ("GET", "/api/board"): PUBLIC,
    ("GET", "/api/health"): PUBLIC,
    ("GET", "/api/categories"): PUBLIC,
    ("GET", "/api/windows"): PUBLIC,
    ("GET", "/static/{file_path:path}"): PUBLIC,
    ("HEAD", "/static/{file_path:path}"): PUBLIC,
    ("POST", "/api/kiosk/tickets"): PUBLIC,
    ("GET", "/api/tickets/{ticket_id:str}/progress"): PUBLIC,
    ("POST", "/api/auth/login"): PUBLIC,
    ("POST", "/api/tickets"): {G, W, H, M},
    ("POST", "/api/tickets/{ticket:str}/rejoin"): {G, W, H, M},
    ("GET", "/api/queue"): ALL,
    ("GET", "/api/windows/{window:str}"): ALL,
    ("POST", "/api/windows/{window:str}/call-next"): WINDOW_OPS,
    ("POST", "/api/windows/{window:str}/call"): WINDOW_OPS,
    ("POST", "/api/windows/{window:str}/recall"): WINDOW_OPS,
    ("POST", "/api/windows/{window:str}/start"): WINDOW_OPS,
    ("POST", "/api/windows/{window:str}/finish"): WINDOW_OPS,
    ("POST", "/api/windows/{window:str}/no-show"): WINDOW_OPS,
    ("POST", "/api/windows/{window:str}/transfer"): WINDOW_OPS,
    ("POST", "/api/windows/{window:str}/pause"): WINDOW_OPS,
    ("POST", "/api/windows/{window:str}/resume"): WINDOW_OPS,
    ("POST", "/api/auth/logout"): ALL,
    ("GET", "/api/auth/me"): ALL,
    ("GET", "/api/staff"): {M},
    ("POST", "/api/staff"): {M},
    ("POST", "/api/staff/{staff_id:str}/deactivate"): {M},
    ("POST", "/api/staff/me/clock-in"): ALL,
    ("POST", "/api/staff/me/clock-out"): ALL,
    ("POST", "/api/staff/me/whereabouts"): ALL,
    ("GET", "/api/alerts"): ALL,
    ("POST", "/api/categories"): {M},
    ("POST", "/api/windows"): {M},
    ("POST", "/api/device/button-press"): DEVICE,
    ("POST", "/api/device/print-jobs/claim"): DEVICE,
    ("POST", "/api/device/print-jobs/{job_id:str}/done"): DEVICE,
    ("POST", "/api/device/print-jobs/{job_id:str}/failed"): DEVICE,
    ("POST", "/api/device/sms/claim"): DEVICE,
    ("POST", "/api/device/sms/{sms_id:str}/sent"): DEVICE,
    ("POST", "/api/device/sms/{sms_id:str}/failed"): DEVICE,
    ("POST", "/api/device/sms/inbound"): DEVICE,
    ("POST", "/api/device/status"): DEVICE,
    ("POST", "/api/device/alerts"): DEVICE,
    ("POST", "/api/device/ratings"): DEVICE,
    ("GET", "/api/device/events"): DEVICE,
    ("GET", "/api/print-jobs"): ALL,
    ("POST", "/api/print-jobs/{job_id:str}/cancel"): {G, W, H, M},
    ("POST", "/api/print-jobs/{job_id:str}/reprint"): {G, W, H, M},
    ("POST", "/api/tickets/{ticket_id:str}/reprint"): {G, W, H, M},
    ("GET", "/api/sms"): ALL,
    ("POST", "/api/sms/{sms_id:str}/cancel"): {G, W, H, M},
    ("POST", "/api/sms/{sms_id:str}/retry"): {G, W, H, M},
    ("GET", "/api/sms-templates"): ALL,
    ("PUT", "/api/sms-templates/{kind:str}"): {M},
    ("GET", "/api/devices"): ALL,
    ("GET", "/api/sync/status"): ALL,
    ("GET", "/api/catalogue/items"): ALL,
    ("GET", "/api/catalogue/items/{code:str}"): PUBLIC,
    ("POST", "/api/cases"): WINDOW_OPS,
    ("GET", "/api/cases"): ALL,
    ("GET", "/api/cases/{case_number:str}"): ALL,
    ("POST", "/api/cases/{case_number:str}/actions/{action:str}"): WINDOW_OPS,
    ("GET", "/api/cases/{case_number:str}/notices"): ALL,
    ("GET", "/api/cases/{case_number:str}/notices/{notice_id:str}/pdf"): ALL,
    ("POST", "/api/cases/{case_number:str}/notices/{notice_id:str}/reprint"): WINDOW_OPS,
    ("GET", "/api/device/case-notices/{notice_id:str}/pdf"): DEVICE,
    ("GET", "/api/catalogue/items/{code:str}/guide.pdf"): PUBLIC,
    ("POST", "/api/catalogue/items/{code:str}/guide/print"): ALL,
    ("POST", "/api/public/case-query"): PUBLIC,
    ("GET", "/cases"): PUBLIC,
    ("GET", "/cases/{case_number:str}"): PUBLIC,
    ("GET", "/schema"): PUBLIC,
    ("GET", "/schema/openapi.json"): PUBLIC,
    ("GET", "/schema/{path:str}"): PUBLIC,
}

PARAMS = {
    "{window:str}": "1",
    "{ticket:str}": "A001",
    "{ticket_id:str}": "no-such-ticket",
    "{staff_id:str}": "no-such-staff",
    "{file_path:path}": "yizhan-missing.css",
    "{job_id:str}": "no-such-job",
    "{sms_id:str}": "no-such-sms",
    "{kind:str}": "no-such-kind",
    "{code:str}": "no-such-item",
    "{case_number:str}": "DEMO01-20261123-9999",
    "{action:str}": "accept",
    "{notice_id:str}": "no-such-notice",
    "{path:str}": "no-such-page",
}


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
def tokens(station: Station, client: TestClient) -> dict[Role, str]:
    out = {}
    for role in Role:
        code = f"t_{role.value}"
        station.services.staff.create(code, f"测试{role.value}", role.value, "9876")
        r = client.post("/api/auth/login", json={"code": code, "pin": "9876"})
        out[role] = r.json()["token"]
    return out


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

    def call(headers: dict[str, str]) -> int:
        kwargs = {"headers": headers}
        if method in ("POST", "PUT"):
            kwargs["json"] = {}
        return client.request(method, url, **kwargs).status_code  # type: ignore[arg-type]

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
    token = client.post("/api/auth/login", json={"code": "t_window", "pin": "9876"}).json()["token"]
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
