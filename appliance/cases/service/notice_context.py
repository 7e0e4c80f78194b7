"""What every notice of a case needs (办件通知书, R-K2–R-K6), and the shared mapping helpers.

``NoticeContext`` carries the station, the receiver (受理人), today, the calendar and the
catalogue's material forms; ``receiver_for`` / ``item_forms`` / ``catalogue_forms`` read
them. The helpers map the domain case onto the parts of ``appliance.documents.notices``
data: ``case_info`` (item, applicant with the ID masked on print, receiver, station, QR
link), ``material`` (原件/复印件 and count), ``deadline`` / ``due`` (暂定 when the year's
holidays are not published), ``time_limit``. The per-kind builders are in ``notices``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlmodel import Session, col, select

from appliance.cases.rules.case import CaseFile
from appliance.cases.rules.deadlines import case_deadline
from appliance.cases.rules.materials import (
    SPECIAL_PROCEDURE_LABELS,
    ItemKind,
    MaterialMark,
    MaterialRule,
    correction_list,
)
from appliance.cases.rules.records import ApplicantKind
from appliance.cases.rules.working_days import WorkingDays, provisional
from appliance.catalogue.rules import MATERIAL_FORMS
from appliance.catalogue.schemas import ItemDetail
from appliance.catalogue.tables import CatalogueMaterial
from appliance.documents import pdf as notice_pdf
from appliance.documents.notices import (
    Applicant,
    CaseInfo,
    Deadline,
    Material,
    Receiver,
    SpecialProcedure,
)
from appliance.documents.rating_link import rating_url
from appliance.queue.tables import ServiceWindow
from appliance.settings import Settings
from appliance.staff.tables import Staff


@dataclass(frozen=True)
class NoticeContext:
    """What a notice needs besides the case: the station, the receiver (受理人), the
    catalogue's material forms (code → name, 原件/复印件, count), the calendar and today."""

    settings: Settings
    receiver: Receiver
    today: date
    calendar: WorkingDays
    forms: Mapping[str, tuple[str, str, int]]


@dataclass(frozen=True)
class IssuedNotice:
    """One notice to render and keep: its kind (file name), title and content."""

    kind: str
    title: str
    notice: notice_pdf.Notice


def receiver_for(
    s: Session, code: str = "", staff_id: str = "", fallback_staff_id: str = ""
) -> Receiver:
    """受理人: the staff member (by code or id) with their window (``1号窗口``).

    A decision taken by the system (视为受理, 容缺逾期) names the staff member who opened
    the case (``fallback_staff_id``).
    """
    staff = None
    if staff_id:
        staff = s.get(Staff, staff_id)
    elif code:
        staff = s.exec(select(Staff).where(Staff.code == code)).first()
    if staff is None and fallback_staff_id:
        staff = s.get(Staff, fallback_staff_id)
    if staff is None:
        return Receiver(code or "本站")
    window = s.get(ServiceWindow, staff.window_id) if staff.window_id else None
    if window is None:
        window = s.exec(select(ServiceWindow).where(ServiceWindow.staff_id == staff.id)).first()
    return Receiver(staff.name, f"{window.number}号窗口" if window else "")


def catalogue_forms(detail: ItemDetail | None) -> dict[str, tuple[str, str, int]]:
    """Material code (``M1`` …, catalogue order as in ``item_view``) → (name, form, count)."""
    if detail is None:
        return {}
    return {f"M{i}": (m.name, m.form_label, m.count) for i, m in enumerate(detail.materials, 1)}


def item_forms(s: Session, item_code: str) -> dict[str, tuple[str, str, int]]:
    """The same, read straight from the catalogue's material rows (one query)."""
    rows = s.exec(
        select(CatalogueMaterial)
        .where(CatalogueMaterial.item_code == item_code)
        .order_by(col(CatalogueMaterial.seq))
    ).all()
    return {
        f"M{i}": (m.name, MATERIAL_FORMS.get(m.form, m.form), m.count)
        for i, m in enumerate(rows, 1)
    }


# ---- mapping helpers shared by the builders -----------------------------------------------
def applicant_data(case: CaseFile) -> Applicant:
    """申请人 (and 代理人) as a notice prints them."""
    a = case.applicant
    agent = a.agent
    return Applicant(
        a.name,
        a.id_number,
        phone=a.phone,
        kind="organisation" if a.kind is ApplicantKind.ORGANISATION else "person",
        agent_name=agent.name if agent else "",
        agent_id_number=agent.id_number if agent else "",
    )


def case_info(ctx: NoticeContext, case: CaseFile, received_on: date | None = None) -> CaseInfo:
    """The elements every notice carries: case number, station, item, applicant, receiver …"""
    st = ctx.settings
    return CaseInfo(
        case_number=case.number,
        station_name=st.station_name,
        station_code=st.station_code,
        issued_on=ctx.today,
        item_name=case.item.name,
        applicant=applicant_data(case),
        receiver=ctx.receiver,
        public_url=st.visitor_url,
        received_on=received_on or case.received_on,
        station_phone=st.station_phone,
        special_procedures=[
            SpecialProcedure(SPECIAL_PROCEDURE_LABELS[p])
            for p in sorted(case.item.special_procedures)
        ],
    )


def material_of(ctx: NoticeContext, rule: MaterialRule, note: str = "") -> Material:
    """One material with the catalogue's 原件/复印件 and count (the case's own rule when the
    catalogue changed since)."""
    name, form, count = ctx.forms.get(rule.code, ("", "", 0))
    if name != rule.name:  # the catalogue changed since: fall back to the case's own rules
        form, count = ("原件" if rule.original else "复印件"), rule.count
    return Material(
        rule.name, form, count, note=note, required=rule.required, tolerable=rule.may_be_missing
    )


def materials_of(ctx: NoticeContext, marks: Sequence[MaterialMark]) -> list[Material]:
    """The materials of these checklist lines, with their notes."""
    return [material_of(ctx, m.rule, m.note) for m in marks]


def received_materials(ctx: NoticeContext, case: CaseFile) -> list[Material]:
    """The materials received (已收) so far."""
    return materials_of(ctx, [m for m in case.materials if m.ok])


def deadline_of(ctx: NoticeContext, day: date) -> Deadline:
    """A day as a printed deadline, 暂定 when its year's holidays are not published."""
    return Deadline(day, provisional(ctx.calendar, day))


def case_due(ctx: NoticeContext, case: CaseFile) -> Deadline | None:
    """The 办结期限 of the case, None while its clock does not run."""
    due = case_deadline(case, ctx.calendar)
    if due is None or due.due is None:
        return None
    return Deadline(due.due, due.provisional)


def limit_days(case: CaseFile) -> int:
    """The promised working days with every extension."""
    return case.item.promised_days + sum(e.days for e in case.extensions)


def time_limit_text(case: CaseFile, due: Deadline | None) -> str:
    """办理时限 in words (即办件 / N 个工作日 and the date / from acceptance)."""
    if due is None:
        return "自受理之日起计算（特别程序期间暂停计时）"
    if case.item.kind is ItemKind.IMMEDIATE and not case.extensions:
        return "即办件，当日办结"
    return f"{limit_days(case)}个工作日，{due.text()}办结"


def owed_materials(ctx: NoticeContext, case: CaseFile) -> list[Material]:
    """Every missing or defective material (the 补正 / 容缺 list), with what is wrong."""
    lines = correction_list(case.materials)
    return [material_of(ctx, case.item.material(line.code), line.note) for line in lines]


def forward_body(case: CaseFile) -> str:
    """Who decides: the other place of an 异地办件, else the item's deciding body."""
    if case.other_place is not None:
        return case.other_place.place
    return case.item.deciding_body or "决定机关"


def query_link(settings: Settings, case_number: str, token: str) -> str | None:
    """The progress page of a case with its 查询码 (R-K7), or None without a public URL.

    The token rides in the fragment (``#t=…``), which a browser never sends to the server,
    so it cannot reach an access log or a Referer header; the page posts it in the body.
    """
    base = settings.visitor_url
    if not base:
        return None
    return f"{base.rstrip('/')}/cases/{case_number}#t={token}"


def with_query_link(
    issued: Sequence[IssuedNotice], settings: Settings, case_number: str, token: str
) -> list[IssuedNotice]:
    """The notices with their QR code pointing at the tokened progress link, and beside it
    the case's one-time rating link (一事一评, R-E2; the page rates only once it is over)."""
    link = query_link(settings, case_number, token)
    rate = rating_url(settings, "case", case_number) if link and settings.rating_qr else None
    return [
        replace(n, notice=replace(n.notice, qr_url=link, rating_url=rate)) if n.notice.qr_url else n
        for n in issued
    ]
