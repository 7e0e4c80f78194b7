"""Checks of an app's OpenAPI document against the app's own routes (station and county).

Every route (but static files and the schema routes) must be in the document with its
method; a JSON request body must be a named, typed schema (a ``$ref`` to a component that
is an object with properties, not a free-form object); so must every JSON success answer
(or a list of such). Answers that are not JSON (HTML pages, PDF, CSV, a redirect, an event
stream) must say their own media type, so the document does not call them JSON.
"""

from __future__ import annotations

import re
from typing import Any

from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute

SCHEMA_PATH = "/schema"
REF_PREFIX = "#/components/schemas/"
_PARAM = re.compile(r"{(\w+):[^}]+}")

Doc = dict[str, Any]
Operation = tuple[str, str]  # (method, OpenAPI path)


def openapi_path(path: str) -> str:
    """``/api/tickets/{ticket_id:str}`` → ``/api/tickets/{ticket_id}``."""
    return _PARAM.sub(r"{\1}", path)


def app_operations(app: Litestar, skip: tuple[str, ...]) -> dict[Operation, HTTPRouteHandler]:
    """Every (method, path) the app answers, but paths under ``skip`` (static files, the
    schema) and Litestar's automatic OPTIONS answers."""
    found: dict[Operation, HTTPRouteHandler] = {}
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path.startswith(skip):
            continue
        for handler in route.route_handlers:
            for method in handler.http_methods:
                if method != "OPTIONS":
                    found[(method, openapi_path(route.path))] = handler
    return found


def _component(doc: Doc, schema: dict[str, Any]) -> str | None:
    """The component name of a ``$ref`` to a typed object, else None."""
    ref = schema.get("$ref", "")
    if not ref.startswith(REF_PREFIX):
        return None
    name = ref.removeprefix(REF_PREFIX)
    component = doc.get("components", {}).get("schemas", {}).get(name, {})
    typed = component.get("type") == "object" and bool(component.get("properties"))
    return name if typed and not component.get("additionalProperties") else None


def named(doc: Doc, schema: dict[str, Any]) -> bool:
    """A named typed object, a list of them, or a choice between them."""
    if schema.get("type") == "array":
        return named(doc, schema.get("items", {}))
    choices = schema.get("oneOf") or schema.get("anyOf")
    if choices:
        return all(named(doc, c) for c in choices)
    return _component(doc, schema) is not None


def _is_json(media_type: str) -> bool:
    return media_type.split(";")[0].strip() == "application/json" or media_type.endswith("+json")


def _body_problems(doc: Doc, where: str, operation: dict[str, Any], has_data: bool) -> list[str]:
    body = operation.get("requestBody")
    if body is None:
        return [f"{where}: takes a body, but the document has no requestBody"] if has_data else []
    problems = []
    for media_type, content in body.get("content", {}).items():
        if not named(doc, content.get("schema", {})):
            problems.append(f"{where}: {media_type} request body is not a named typed schema")
    return problems


def _answer_problems(doc: Doc, where: str, operation: dict[str, Any]) -> list[str]:
    answers = {k: v for k, v in operation.get("responses", {}).items() if k.startswith(("2", "3"))}
    if not answers:
        return [f"{where}: no success answer documented"]
    problems = []
    for status, answer in answers.items():
        for media_type, content in answer.get("content", {}).items():
            if _is_json(media_type) and not named(doc, content.get("schema", {})):
                problems.append(f"{where}: JSON answer {status} is not a named typed schema")
    return problems


def doc_problems(doc: Doc, operations: dict[Operation, HTTPRouteHandler]) -> list[str]:
    """What the document gets wrong about these operations; empty when it is complete."""
    problems = []
    for (method, path), handler in sorted(operations.items()):
        where = f"{method} {path}"
        operation = doc.get("paths", {}).get(path, {}).get(method.lower())
        if operation is None:
            problems.append(f"{where}: missing from the document")
            continue
        has_data = "data" in handler.parsed_fn_signature.parameters
        problems += _body_problems(doc, where, operation, has_data)
        problems += _answer_problems(doc, where, operation)
    return problems
