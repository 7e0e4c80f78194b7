"""Catalogue API (事项目录, R-S3): staff search; the public reads an item's guide."""

from __future__ import annotations

from litestar import Controller, get
from litestar.params import FromPath, FromQuery

from appliance.domain.roles import ALL_ROLES
from appliance.http.deps import ServicesDep
from appliance.services.catalogue_service import CatalogueService, ItemDetail, ItemSummary

PUBLIC = {"public": True}
STAFF = {"roles": ALL_ROLES}


def _catalogue(services: ServicesDep) -> CatalogueService:
    return CatalogueService(services.db, services.clock)


class CatalogueController(Controller):
    path = "/api/catalogue"

    @get("/items", opt=STAFF, sync_to_thread=True)
    def search(
        self, services: ServicesDep, q: FromQuery[str] = "", limit: FromQuery[int] = 20
    ) -> list[ItemSummary]:
        """事项检索: name, keyword or pinyin initials (``ylbx`` → 养老保险), best first."""
        return _catalogue(services).search(q, limit)

    @get("/items/{code:str}", opt=PUBLIC, sync_to_thread=True)
    def item(self, code: FromPath[str], services: ServicesDep) -> ItemDetail:
        """办事指南 of one item, with its materials and related items (自助查询)."""
        return _catalogue(services).item(code)
