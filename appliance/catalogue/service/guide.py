"""一次性告知单 of a catalogue item (R-C4; JC 附件3; XC 一次性告知制度): PDF and print.

Everything a visitor needs at once — name, legal basis, conditions, the complete material
list (原件/复印件, count), time limits, fees, window and phone — plus the related items
the catalogue lists (关联事项). Built with ``appliance.documents.notices.build_guide``; the QR code opens
the same sheet as a PDF on the visitor's phone.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import asdict
from zoneinfo import ZoneInfo

from appliance.catalogue.schemas import GuidePrint, ItemDetail
from appliance.catalogue.service.catalogue import CatalogueService
from appliance.core.clock import Clock
from appliance.db.database import Database
from appliance.documents.notices import (
    GuideData,
    Material,
    RelatedItem,
    SpecialProcedure,
    build_guide,
)
from appliance.documents.pdf import Notice, render_notice_pdf
from appliance.events.log import append_event
from appliance.jobs.service.print_jobs import add_print_job
from appliance.settings import Settings

_SPLIT = re.compile(r"[；;\n]+")
_CACHE_SIZE = 32  # rendered sheets kept (≈60 KB each)
_pdf_cache: OrderedDict[str, bytes] = OrderedDict()
_cache_lock = threading.Lock()


def _lines(text: str) -> list[str]:
    return [part.strip() for part in _SPLIT.split(text or "") if part.strip()] or ["无"]


def guide_data(item: ItemDetail, settings: Settings, clock: Clock) -> GuideData:
    """The catalogue item as the sheet's data."""
    fees = item.fees or "不收费"
    if item.fee_basis:
        fees += f"（收费依据：{item.fee_basis}）"
    base = settings.visitor_url
    return GuideData(
        station_name=settings.station_name,
        issued_on=clock.now().astimezone(ZoneInfo(settings.timezone)).date(),
        item_code=item.code,
        item_name=item.name,
        item_type=item.type,
        legal_basis=_lines(item.legal_basis),
        conditions=_lines(item.conditions),
        materials=[
            Material(
                m.name,
                m.form_label,
                m.count,
                note=m.notes,
                required=m.required,
                tolerable=m.tolerable,
            )
            for m in item.materials
        ],
        promised_days=item.promised_days,
        legal_days=item.legal_days or None,
        immediate=item.kind == "即办件",
        fees=fees,
        window=item.window or settings.station_name,
        phone=item.phone or settings.station_phone or "请到窗口咨询",
        deciding_office=item.department,
        special_procedures=[SpecialProcedure(p) for p in item.special_procedures],
        tolerant_allowed=item.allows_tolerant,
        commitment_allowed=item.allows_notify_commit,
        related=[
            RelatedItem(
                r.name, "即办件" if not r.promised_days else f"承诺{r.promised_days}个工作日"
            )
            for r in item.related
        ],
        catalogue_version=item.version,
        qr_url=f"{base}/api/catalogue/items/{item.code}/guide.pdf" if base else None,
    )


class GuideService:
    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock

    def notice(self, code: str) -> Notice:
        """The sheet of one item (404 with a Chinese message for an unknown code)."""
        item = CatalogueService(self.db, self.clock).item(code)
        return build_guide(guide_data(item, self.settings, self.clock))

    def pdf(self, code: str) -> tuple[bytes, str]:
        """The A4 PDF and a file name for the download.

        The route is public (the sheet's QR code), so a rendered sheet is kept for the same
        content: a burst of requests renders it once, not once per request.
        """
        notice = self.notice(code)
        key = repr(notice)
        with _cache_lock:
            pdf = _pdf_cache.get(key)
            if pdf is not None:
                _pdf_cache.move_to_end(key)
        if pdf is None:
            pdf = render_notice_pdf(notice)
            with _cache_lock:
                _pdf_cache[key] = pdf
                while len(_pdf_cache) > _CACHE_SIZE:
                    _pdf_cache.popitem(last=False)
        return pdf, f"guide-{notice.number}.pdf"

    def print(self, code: str, staff_code: str) -> GuidePrint:
        """Queue the sheet on the notice printer (one copy, for the visitor)."""
        notice = self.notice(code)  # built before the lock; the worker renders it
        now = self.clock.now()
        with self.db.write() as s:
            job = add_print_job(s, "notice", {"notice": asdict(notice)}, now, copies=1)
            append_event(
                s,
                "catalogue.guide_printed",
                "catalogue_item",
                code,
                {
                    "item_code": notice.number,
                    "print_job_id": job.id,
                    "by": staff_code,
                },
                now,
            )
        return GuidePrint(
            item_code=notice.number, item_name=self._name(notice), print_job_id=job.id
        )

    @staticmethod
    def _name(notice: Notice) -> str:
        return next((v for k, v in notice.rows if k == "事项名称"), notice.number)
