"""Reading 帮办代办 (R-D1, R-D2): one delegation, the ledger list, the seven grounds, a kept
paper, the export. Mixed into ``DelegationService``, which provides ``db``, ``tz`` and
``today``."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import col, select

from appliance.core.errors import Invalid, NotFound
from appliance.db.database import Database
from appliance.delegation.rules import SUSPEND_REASON_LABELS, Status
from appliance.delegation.schemas import DelegationView, ReasonView
from appliance.delegation.service.export import export_delegations
from appliance.delegation.service.store import find, view
from appliance.delegation.tables import Delegation, DelegationDocument, DelegationVisit
from appliance.documents.exports import ExportFile

LIST_STATUSES = ("open", "overdue", "all", "completed")
MAX_LIST = 500


class DelegationReads:
    db: Database
    tz: ZoneInfo

    def today(self) -> date:
        raise NotImplementedError  # DelegationService.today

    # ---- read ----------------------------------------------------------------------------
    @staticmethod
    def reasons() -> list[ReasonView]:
        """The seven grounds for 中止 (JC 附件5 四(三)), in the standard's order."""
        return [ReasonView(code=r.value, label=label) for r, label in SUSPEND_REASON_LABELS.items()]

    def get(self, ref: str) -> DelegationView:
        with self.db.read() as s:
            return view(s, find(s, ref), self.today())

    def export(self, start: date | None, end: date | None, fmt: str) -> ExportFile:
        """台账导出 (R-M3): every 帮办 and 代办 logged in the period."""
        return export_delegations(self.db, self.tz, start, end, self.today(), fmt)

    def document(self, ref: str, document_id: str) -> tuple[bytes, str]:
        """The kept PDF of one paper and its file name."""
        with self.db.read() as s:
            row = find(s, ref)
            doc = s.get(DelegationDocument, document_id)
            if doc is None or doc.delegation_id != row.id:
                raise NotFound(f"{row.number} 没有这份文书", "unknown_document")
            return doc.pdf, f"{doc.number}-{doc.kind}.pdf"

    def list(self, status: str = "open") -> list[DelegationView]:
        """``open`` (in hand or suspended; past the period first), ``overdue``, ``completed``
        or ``all`` (newest first), without the ledger lines."""
        if status not in LIST_STATUSES:
            raise Invalid(
                f"未知的状态“{status}”，可选 open（在办）、overdue（超期）、completed（已办结）、all（全部）",
                "bad_status",
            )
        today = self.today()
        stmt = select(Delegation)
        if status in ("open", "overdue"):
            stmt = stmt.where(col(Delegation.status).in_(["active", "suspended"]))
        elif status == "completed":
            stmt = stmt.where(Delegation.status == Status.COMPLETED)
        with self.db.read() as s:
            rows = s.exec(stmt.order_by(col(Delegation.created_at).desc()).limit(MAX_LIST)).all()
            due = dict(
                s.exec(
                    select(DelegationVisit.delegation_id, func.min(DelegationVisit.scheduled_for))
                    .where(
                        DelegationVisit.status == "scheduled",
                        col(DelegationVisit.delegation_id).in_([r.id for r in rows]),
                    )
                    .group_by(DelegationVisit.delegation_id)
                ).all()
            )
            views = [view(s, r, today, full=False, next_visit=due.get(r.id)) for r in rows]
        if status == "overdue":
            views = [v for v in views if v.overdue]
        if status in ("open", "overdue"):
            views.sort(key=lambda v: (not v.overdue, v.status != "active", v.number))
        return views
