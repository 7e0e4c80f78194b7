"""Notice content builders (appliance.documents.notices): every kind rendered to A4 PDF and read back with
pdftotext (R-K2 decisions and their notices, R-K6 pickup notice, R-C4 一次性告知单)."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from appliance.documents.notices import (
    NOTICE_KINDS,
    PROVISIONAL_MARK,
    CorrectionData,
    Deadline,
    Material,
    RefusalData,
    SpecialProcedure,
    build_acceptance,
    build_notice,
    kind_for_title,
)
from appliance.documents.notices.samples import (
    ACCEPTANCE,
    CORRECTION,
    EXTENSION,
    GUIDE,
    HANDOVER,
    INFORM,
    PICKUP,
    RECEIPT,
    REFUSAL,
    SAMPLES,
    TOLERANT,
    ZHANG,
)
from appliance.documents.pdf import Notice, notice_receipt, render_notice_pdf

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
FOOTER = "本通知书一式二份，申请人、受理单位各执一份。"
HANDOVER_FOOTER = "本交接单一式二份，移交单位、接收单位各执一份，随办件归档。"
FOOTERS = {"handover": HANDOVER_FOOTER, "receipt": "本凭证一式二份，申请人、受理单位各执一份。"}
FULL_IDS = ["410101194403150021", "41010119800101003X", "410101196203040048", "410101197005060033"]


def flat(text: str) -> str:
    return "".join(text.split())  # table cells and lines wrap where the page is full


def pdf_text(notice: Notice, tmp_path: Path) -> str:
    path = tmp_path / "notice.pdf"
    path.write_bytes(render_notice_pdf(notice))
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return flat(out.stdout)


def pages(notice: Notice, tmp_path: Path) -> int:
    path = tmp_path / "pages.pdf"
    path.write_bytes(render_notice_pdf(notice))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def assert_has(text: str, *parts: str) -> None:
    for part in parts:
        assert flat(part) in text, part


def test_registry_covers_every_kind_r_k2() -> None:
    """R-K2, R-K6, R-C4: one builder per notice, looked up by kind or by Chinese title."""
    assert {k.title for k in NOTICE_KINDS.values()} == {
        "受理通知书",
        "收件凭证",
        "补正通知书",
        "不予受理通知书",
        "容缺受理承诺书",
        "告知承诺书",
        "取件通知",
        "一次性告知单",
        "交接单",
        "延期告知书",
    }
    assert set(SAMPLES) == set(NOTICE_KINDS)
    assert kind_for_title("一次性告知书").kind == "correction"
    assert kind_for_title("受理通知书").kind == "acceptance"
    for kind, data in SAMPLES.items():
        assert build_notice(kind, data).title == NOTICE_KINDS[kind].title
    with pytest.raises(TypeError, match="补正通知书需要 CorrectionData"):
        build_notice("correction", ACCEPTANCE)
    with pytest.raises(KeyError):
        build_notice("nonsense", ACCEPTANCE)


@needs_poppler
@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_every_notice_renders_with_its_essentials_r_k2(kind: str, tmp_path: Path) -> None:
    """R-K2 / HN-3 6.5.4: title, number, item, applicant, receiver, station, date, seal area,
    QR caption and footer are in the PDF; the full ID number never is (masked 6+4)."""
    notice = build_notice(kind, SAMPLES[kind])
    text = pdf_text(notice, tmp_path)
    assert_has(text, notice.title, f"编号：{notice.number}", notice.station_name, "（盖章）")
    for full in FULL_IDS:
        assert full not in text
        assert full not in flat(notice_receipt(notice)[1])
    if kind == "guide":
        assert_has(text, "高龄津贴申请", "窗口不会要求提交清单以外的材料")
        return
    case = SAMPLES[kind].case  # type: ignore[attr-defined]
    assert notice.number == case.case_number
    assert notice.qr_url == f"http://192.168.10.2:8080/cases/{case.case_number}"
    assert_has(
        text,
        case.item_name,
        case.applicant.name,
        "李四（1号窗口）",
        FOOTERS.get(kind, FOOTER),
        "手机扫码查询办件进度",
    )
    if case.applicant.id_number:
        id_number = case.applicant.id_number
        assert_has(text, id_number[:6] + "*" * 8 + id_number[-4:])


@needs_poppler
@pytest.mark.parametrize(
    "kind",
    [
        "acceptance",
        "receipt",
        "correction",
        "refusal",
        "tolerant_commitment",
        "pickup",
        "handover",
        "extension",
    ],
)
def test_everyday_notices_fit_one_page(kind: str, tmp_path: Path) -> None:
    """The notices handed out daily print on one A4 sheet with the seal beside the content."""
    assert pages(build_notice(kind, SAMPLES[kind]), tmp_path) == 1


SPECIAL = dataclasses.replace(
    ACCEPTANCE,
    case=dataclasses.replace(
        ACCEPTANCE.case,
        special_procedures=[SpecialProcedure("专家评审"), SpecialProcedure("听证")],
    ),
)
ONCE = dataclasses.replace(
    CORRECTION, title="一次性告知书", deadline=Deadline(date(2027, 1, 4), provisional=True)
)

# What each notice must say, as the applicant reads it on paper: phrases joined by "|".
WORDING: dict[str, tuple[str, object, str]] = {
    # R-K2: acceptance with its materials and a provisional (暂定) deadline
    "acceptance": (
        "acceptance",
        ACCEPTANCE,
        (
            "受理通知书|张桂兰|本站决定予以受理|15个工作日|"
            "2027年1月11日前（暂定，节假日数据待更新）|高龄津贴申请审批表（原件1份）|"
            "王建国（身份证号码：410101********0033）|"
            "2026年12月21日"
        ),
    ),
    # R-K2: 检验/专家评审/听证 are marked, and their time does not count toward the limit
    "special": (
        "acceptance",
        SPECIAL,
        ("特别程序|专家评审（所需时间不计入承诺时限，期间暂停计时）|听证"),
    ),
    "receipt": (
        "receipt",
        RECEIPT,
        (
            "收件凭证|现场勘验（所需时间不计入承诺时限|"
            "城关镇人民政府农业综合服务中心|不代表申请已被受理|"
            "申请材料共5种5份"
        ),
    ),
    # R-K2: a 补正通知书 lists ALL missing or defective items and the deadline, in writing
    "correction": (
        "correction",
        CORRECTION,
        (
            "补正通知书|一次性告知您需补齐补正的全部内容共3项|"
            "第二代中华人民共和国残疾人证（原件及复印件1份）（缺少）|"
            "最低生活保障证（复印件1份）（缺少）|"
            "银行卡（折）（复印件1份）（需补正：复印件模糊不清，卡号无法辨认）|"
            "补正期限|2026年12月7日前|视为申请人撤回申请"
        ),
    ),
    "correction-once": (
        "correction",
        ONCE,
        ("一次性告知书|2027年1月4日前（暂定，节假日数据待更新）"),
    ),
    # R-K2 / XC: the reason, and the rights of review (60 days) and of suit (6 months)
    "refusal": (
        "refusal",
        REFUSAL,
        (
            "不予受理通知书|刘秀英|不予受理理由|"
            "申请人户籍所在地为示范县东关镇，不属于本站受理范围|"
            "《最低生活保障审核确认办法》第八条|户籍所在地东关镇人民政府|"
            "依法享有申请行政复议或提起行政诉讼的权利|"
            "六十日内向示范县人民政府申请行政复议|"
            "六个月内向示范县人民法院提起行政诉讼|退还材料"
        ),
    ),
    "tolerant": (
        "tolerant_commitment",
        TOLERANT,
        (
            "容缺受理承诺书|王五|已收主要材料|容缺材料|"
            "户口簿（原件及复印件1份）|"
            "本人社会保障卡或银行卡（折）（复印件1份）|"
            "2026年12月9日前补齐补正|不再适用容缺办理|不予批准|"
            "承诺人签名"
        ),
    ),
    # R-K2 / XC 告知承诺制度 a) basis, b) conditions and consequences, c) services and
    # supervision, d) breach procedure and remedies; and the applicant's written commitment
    "inform": (
        "inform_commitment",
        INFORM,
        (
            "告知承诺书|一、事项依据|《社会救助暂行办法》第九条至第十六条|"
            "二、办理条件、标准、时限和材料|"
            "共同生活的家庭成员人均收入低于当地最低生活保障标准|"
            "自受理之日起30个工作日内审核确认|家庭经济状况声明及核对授权书|"
            "以下证明材料以本承诺代替|三、未履行承诺、虚假承诺的法律后果|"
            "四、服务与监管|"
            "咨询方式：示范县城关镇示范村便民服务站1号窗口，电话0371-12345678|"
            "监管方式|本站责任|五、失信认定与救济|认定程序和标准|整改期限|"
            "失信等级|信用修复|愿意承担不实承诺的法律责任|承诺人签名"
        ),
    ),
    # R-K6: what to collect, where, when, what to bring, and the mail option
    "pickup": (
        "pickup",
        PICKUP,
        (
            "取件通知|已办理完毕|高龄津贴享受证1本|"
            "示范县城关镇示范村便民服务站1号窗口|身份证原件和受理通知书|"
            "2027年2月8日前（暂定，节假日数据待更新）|如需邮寄送达"
        ),
    ),
    "pickup-refused": (
        "pickup",
        dataclasses.replace(PICKUP, approved=False, result="不予批准决定书1份"),
        ("不予批准：不予批准决定书1份|申请行政复议"),
    ),
    # R-K4: the receiving body, both sides with a signature line, the materials and the date
    "handover": (
        "handover",
        HANDOVER,
        (
            "交接单|示范县残疾人联合会：|接收单位|移交人|李四（1号窗口）|"
            "接收人|赵敏（县残联康复科）|移交材料|"
            "残疾人两项补贴申请审批表（原件1份）|申请材料共5种5份|"
            "2026年11月27日|签名：|办结期限|2026年12月23日前"
        ),
    ),
    # R-K3: an extension only with its reason told to the applicant, and the new deadline
    "extension": (
        "extension",
        EXTENSION,
        (
            "延期告知书|张桂兰|需县民政局核对申请人户籍迁移前的年龄记录|"
            "延长10个工作日|原办结期限|2027年1月11日前（暂定，节假日数据待更新）|"
            "新办结期限|2027年1月25日前（暂定，节假日数据待更新）"
        ),
    ),
    # R-C4: name, basis, conditions, complete materials, time limits, fees, window, phone,
    # related items
    "guide": (
        "guide",
        GUIDE,
        (
            "一次性告知单|高龄津贴申请|设定依据|"
            "《中华人民共和国老年人权益保障法》第三十三条|年满80周岁|"
            "近期一寸免冠照片：原件2份（必要）|"
            "代办人身份证：原件1份（非必要）；委托他人代办时提供|"
            "承诺15个工作日办结|法定20个工作日|不收费|1号综合窗口|"
            "0371-12345678|关联事项|老年人优待证办理|"
            "城乡居民基本养老保险待遇领取|可容缺受理|手机扫码查看办事指南"
        ),
    ),
}


@needs_poppler
@pytest.mark.parametrize("case", sorted(WORDING))
def test_each_notice_says_what_the_standards_require_r_k2_r_k3_r_k4_r_k6_r_c4(
    case: str, tmp_path: Path
) -> None:
    """R-K2–R-K6, R-C4: the wording of each notice as the applicant reads it on paper."""
    kind, data, phrases = WORDING[case]
    assert_has(pdf_text(build_notice(kind, data), tmp_path), *phrases.split("|"))


def test_acceptance_names_the_item_once() -> None:
    assert all("高龄津贴申请申请" not in line for line in build_acceptance(ACCEPTANCE).body)


@pytest.mark.parametrize(
    "make",
    [
        lambda: CorrectionData(
            case=CORRECTION.case, missing=[], defective=[], deadline=CORRECTION.deadline
        ),
        lambda: RefusalData(case=REFUSAL.case, reason=" "),
        lambda: dataclasses.replace(HANDOVER, materials=[]),
        lambda: dataclasses.replace(EXTENSION, reason=" "),
    ],
    ids=[
        "correction-without-items",
        "refusal-without-reason",
        "handover-without-materials",
        "extension-without-reason",
    ],
)
def test_a_notice_without_its_essentials_is_refused_r_k2(make: Callable[[], object]) -> None:
    """A 补正通知书 with nothing to correct, a refusal or extension without its reason, a
    handover without materials: each is refused before anything prints."""
    with pytest.raises(ValueError):
        make()


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_condensed_receipt_keeps_the_essentials_r_k2(kind: str) -> None:
    """The thermal receipt version (appliance.documents.pdf.notice_receipt) carries title, number,
    item, deadline and footer, and never the full ID number."""
    notice = build_notice(kind, SAMPLES[kind])
    data, text = notice_receipt(notice)
    assert data
    text = flat(text)
    assert_has(text, notice.title, notice.number)
    for full in FULL_IDS:
        assert full not in text
    if kind == "guide":
        assert_has(text, "高龄津贴申请", "1号综合窗口")
        return
    footer = FOOTERS.get(kind, FOOTER)
    assert_has(text, SAMPLES[kind].case.item_name, footer)  # type: ignore[attr-defined]
    if kind == "acceptance":
        assert_has(text, "张桂兰", "2027年1月11日前" + PROVISIONAL_MARK)
    if kind == "correction":
        assert_has(text, "残疾人证", "最低生活保障证", "模糊不清", "2026年12月7日前")
    if kind == "refusal":
        assert_has(text, "不属于本站受理范围", "行政复议", "行政诉讼")


def test_organisation_is_addressed_as_such() -> None:
    """An organisation applicant: 贵单位, its credit code masked like an ID number."""
    org = dataclasses.replace(
        ZHANG,
        name="示范村农民专业合作社",
        id_number="93410101MA1234567X",
        kind="organisation",
        agent_name="",
    )
    notice = build_acceptance(
        dataclasses.replace(ACCEPTANCE, case=dataclasses.replace(ACCEPTANCE.case, applicant=org))
    )
    joined = "".join(notice.body) + "".join(v for _, v in notice.rows)
    assert "贵单位于" in joined
    assert "统一社会信用代码：934101********567X" in joined
    assert "93410101MA1234567X" not in joined
    assert notice.addressee == "示范村农民专业合作社"


def test_immediate_case_and_material_defaults() -> None:
    notice = build_acceptance(dataclasses.replace(ACCEPTANCE, immediate=True))
    assert "本事项为即办件，当日办结。" in notice.body[1]
    assert Material("户口簿").describe() == "户口簿（复印件1份）"
