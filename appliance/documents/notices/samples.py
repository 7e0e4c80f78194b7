"""Realistic sample data for each notice kind (demo items, docs PNGs, tests).

The names, ID numbers and phones are made up; the items are real village-level items.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from appliance.documents.notices.acceptance import AcceptanceData, ReceiptData
from appliance.documents.notices.commitment import InformCommitmentData, TolerantCommitmentData
from appliance.documents.notices.common import (
    Applicant,
    CaseInfo,
    Deadline,
    Material,
    Receiver,
    SpecialProcedure,
)
from appliance.documents.notices.correction import CorrectionData
from appliance.documents.notices.extension import ExtensionData
from appliance.documents.notices.guide import GuideData, RelatedItem
from appliance.documents.notices.handover import HandoverData
from appliance.documents.notices.pickup import PickupData
from appliance.documents.notices.refusal import RefusalData

STATION = "示范县城关镇示范村便民服务站"
STATION_CODE = "410101001"
PUBLIC_URL = "http://192.168.10.2:8080"
PHONE = "0371-12345678"
RECEIVER = Receiver("李四", "1号窗口")
ZHANG = Applicant(
    "张桂兰",
    "410101194403150021",
    phone="13812345678",
    agent_name="王建国",
    agent_id_number="410101197005060033",
)
WANG = Applicant("王五", "41010119800101003X", phone="13912345678")
LIU = Applicant("刘秀英", "410101196203040048", phone="13712345678")

ID_CARD = Material("申请人居民身份证", "原件及复印件")
HUKOU = Material("户口簿", "原件及复印件")
BANK = Material("本人社会保障卡或银行卡（折）", "复印件")
PHOTO = Material("近期一寸免冠照片", "原件", 2)
AGED_FORM = Material("高龄津贴申请审批表", "原件")
DISABILITY_CARD = Material("第二代中华人民共和国残疾人证", "原件及复印件")
DISABILITY_FORM = Material("残疾人两项补贴申请审批表", "原件")
DIBAO_FORM = Material("最低生活保障申请书", "原件")
INCOME = Material("家庭经济状况声明及核对授权书", "原件")


def case(number: str, item: str, applicant: Applicant, day: date) -> CaseInfo:
    return CaseInfo(
        case_number=number,
        station_name=STATION,
        station_code=STATION_CODE,
        issued_on=day,
        item_name=item,
        applicant=applicant,
        receiver=RECEIVER,
        public_url=PUBLIC_URL,
        station_phone=PHONE,
    )


ACCEPTANCE = AcceptanceData(
    case=case("410101001-20261221-0007", "高龄津贴申请", ZHANG, date(2026, 12, 21)),
    materials_received=[ID_CARD, HUKOU, BANK, PHOTO, AGED_FORM],
    time_limit_days=15,
    deadline=Deadline(date(2027, 1, 11), provisional=True),
)

RECEIPT = ReceiptData(
    case=CaseInfo(
        case_number="410101001-20261123-0012",
        station_name=STATION,
        station_code=STATION_CODE,
        issued_on=date(2026, 11, 23),
        item_name="农村宅基地和建房（规划许可）申请",
        applicant=WANG,
        receiver=RECEIVER,
        public_url=PUBLIC_URL,
        station_phone=PHONE,
        special_procedures=[
            SpecialProcedure("现场勘验", "乡镇组织自然资源、农业农村等部门实地踏勘")
        ],
    ),
    materials_received=[
        Material("农村宅基地和建房（规划许可）申请表", "原件"),
        Material("宅基地使用承诺书", "原件"),
        HUKOU,
        Material("村民小组会议讨论意见及公示材料", "原件"),
        Material("农房设计图或通用图集", "复印件"),
    ],
    forward_to="城关镇人民政府农业综合服务中心",
    forward_by=Deadline(date(2026, 11, 25)),
    expected_result=Deadline(date(2026, 12, 22)),
)

CORRECTION = CorrectionData(
    case=case("410101001-20261123-0003", "残疾人两项补贴申请", WANG, date(2026, 11, 23)),
    materials_received=[ID_CARD, HUKOU, DISABILITY_FORM],
    missing=[
        DISABILITY_CARD,
        Material("最低生活保障证", "复印件", note="申请困难残疾人生活补贴时提供"),
    ],
    defective=[Material("银行卡（折）", "复印件", note="复印件模糊不清，卡号无法辨认")],
    deadline=Deadline(date(2026, 12, 7)),
)

REFUSAL = RefusalData(
    case=case("410101001-20261124-0005", "最低生活保障申请", LIU, date(2026, 11, 24)),
    reason="申请人户籍所在地为示范县东关镇，不属于本站受理范围",
    legal_basis="《最低生活保障审核确认办法》第八条",
    redirect_to="户籍所在地东关镇人民政府（或其便民服务站）",
    materials_returned=[DIBAO_FORM, ID_CARD, HUKOU, INCOME],
    review_body="示范县人民政府",
    court="示范县人民法院",
)

TOLERANT = TolerantCommitmentData(
    case=case("410101001-20261125-0009", "残疾人两项补贴申请", WANG, date(2026, 11, 25)),
    main_materials=[ID_CARD, DISABILITY_CARD, DISABILITY_FORM],
    missing=[HUKOU, BANK],
    deadline=Deadline(date(2026, 12, 9)),
    time_limit="20个工作日，2026年12月23日前办结",
)

INFORM = InformCommitmentData(
    case=case("410101001-20261126-0002", "最低生活保障申请", LIU, date(2026, 11, 26)),
    legal_basis=[
        "《社会救助暂行办法》第九条至第十六条",
        "《最低生活保障审核确认办法》（民发〔2021〕57号）第九条、第十条",
    ],
    conditions=[
        "持有本县户籍的城乡居民",
        "共同生活的家庭成员人均收入低于当地最低生活保障标准",
        "家庭财产状况符合当地有关规定",
    ],
    time_limit="自受理之日起30个工作日内审核确认（不含公示期）",
    materials=[DIBAO_FORM, ID_CARD, HUKOU, INCOME],
    replaced_proofs=["家庭成员无业证明", "家庭收入证明"],
)

HANDOVER = HandoverData(
    case=case("410101001-20261125-0009", "残疾人两项补贴申请", WANG, date(2026, 11, 27)),
    to_body="示范县残疾人联合会",
    handed_by="李四（1号窗口）",
    received_by="赵敏（县残联康复科）",
    materials=[DISABILITY_FORM, DISABILITY_CARD, ID_CARD, HUKOU, BANK],
    on=date(2026, 11, 27),
    note="容缺材料已于2026年11月27日补齐",
    expected_result=Deadline(date(2026, 12, 23)),
)

EXTENSION = ExtensionData(
    case=replace(
        case("410101001-20261221-0007", "高龄津贴申请", ZHANG, date(2027, 1, 6)),
        received_on=date(2026, 12, 21),
    ),
    reason="需县民政局核对申请人户籍迁移前的年龄记录",
    days=10,
    old_deadline=Deadline(date(2027, 1, 11), provisional=True),
    new_deadline=Deadline(date(2027, 1, 25), provisional=True),
)

PICKUP = PickupData(
    case=case("410101001-20261221-0007", "高龄津贴申请", ZHANG, date(2027, 1, 8)),
    result="高龄津贴享受证1本，自2027年2月起按月发放至本人社会保障卡",
    arrived_on=Deadline(date(2027, 1, 7), provisional=True),
    pickup_by=Deadline(date(2027, 2, 8), provisional=True),
)

GUIDE = GuideData(
    station_name=STATION,
    issued_on=date(2026, 11, 23),
    item_code="410101-GG-0017",
    item_name="高龄津贴申请",
    item_type="行政给付",
    deciding_office="示范县民政局（乡镇人民政府初审）",
    legal_basis=[
        "《中华人民共和国老年人权益保障法》第三十三条",
        "《示范省高龄津贴发放管理办法》第五条",
    ],
    conditions=["具有本县户籍", "年满80周岁"],
    materials=[
        ID_CARD,
        HUKOU,
        BANK,
        PHOTO,
        AGED_FORM,
        Material("代办人身份证", "原件", required=False, note="委托他人代办时提供"),
    ],
    promised_days=15,
    legal_days=20,
    window="1号综合窗口",
    phone=PHONE,
    address="示范村党群服务中心一楼",
    tolerant_allowed=True,
    related=[
        RelatedItem("老年人优待证办理", "年满60周岁可同时办理"),
        RelatedItem("城乡居民基本养老保险待遇领取", "尚未领取养老金的"),
        RelatedItem("特困人员救助供养申请", "无劳动能力、无生活来源的"),
    ],
    catalogue_version="2026-11",
    qr_url=f"{PUBLIC_URL}/items/410101-GG-0017",
)

SAMPLES: dict[str, object] = {
    "acceptance": ACCEPTANCE,
    "receipt": RECEIPT,
    "correction": CORRECTION,
    "refusal": REFUSAL,
    "tolerant_commitment": TOLERANT,
    "inform_commitment": INFORM,
    "handover": HANDOVER,
    "extension": EXTENSION,
    "pickup": PICKUP,
    "guide": GUIDE,
}
