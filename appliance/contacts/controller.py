"""First-contact API (首问登记, R-C1): record a contact, close a pending one, link the case it
became, list and read; the station head exports any period (CSV, XLSX)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter

from appliance.contacts.schemas import CaseLinkIn, ContactCloseIn, ContactIn, ContactView
from appliance.contacts.service.contacts import ContactService
from appliance.core.roles import ALL_ROLES, MANAGER_ROLES, Principal
from appliance.documents.exports import CSV_MEDIA, XLSX_MEDIA, ExportFile

STAFF = {"roles": ALL_ROLES}
EXPORT = {"roles": MANAGER_ROLES}

Contacts = NamedDependency[ContactService]
Me = NamedDependency[Principal]
Start = Annotated[date | None, Parameter(description="起始日期（含）")]
End = Annotated[date | None, Parameter(description="结束日期（含），默认今天")]
Flag = Annotated[int, Parameter(ge=0, le=1)]


def download(file: ExportFile) -> Response[bytes]:
    return Response(file.content, media_type=file.media_type, headers=file.headers())


class ContactController(Controller):
    path = "/api/contacts"

    @post("/", opt=STAFF, sync_to_thread=True)
    def record(self, data: JSONBody[ContactIn], contacts: Contacts, principal: Me) -> ContactView:
        """首问登记: the caller is the first responder; the outcome now or later (pending)."""
        return contacts.record(data, principal)

    @get("/", opt=STAFF, sync_to_thread=True)
    def ledger(
        self, contacts: Contacts, start: Start = None, end: End = None, pending: Flag = 0
    ) -> list[ContactView]:
        """The period's contacts, newest first (default today); ``pending=1``: every 待处理."""
        return contacts.list(start, end, bool(pending))

    @get("/export.csv", opt=EXPORT, media_type=CSV_MEDIA, sync_to_thread=True)
    def export_csv(
        self, contacts: Contacts, start: Start = None, end: End = None
    ) -> Response[bytes]:
        """导出首问登记台账 (CSV, UTF-8 with BOM); default the last 30 days."""
        return download(contacts.export(start, end, "csv"))

    @get("/export.xlsx", opt=EXPORT, media_type=XLSX_MEDIA, sync_to_thread=True)
    def export_xlsx(
        self, contacts: Contacts, start: Start = None, end: End = None
    ) -> Response[bytes]:
        """导出首问登记台账 (XLSX)."""
        return download(contacts.export(start, end, "xlsx"))

    @get("/{contact_id:str}", opt=STAFF, sync_to_thread=True)
    def detail(self, contact_id: FromPath[str], contacts: Contacts) -> ContactView:
        return contacts.get(contact_id)

    @post("/{contact_id:str}/close", opt=STAFF, sync_to_thread=True)
    def close(
        self,
        contact_id: FromPath[str],
        data: JSONBody[ContactCloseIn],
        contacts: Contacts,
        principal: Me,
    ) -> ContactView:
        """登记处理结果 of a pending contact."""
        return contacts.close(contact_id, data, principal)

    @post("/{contact_id:str}/case", opt=STAFF, sync_to_thread=True)
    def link_case(
        self,
        contact_id: FromPath[str],
        data: JSONBody[CaseLinkIn],
        contacts: Contacts,
        principal: Me,
    ) -> ContactView:
        """转收件: link the case opened from this contact (办件编号)."""
        return contacts.link_case(contact_id, data, principal)
