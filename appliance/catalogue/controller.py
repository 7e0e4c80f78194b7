"""Catalogue API (事项目录, R-S3, R-C4): staff search; the public reads an item's guide and
its 一次性告知单 (PDF); staff print the 告知单 for a visitor."""

from __future__ import annotations

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery

from appliance.catalogue.schemas import GuidePrint, ItemDetail, ItemSummary
from appliance.catalogue.service.catalogue import CatalogueService
from appliance.catalogue.service.guide import GuideService
from appliance.core.roles import ALL_ROLES, Principal

PUBLIC = {"public": True}
STAFF = {"roles": ALL_ROLES}
PDF = "application/pdf"


Catalogue = NamedDependency[CatalogueService]
Guides = NamedDependency[GuideService]


class CatalogueController(Controller):
    path = "/api/catalogue"

    @get("/items", opt=STAFF, sync_to_thread=True)
    def search(
        self, catalogue: Catalogue, q: FromQuery[str] = "", limit: FromQuery[int] = 20
    ) -> list[ItemSummary]:
        """事项检索: name, keyword or pinyin initials (``ylbx`` → 养老保险), best first."""
        return catalogue.search(q, limit)

    @get("/items/{code:str}", opt=PUBLIC, sync_to_thread=True)
    def item(self, code: FromPath[str], catalogue: Catalogue) -> ItemDetail:
        """办事指南 of one item, with its materials and related items (自助查询)."""
        return catalogue.item(code)

    @get("/items/{code:str}/guide.pdf", opt=PUBLIC, media_type=PDF, sync_to_thread=True)
    def guide_pdf(self, code: FromPath[str], guides: Guides) -> Response[bytes]:
        """一次性告知单 (R-C4) as an A4 PDF: materials, time limits, fees, related items."""
        data, filename = guides.pdf(code)
        return Response(
            data,
            media_type=PDF,
            headers={"Content-Disposition": f'inline; filename="{filename}"'},
        )

    @post("/items/{code:str}/guide/print", opt=STAFF, sync_to_thread=True)
    def print_guide(
        self, code: FromPath[str], guides: Guides, principal: NamedDependency[Principal]
    ) -> GuidePrint:
        """Print the 一次性告知单 of an item for the visitor at the desk (one copy)."""
        return guides.print(code, principal.code)
