"""Knowledge base API (知识库, R-C3): staff search and keep entries; the public reads the
most-asked ones (常见问题); the station head exports them (CSV, XLSX)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, Response, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter

from appliance.core.roles import ALL_ROLES, MANAGER_ROLES, Principal
from appliance.documents.exports import CSV_MEDIA, XLSX_MEDIA, ExportFile
from appliance.knowledge.schemas import KnowledgeIn, KnowledgeView, PublicKnowledge
from appliance.knowledge.service.entries import KnowledgeService

STAFF = {"roles": ALL_ROLES}
EXPORT = {"roles": MANAGER_ROLES}
PUBLIC = {"public": True}

Knowledge = NamedDependency[KnowledgeService]
Me = NamedDependency[Principal]
Query = Annotated[str, Parameter(max_length=50, description="检索词：问题、关键词或拼音首字母")]
Limit = Annotated[int, Parameter(ge=1, le=100)]
Flag = Annotated[int, Parameter(ge=0, le=1)]
Start = Annotated[date | None, Parameter(description="起始日期（含），默认结束日期前 30 天")]
End = Annotated[date | None, Parameter(description="结束日期（含），默认今天")]


def download(file: ExportFile) -> Response[bytes]:
    return Response(file.content, media_type=file.media_type, headers=file.headers())


class KnowledgeController(Controller):
    path = "/api/knowledge"

    @get("/", opt=STAFF, sync_to_thread=True)
    def search(
        self, knowledge: Knowledge, q: Query = "", limit: Limit = 20, retired: Flag = 0
    ) -> list[KnowledgeView]:
        """知识检索: question, keyword, answer or pinyin initials (``dbsq`` → 低保申请)."""
        return knowledge.search(q, limit, bool(retired))

    @post("/", opt=STAFF, sync_to_thread=True)
    def create(
        self, data: JSONBody[KnowledgeIn], knowledge: Knowledge, principal: Me
    ) -> KnowledgeView:
        """新增知识条目 (本站整理)."""
        return knowledge.create(data, principal)

    @get("/export.csv", opt=EXPORT, media_type=CSV_MEDIA, sync_to_thread=True)
    def export_csv(
        self, knowledge: Knowledge, start: Start = None, end: End = None
    ) -> Response[bytes]:
        """导出知识库 (CSV, UTF-8 with BOM): entries created or changed in the period."""
        return download(knowledge.export(start, end, "csv"))

    @get("/export.xlsx", opt=EXPORT, media_type=XLSX_MEDIA, sync_to_thread=True)
    def export_xlsx(
        self, knowledge: Knowledge, start: Start = None, end: End = None
    ) -> Response[bytes]:
        """导出知识库 (XLSX)."""
        return download(knowledge.export(start, end, "xlsx"))

    @get("/{entry_id:str}", opt=STAFF, sync_to_thread=True)
    def detail(self, entry_id: FromPath[str], knowledge: Knowledge) -> KnowledgeView:
        return knowledge.get(entry_id)

    @put("/{entry_id:str}", opt=STAFF, sync_to_thread=True)
    def update(
        self,
        entry_id: FromPath[str],
        data: JSONBody[KnowledgeIn],
        knowledge: Knowledge,
        principal: Me,
    ) -> KnowledgeView:
        """修改本站整理的条目 (县级下发的只能由县级中心修改)."""
        return knowledge.update(entry_id, data, principal)

    @post("/{entry_id:str}/retire", opt=STAFF, sync_to_thread=True)
    def retire(self, entry_id: FromPath[str], knowledge: Knowledge, principal: Me) -> KnowledgeView:
        """停用: the entry leaves search and the public page."""
        return knowledge.retire(entry_id, principal)


class PublicKnowledgeController(Controller):
    """常见问题 for visitors (GD 6.4.3): read by the public page ``/faq``."""

    path = "/api/public/knowledge"

    @get("/", opt=PUBLIC, sync_to_thread=True)
    def common_questions(self, knowledge: Knowledge) -> list[PublicKnowledge]:
        """The most-asked public entries, most asked first."""
        return knowledge.public_list()
