"""Content builders for every printed notice (通知书内容, R-K2–R-K6, R-C4).

Each builder is pure: ``build_<kind>(data) -> Notice``; :func:`appliance.documents.pdf.render_notice_pdf`
turns the notice into the A4 PDF and :func:`appliance.documents.pdf.notice_receipt` into the condensed
thermal receipt. The service looks builders up in :data:`NOTICE_KINDS`::

    kind = NOTICE_KINDS["correction"]          # 补正通知书
    pdf = render_notice_pdf(kind.build(data))  # data must be a CorrectionData
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from appliance.documents.notices.acceptance import (
    AcceptanceData,
    ReceiptData,
    build_acceptance,
    build_receipt,
)
from appliance.documents.notices.commitment import (
    InformCommitmentData,
    TolerantCommitmentData,
    build_inform_commitment,
    build_tolerant_commitment,
)
from appliance.documents.notices.common import (
    PROVISIONAL_MARK,
    Applicant,
    CaseInfo,
    Deadline,
    Material,
    Receiver,
    SpecialProcedure,
)
from appliance.documents.notices.correction import CorrectionData, build_correction
from appliance.documents.notices.extension import ExtensionData, build_extension
from appliance.documents.notices.guide import GuideData, RelatedItem, build_guide
from appliance.documents.notices.handover import HandoverData, build_handover
from appliance.documents.notices.pickup import PickupData, build_pickup
from appliance.documents.notices.refusal import RefusalData, build_refusal
from appliance.documents.pdf import Notice

D = TypeVar("D")


@dataclass(frozen=True)
class NoticeKind(Generic[D]):
    """One notice family: its key, Chinese title, data type and builder."""

    kind: str
    title: str
    data_type: type[D]
    builder: Callable[[D], Notice]

    def build(self, data: object) -> Notice:
        """Build the notice, refusing data of the wrong type with a clear message."""
        if not isinstance(data, self.data_type):
            raise TypeError(
                f"{self.title}需要 {self.data_type.__name__}，收到 {type(data).__name__}"
            )
        return self.builder(data)


NOTICE_KINDS: dict[str, NoticeKind[Any]] = {
    k.kind: k
    for k in (
        NoticeKind("acceptance", "受理通知书", AcceptanceData, build_acceptance),
        NoticeKind("receipt", "收件凭证", ReceiptData, build_receipt),
        NoticeKind("correction", "补正通知书", CorrectionData, build_correction),
        NoticeKind("refusal", "不予受理通知书", RefusalData, build_refusal),
        NoticeKind(
            "tolerant_commitment",
            "容缺受理承诺书",
            TolerantCommitmentData,
            build_tolerant_commitment,
        ),
        NoticeKind(
            "inform_commitment", "告知承诺书", InformCommitmentData, build_inform_commitment
        ),
        NoticeKind("handover", "交接单", HandoverData, build_handover),
        NoticeKind("extension", "延期告知书", ExtensionData, build_extension),
        NoticeKind("pickup", "取件通知", PickupData, build_pickup),
        NoticeKind("guide", "一次性告知单", GuideData, build_guide),
    )
}

# Other names the standards use for the same documents (XC 附录 G: 一次性告知书).
TITLE_ALIASES = {"一次性告知书": "correction", "补齐补正通知书": "correction"}


def kind_for_title(title: str) -> NoticeKind[Any]:
    """The notice kind for a Chinese title (受理通知书 → acceptance …); KeyError if unknown."""
    for kind in NOTICE_KINDS.values():
        if kind.title == title:
            return kind
    return NOTICE_KINDS[TITLE_ALIASES[title]]


def build_notice(kind: str, data: object) -> Notice:
    """Look the builder up by kind and build; KeyError for an unknown kind."""
    return NOTICE_KINDS[kind].build(data)


__all__ = [
    "NOTICE_KINDS",
    "PROVISIONAL_MARK",
    "AcceptanceData",
    "Applicant",
    "CaseInfo",
    "CorrectionData",
    "Deadline",
    "ExtensionData",
    "GuideData",
    "HandoverData",
    "InformCommitmentData",
    "Material",
    "NoticeKind",
    "PickupData",
    "ReceiptData",
    "Receiver",
    "RefusalData",
    "RelatedItem",
    "SpecialProcedure",
    "TolerantCommitmentData",
    "build_acceptance",
    "build_correction",
    "build_extension",
    "build_guide",
    "build_handover",
    "build_inform_commitment",
    "build_notice",
    "build_pickup",
    "build_receipt",
    "build_refusal",
    "build_tolerant_commitment",
    "kind_for_title",
]
