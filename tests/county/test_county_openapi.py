"""The county's OpenAPI document (/schema): public, and complete and typed for every route
of the sync API and of the dashboard mounted in it."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from litestar.exceptions import LitestarDeprecationWarning, LitestarWarning

from sync.county.app import create_county_app
from sync.county.settings import load_county_settings
from tests.support.county import County
from tests.support.openapi import SCHEMA_PATH, app_operations, doc_problems


def test_the_document_is_public_json(county: County) -> None:
    """No session and no station signature: the document answers at both paths."""
    for path in (SCHEMA_PATH, f"{SCHEMA_PATH}/openapi.json"):
        r = county.client.get(path)
        assert r.status_code == 200, (path, r.text)
        assert r.headers["content-type"].startswith("application/vnd.oai.openapi+json")
        assert r.json()["openapi"].startswith("3.")


def test_every_route_is_documented_with_typed_bodies_and_answers(county: County) -> None:
    doc: dict[str, Any] = county.client.get(f"{SCHEMA_PATH}/openapi.json").json()
    app = county.client.app
    operations = app_operations(app, skip=("/dashboard/static", SCHEMA_PATH))
    assert ("POST", "/sync/v1/batches") in operations
    assert ("POST", "/dashboard/publish/catalogue") in operations
    assert doc_problems(doc, operations) == []
    paths = doc["paths"]
    for path, name in (
        ("/sync/v1/health", "CountyHealth"),
        ("/sync/v1/reference", "SignedPage"),
        ("/sync/v1/snapshot", "SignedPage"),
    ):
        schema = paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert schema == {"$ref": f"#/components/schemas/{name}"}, path
    answer = paths["/sync/v1/batches"]["post"]["responses"]["200"]["content"]["application/json"]
    assert answer["schema"] == {"$ref": "#/components/schemas/AckReply"}
    assert "text/html" in paths["/dashboard/health"]["get"]["responses"]["200"]["content"]


def test_no_handler_relies_on_inferred_parameters_or_dependencies(tmp_path: Path) -> None:
    """Every dependency is a NamedDependency and every parameter says where it comes from
    (Litestar 3 drops the inferred styles)."""
    settings = load_county_settings(
        env={}, database_url="postgresql://nobody@127.0.0.1:9/none", data_dir=str(tmp_path)
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        create_county_app(settings)
    assert [
        str(w.message)
        for w in caught
        if issubclass(w.category, (LitestarWarning, LitestarDeprecationWarning))
    ] == []
