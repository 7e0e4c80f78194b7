"""容缺受理承诺书 and 告知承诺书 (XC 容缺受理制度, 告知承诺制度; HN-3 6.5.3 c; R-K2).

容缺受理: the main materials are complete, secondary ones are missing or defective; the
applicant commits in writing to supply them by a deadline, after which the case is not
approved and the applicant is flagged.

告知承诺: the station tells the applicant, in writing, XC's points a–d; the applicant commits
to meeting the conditions and bears the legal responsibility for a false commitment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from appliance.documents.notices.common import (
    CaseInfo,
    Deadline,
    Material,
    applicant_rows,
    application,
    case_notice,
    material_list,
    numbered,
    special_rows,
)
from appliance.documents.pdf import Notice, chinese_date

SIGN_LINE = "＿＿＿＿＿＿＿＿＿＿"
SIGN_DATE = "＿＿＿＿年＿＿月＿＿日"


@dataclass(frozen=True)
class TolerantCommitmentData:
    """容缺受理承诺书: the main materials received and the missing (容缺) ones with a deadline."""

    case: CaseInfo
    main_materials: Sequence[Material]
    missing: Sequence[Material]
    deadline: Deadline
    time_limit: str = ""  # e.g. 15个工作日，2027年1月11日前办结

    def __post_init__(self) -> None:
        if not self.missing:
            raise ValueError("容缺受理承诺书至少列出一项容缺材料")


def _signature_rows(label: str) -> list[tuple[str, str]]:
    return [(f"{label}签名", f"{SIGN_LINE}　　日期：{SIGN_DATE}")]


def build_tolerant_commitment(data: TolerantCommitmentData) -> Notice:
    """容缺受理承诺书, signed by the applicant and sealed by the station."""
    case = data.case
    who = "本单位" if case.applicant.kind == "organisation" else "本人"
    body = [
        f"{who}于{chinese_date(case.received)}提交{application(case.item_name)}，主要申请材料齐全且"
        "符合法定形式，下表所列次要材料欠缺或存在瑕疵，经申请，本站同意容缺受理。",
        f"{who}郑重承诺：所提交的申请材料真实、合法、有效，并于{data.deadline.text()}补齐补正下表所列"
        f"容缺材料；逾期未补齐补正或者补正后仍不符合要求的，不再适用容缺办理，本事项将作出不予批准"
        f"的决定，违诺情况记入信用记录，由{who}承担相应后果。",
    ]
    rows = [
        *applicant_rows(case),
        ("已收主要材料", material_list(data.main_materials)),
        ("容缺材料", material_list(data.missing)),
        ("补齐期限", data.deadline.text()),
    ]
    if data.time_limit:
        rows.append(("承诺时限", data.time_limit))
    rows += [*special_rows(case), *_signature_rows("承诺人")]
    return case_notice("容缺受理承诺书", case, body, rows, addressee=case.station_name)


CONSEQUENCES = (
    "申请人未履行承诺或者作出虚假承诺的，审批部门将依法撤销已作出的决定，追回已发放的资金或"
    "待遇，并将失信情况记入申请人信用记录；涉嫌违法犯罪的，依法移送有关机关处理。"
)
SERVICES = "本站提供政策咨询、帮办代办、材料收件、进度查询和结果送达服务，不收取任何费用。"
SUPERVISION = (
    "受理后依法开展事后核查，包括部门信息共享核验、入户调查和随机抽查，核查情况记入办件档案。"
)
RESPONSIBILITIES = "本站对告知内容的准确性、完整性负责，因告知错误或遗漏造成的后果由本站承担。"
BREACH_PROCEDURE = (
    "经核查发现承诺内容与实际情况不符的，审批部门书面告知申请人并听取其陈述、申辩，"
    "依据核查结果认定是否构成未履行承诺或虚假承诺。"
)
RECTIFICATION = "申请人应自收到整改通知之日起10个工作日内整改，整改期间暂停办理。"
CREDIT_GRADING = (
    "违诺失信行为分为一般失信和严重失信：逾期未整改但无主观故意的为一般失信；"
    "故意隐瞒真实情况、伪造材料的为严重失信。"
)
REMEDY_CHANNELS = (
    "申请人对认定有异议的，可以向本站或审批部门提出解释、说明和申诉；失信行为纠正后，"
    "可以按规定通过县政务服务中心或“信用中国”网站申请信用修复。"
)
APPLICANT_PROMISE = (
    "申请人承诺：本人已知悉上述告知内容，已符合告知的条件、标准和要求，所提交的材料及承诺内容"
    "真实有效，愿意承担不实承诺的法律责任。"
)


@dataclass(frozen=True)
class InformCommitmentData:
    """告知承诺书, with XC's points:

    a) ``legal_basis`` — the laws, regulations and rules and their articles;
    b) ``conditions``, ``time_limit``, ``materials`` (and ``replaced_proofs``: the proofs the
       commitment replaces) and ``consequences`` of breaking or faking the commitment;
    c) ``services``, ``consultation``, ``supervision`` and ``responsibilities``;
    d) ``breach_procedure``, ``rectification``, ``credit_grading`` and ``remedy_channels``.
    """

    case: CaseInfo
    legal_basis: Sequence[str]
    conditions: Sequence[str]
    time_limit: str
    materials: Sequence[Material]
    replaced_proofs: Sequence[str] = field(default_factory=tuple)
    consequences: str = CONSEQUENCES
    services: str = SERVICES
    consultation: str = ""  # defaults to the receiver's window and the station phone
    supervision: str = SUPERVISION
    responsibilities: str = RESPONSIBILITIES
    breach_procedure: str = BREACH_PROCEDURE
    rectification: str = RECTIFICATION
    credit_grading: str = CREDIT_GRADING
    remedy_channels: str = REMEDY_CHANNELS
    promise: str = APPLICANT_PROMISE

    def __post_init__(self) -> None:
        if not self.legal_basis or not self.conditions:
            raise ValueError("告知承诺书必须写明事项依据和办理条件")


def _consultation(data: InformCommitmentData) -> str:
    if data.consultation:
        return data.consultation
    case = data.case
    where = f"{case.station_name}{case.receiver.window}"
    return f"{where}，电话{case.station_phone}" if case.station_phone else where


def _promise(data: InformCommitmentData) -> str:
    if data.case.applicant.kind == "organisation" and data.promise == APPLICANT_PROMISE:
        return APPLICANT_PROMISE.replace("本人", "本单位")
    return data.promise


def build_inform_commitment(data: InformCommitmentData) -> Notice:
    """告知承诺书 covering XC's points a–d and the applicant's commitment."""
    case = data.case
    basis = "、".join(data.legal_basis)
    proofs = ""
    if data.replaced_proofs:
        proofs = f"以下证明材料以本承诺代替，无需提交：{'、'.join(data.replaced_proofs)}。"
    body = [
        f"{case.applicant.you}办理的{case.item_name}事项实行告知承诺制。现将有关事项一次性书面告知"
        "如下，请仔细阅读；告知承诺以自愿为原则，不选择告知承诺的，按一般程序办理。",
        f"一、事项依据。{basis}。",
        "二、办理条件、标准、时限和材料。条件和标准：\n"
        + numbered(data.conditions)
        + f"\n办理时限：{data.time_limit}。所需材料：\n"
        + numbered(m.describe() for m in data.materials)
        + (f"\n{proofs}" if proofs else ""),
        f"三、未履行承诺、虚假承诺的法律后果。{data.consequences}",
        f"四、服务与监管。服务内容：{data.services}咨询方式：{_consultation(data)}。"
        f"监管方式：{data.supervision}本站责任：{data.responsibilities}",
        f"五、失信认定与救济。认定程序和标准：{data.breach_procedure}整改期限：{data.rectification}"
        f"失信等级：{data.credit_grading}解释、说明、申诉和信用修复渠道：{data.remedy_channels}",
        _promise(data),
    ]
    rows = [
        *applicant_rows(case),
        ("办理时限", data.time_limit),
        *special_rows(case),
        *_signature_rows("承诺人"),
    ]
    return case_notice("告知承诺书", case, body, rows)
