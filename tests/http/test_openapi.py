"""The station's OpenAPI document (/schema): public, and complete and typed for every route."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from litestar import Litestar, Response, get, post
from litestar.params import JSONBody
from litestar.testing import TestClient

from appliance.http.app import create_app
from tests.support.openapi import SCHEMA_PATH, app_operations, doc_problems
from tests.support.station import Station, make_station

Doc = dict[str, Any]


@dataclass
class Named:
    value: int


@pytest.fixture(scope="module")
def station(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Station]:
    st = make_station(tmp_path_factory.mktemp("openapi"))
    yield st
    st.services.close()


@pytest.fixture(scope="module")
def client(station: Station) -> Iterator[TestClient]:
    with TestClient(create_app(station.settings, services=station.services)) as c:
        yield c


@pytest.fixture(scope="module")
def doc(client: TestClient) -> Doc:
    r = client.get(f"{SCHEMA_PATH}/openapi.json")
    assert r.status_code == 200, r.text
    body: Doc = r.json()
    return body


def test_the_document_is_public_json(client: TestClient) -> None:
    """No login and no device key: /schema and /schema/openapi.json answer the document."""
    for path in (SCHEMA_PATH, f"{SCHEMA_PATH}/openapi.json"):
        r = client.get(path)
        assert r.status_code == 200, (path, r.text)
        assert r.headers["content-type"].startswith("application/vnd.oai.openapi+json")
        assert r.json()["openapi"].startswith("3.") and r.json()["paths"]
    assert client.get(f"{SCHEMA_PATH}/nothing-here").status_code == 404


def test_every_route_is_documented_with_typed_bodies_and_answers(
    client: TestClient, doc: Doc
) -> None:
    operations = app_operations(client.app, skip=("/static", SCHEMA_PATH))
    assert len(operations) > 70
    assert doc_problems(doc, operations) == []


def test_bodies_and_answers_name_the_shared_wire_types(doc: Doc) -> None:
    def body(method: str, path: str) -> str:
        schema = doc["paths"][path][method]["requestBody"]["content"]["application/json"]
        return str(schema["schema"]["$ref"]).rsplit("/", 1)[-1]

    def answer(method: str, path: str) -> str:
        answers = doc["paths"][path][method]["responses"]
        status = next(s for s in answers if s.startswith("2"))
        schema = answers[status]["content"]["application/json"]["schema"]
        return str(schema.get("items", schema)["$ref"]).rsplit("/", 1)[-1]

    assert body("post", "/api/device/button-press") == "ButtonPressIn"
    assert answer("post", "/api/device/button-press") == "ButtonTicket"
    assert answer("get", "/api/queue") == "QueueSnapshot"
    assert (body("post", "/api/auth/login"), answer("post", "/api/auth/login")) == (
        "LoginIn",
        "LoginResult",
    )
    assert answer("post", "/api/auth/logout") == "LoggedOut"
    assert answer("get", "/api/health") == "StationHealth"
    assert answer("post", "/api/device/alerts") == "AlertChanged"
    assert answer("post", "/api/device/sms/inbound") == "InboundStored"
    assert answer("get", "/api/device/events") == "FeedEvent"
    assert "/api/device/tickets" not in doc["paths"]  # the button has one endpoint
    ticket = doc["components"]["schemas"]["TicketView"]["properties"]
    assert ticket["issued_at"] == {"type": "string", "format": "date-time"}


def test_the_check_flags_free_form_answers_and_bodies() -> None:
    """The check is not vacuous: a dict answer, a dict body and an untyped page are flagged."""

    @get("/free", sync_to_thread=False)
    def free() -> dict[str, Any]:
        return {}

    @post("/loose", sync_to_thread=False)
    def loose(data: JSONBody[dict[str, Any]]) -> Named:
        return Named(1)

    @get("/page", sync_to_thread=False)
    def page() -> Response[bytes]:
        return Response(b"<html></html>", media_type="text/html")

    @post("/typed", sync_to_thread=False)
    def typed(data: JSONBody[Named]) -> list[Named]:
        return [data]

    app = Litestar([free, loose, page, typed])
    with TestClient(app) as c:
        problems = doc_problems(
            c.get("/schema/openapi.json").json(), app_operations(app, (SCHEMA_PATH,))
        )
    assert problems == [
        "GET /free: JSON answer 200 is not a named typed schema",
        "GET /page: JSON answer 200 is not a named typed schema",
        "POST /loose: application/json request body is not a named typed schema",
    ]
