"""Public progress query (办件进度查询, R-K7): the API and the two pages it serves.

``GET /cases`` is the form (办件编号 + 手机号后4位); ``GET /cases/{case_number}`` is what a
notice's QR code opens (number filled in, asks for the 4 digits). Both pages post to
``POST /api/public/case-query``. Guessing limits answer 429 with ``Retry-After``.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, JSONBody

from appliance.domain.rate_limit import TooManyAttempts
from appliance.http.deps import ServicesDep
from appliance.services.case_query import PublicCaseView

from .public import STATIC

PUBLIC = {"public": True}


def _page() -> Response[bytes]:
    return Response(
        (STATIC / "case-query.html").read_bytes(),
        media_type="text/html; charset=utf-8",
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )


def too_many_attempts(_: Request[Any, Any, Any], exc: TooManyAttempts) -> Response[dict[str, Any]]:
    return Response(
        {"error": exc.code, "message": exc.message, "status": exc.status,
         "retry_after": exc.retry_after_seconds},
        status_code=exc.status,
        headers={"Retry-After": str(exc.retry_after_seconds)},
    )


class CaseQueryController(Controller):
    path = "/"
    exception_handlers = {TooManyAttempts: too_many_attempts}

    @post("/api/public/case-query", opt=PUBLIC, status_code=200, sync_to_thread=True)
    def query(
        self, data: JSONBody[Any], request: Request[Any, Any, Any], services: ServicesDep
    ) -> Response[PublicCaseView]:
        """办件进度: ``{"case_number": "DEMO01-20261123-0007", "phone_last4": "1234"}``."""
        client = request.client.host if request.client else ""
        view = services.case_query.query(data, client)
        return Response(view, headers={"Cache-Control": "no-store"})

    @get("/cases", opt=PUBLIC, sync_to_thread=False)
    def form_page(self) -> Response[bytes]:
        return _page()

    @get("/cases/{case_number:str}", opt=PUBLIC, sync_to_thread=False)
    def case_page(self, case_number: FromPath[str]) -> Response[bytes]:
        """The QR target: the page script reads the number from the path."""
        return _page()
