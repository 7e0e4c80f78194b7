"""The staff terminal's calls for the front-desk ledgers, mixed into ``StationApi``: first
contact (首问负责, R-C1), consultations (咨询, R-C2) and the knowledge base (知识库, R-C3)."""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import quote, urlencode

from appliance.consultations.schemas import ConsultationIn, ConsultationView, PromoteIn, ReplyIn
from appliance.contacts.schemas import CaseLinkIn, ContactCloseIn, ContactIn, ContactView
from appliance.knowledge.schemas import KnowledgeIn, KnowledgeView

T = TypeVar("T")


class LedgerCalls:
    """首问登记, 咨询 and 知识库; ``_typed`` is ``StationApi``'s."""

    async def _typed(self, method: str, path: str, answer: type[T], body: Any = None) -> T:
        raise NotImplementedError

    async def record_contact(self, body: ContactIn) -> ContactView:
        return await self._typed("POST", "/api/contacts", ContactView, body)

    async def close_contact(self, contact_id: str, body: ContactCloseIn) -> ContactView:
        path = f"/api/contacts/{quote(contact_id)}/close"
        return await self._typed("POST", path, ContactView, body)

    async def link_contact_case(self, contact_id: str, case_number: str) -> ContactView:
        path, body = f"/api/contacts/{quote(contact_id)}/case", CaseLinkIn(case_number=case_number)
        return await self._typed("POST", path, ContactView, body)

    async def contacts(self, pending: bool = False) -> list[ContactView]:
        """Today's contacts, or every pending (待处理) one."""
        return await self._typed("GET", f"/api/contacts?pending={int(pending)}", list[ContactView])

    async def contact(self, contact_id: str) -> ContactView:
        return await self._typed("GET", f"/api/contacts/{quote(contact_id)}", ContactView)

    async def record_consultation(self, body: ConsultationIn) -> ConsultationView:
        return await self._typed("POST", "/api/consultations", ConsultationView, body)

    async def consultations(self, status: str = "open") -> list[ConsultationView]:
        """Open entries (overdue first), or ``all`` of the last 30 days."""
        path = f"/api/consultations?{urlencode({'status': status})}"
        return await self._typed("GET", path, list[ConsultationView])

    async def consultation(self, ref: str) -> ConsultationView:
        return await self._typed("GET", f"/api/consultations/{quote(ref)}", ConsultationView)

    async def reply_consultation(self, ref: str, body: ReplyIn) -> ConsultationView:
        path = f"/api/consultations/{quote(ref)}/close"
        return await self._typed("POST", path, ConsultationView, body)

    async def promote_consultation(self, ref: str, body: PromoteIn) -> KnowledgeView:
        path = f"/api/consultations/{quote(ref)}/promote"
        return await self._typed("POST", path, KnowledgeView, body)

    async def search_knowledge(
        self, query: str, limit: int = 20, retired: bool = False
    ) -> list[KnowledgeView]:
        path = f"/api/knowledge?{urlencode({'q': query, 'limit': limit, 'retired': int(retired)})}"
        return await self._typed("GET", path, list[KnowledgeView])

    async def knowledge_entry(self, entry_id: str) -> KnowledgeView:
        return await self._typed("GET", f"/api/knowledge/{quote(entry_id)}", KnowledgeView)

    async def save_knowledge(self, body: KnowledgeIn, entry_id: str = "") -> KnowledgeView:
        """A new entry, or (``entry_id``) the new text of a station entry."""
        method, path = ("PUT", f"/api/knowledge/{quote(entry_id)}") if entry_id else ("POST", "")
        return await self._typed(method, path or "/api/knowledge", KnowledgeView, body)

    async def retire_knowledge(self, entry_id: str) -> KnowledgeView:
        path = f"/api/knowledge/{quote(entry_id)}/retire"
        return await self._typed("POST", path, KnowledgeView)
