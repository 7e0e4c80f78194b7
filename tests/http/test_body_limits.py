"""Hostile bodies are refused before parsing, on every JSON endpoint (R-I3; defect 4).

A body nested 100,000 deep made the JSON decoder recurse until Python gave up (a 500 on
every endpoint); now every route that takes a JSON body answers 400 in Chinese before it
decodes, whoever calls it. Bodies past the size limit are a 413, and a body that does not
arrive in time a 408 (``appliance.http.limits``).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute
from litestar.testing import TestClient

from appliance.http.app import create_app
from appliance.http.limits import BodyLimits, limit_bodies
from tests.support.openapi import openapi_path
from tests.support.station import MANAGER, Station, login

DEEP = b"[" * 100_000 + b"]" * 100_000
JSON = {"content-type": "application/json"}


def json_routes(client: TestClient) -> list[tuple[str, str]]:
    """(method, path) of every route that takes a JSON body, path parameters filled in."""
    found = []
    for route in client.app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            assert isinstance(handler, HTTPRouteHandler)
            if "data" not in handler.parsed_fn_signature.parameters:
                continue
            for method in handler.http_methods - {"OPTIONS"}:
                path = openapi_path(route.path).replace("{", "").replace("}", "")
                found.append((method, path))
    return sorted(found)


def test_every_json_endpoint_refuses_a_body_nested_too_deep_r_i3(
    client: TestClient, station: Station
) -> None:
    headers = {**JSON, **login(client, *MANAGER), "X-Device-Key": station.settings.device_key}
    routes = json_routes(client)
    assert len(routes) >= 25  # every JSON endpoint of the station
    for method, path in routes:
        r = client.request(method, path, content=DEEP, headers=headers)
        assert r.status_code == 400, (method, path, r.text)
        body = r.json()
        assert body["error"] == "too_deep" and "嵌套过深" in body["message"], (method, path)


def test_a_body_past_the_size_limit_is_a_413(client: TestClient, station: Station) -> None:
    limit = station.settings.http_max_body_bytes
    big = b'{"code": "' + b"x" * limit + b'", "pin": "1"}'
    r = client.post("/api/auth/login", content=big, headers=JSON)
    assert r.status_code == 413
    assert r.json() == {
        "error": "too_large",
        "message": "请求内容过大，请检查后重试",
        "status": 413,
    }


def test_an_ordinary_body_still_passes(client: TestClient) -> None:
    r = client.post("/api/kiosk/tickets", json={"category": "A"})
    assert r.status_code == 201, r.text


async def test_a_body_that_does_not_arrive_in_time_is_a_408() -> None:
    """The middleware alone, with a receive that never delivers the promised body."""
    answered: list[dict[str, Any]] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        raise AssertionError("the app must not run")

    async def receive() -> dict[str, Any]:
        await asyncio.sleep(3600)
        return {}

    async def send(message: dict[str, Any]) -> None:
        answered.append(message)

    guarded = limit_bodies(BodyLimits(body_timeout=0.2))(app)
    scope = {"type": "http", "method": "POST", "headers": [(b"content-length", b"10")]}
    await asyncio.wait_for(guarded(scope, receive, send), 5)
    assert answered[0]["status"] == 408
    assert "规定时间" in answered[1]["body"].decode()


@pytest.mark.parametrize(
    ("path", "body", "words"),
    [
        ("/api/windows", {"number": 10**20, "name": "x"}, ["窗口号", "1–999"]),
        ("/api/categories", {"prefix": "Z", "name": "x", "prior_minutes": -1}, ["预设时长"]),
        ("/api/categories", {"prefix": "Z", "name": "名" * 101}, ["姓名/名称", "最多 100 个字"]),
        ("/api/staff/me/whereabouts", {"whereabouts": "a\x00"}, ["去向", "控制字符"]),
    ],
)
def test_range_and_text_refusals_name_the_field_in_chinese_r_i3(
    client: TestClient, path: str, body: dict[str, Any], words: list[str]
) -> None:
    r = client.post(path, json=body, headers=login(client, *MANAGER))
    assert r.status_code == 400, r.text
    assert all(w in r.json()["message"] for w in words), r.json()["message"]


def test_the_app_declares_the_limits(station: Station) -> None:
    app = create_app(station.settings, services=station.services)
    assert app.request_max_body_size == station.settings.http_max_body_bytes
