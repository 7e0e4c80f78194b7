"""Notices issued on cases (办件通知书, R-K2–R-K6): every decision's notice is kept with the
case as a PDF and printed 一式二份; its content is read back with pdftotext.

See tests/cases/test_case_notice_store.py for the files, hashes, reprints, tickets and failures.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from litestar.testing import TestClient

from tests.cases.notice_support import (
    ALL_AGED,
    DISABLED,
    MASKED_ID,
    PROVISIONAL,
    REMOTE_CARE,
    Desk,
    assert_has,
)
from tests.support.station import Station

TZ = ZoneInfo("Asia/Shanghai")

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")


@pytest.fixture
def desk(client: TestClient, station: Station) -> Desk:
    return Desk(client, station)


def test_open_issues_a_receipt_kept_and_printed_r_k1_r_k2(desk: Desk) -> None:
    """Opening a case issues a 收件凭证 (transition 0): materials with 原件/复印件 and count,
    the receiver with their window, the 受理期限 and the case number."""
    number = desk.open(materials={"M1": "received", "M2": "received", "M4": "received"})
    [row] = desk.notices(number)
    assert (row.transition_seq, row.kind, row.title) == (0, "receipt", "收件凭证")
    assert row.path == f"{number}/00-receipt.pdf"
    content = desk.pdf_text(number, "receipt")
    assert_has(
        content,
        "收件凭证",
        f"编号：{number}",
        "高龄津贴申请",
        "张桂兰",
        MASKED_ID,
        "王秀英（1号窗口）",
        "居民身份证（原件1份）",
        "户口簿（原件1份）",
        "受理期限",
        "2026年11月30日前",  # 5 working days after Mon 23 Nov
        "尚缺或需补正的材料：本人社会保障卡或银行卡",
        "不代表申请已被受理",
        "（盖章）",
    )


def test_accept_issues_acceptance_with_deadline_r_k2(desk: Desk) -> None:
    number = desk.open()
    step = desk.act(number, "accept")
    assert step["notices"] == ["acceptance"]
    assert_has(
        desk.pdf_text(number, "acceptance", 1),
        "受理通知书",
        "本站决定予以受理",
        "承诺时限",
        "15个工作日",
        "2026年12月14日前办结",
        "高龄津贴申请表（原件1份）",
        "王秀英（1号窗口）",
        MASKED_ID,
    )
    [sms] = desk.sms("case_accepted")
    assert number in sms and "2026年12月14日" in sms


def test_correction_lists_every_missing_and_defective_line_r_k2(desk: Desk) -> None:
    marks = {
        "M1": "received",
        "M2": {"status": "defective", "note": "户主页复印不清"},
        "M3": "missing",
        "M4": "missing",
    }
    number = desk.open(materials=marks)
    desk.act(number, "request_correction", deadline="2026-12-07")
    assert_has(
        desk.pdf_text(number, "correction"),
        "补正通知书",
        "共3项",
        "本人社会保障卡或银行卡（复印件1份）（缺少）",
        "高龄津贴申请表（原件1份）（缺少）",
        "户口簿（原件1份）（需补正：户主页复印不清）",
        "补正期限",
        "2026年12月7日前",
        "居民身份证（原件1份）",
    )
    [sms] = desk.sms("case_correction")
    assert "2026年12月7日" in sms


def test_refusal_gives_reason_and_rights_r_k2(desk: Desk) -> None:
    number = desk.open()
    desk.act(number, "refuse", reason="申请人户籍不在本村，不属于本站受理范围")
    assert_has(
        desk.pdf_text(number, "refusal"),
        "不予受理通知书",
        "不予受理理由",
        "申请人户籍不在本村，不属于本站受理范围",
        "依法享有申请行政复议或提起行政诉讼的权利",
        "六十日",
        "六个月",
    )
    assert "不属于本站受理范围" in desk.sms("case_refused")[0]


def test_tolerant_acceptance_issues_commitment_and_acceptance_r_k2(desk: Desk) -> None:
    number = desk.open(materials={**ALL_AGED, "M3": "missing"})
    step = desk.act(number, "accept_tolerant", deadline="2026-12-04", signed_by="张桂兰")
    assert step["notices"] == ["tolerant", "acceptance"]
    assert [(r.transition_seq, r.kind) for r in desk.notices(number)] == [
        (0, "receipt"),
        (1, "acceptance"),
        (1, "tolerant_commitment"),
    ]
    assert_has(
        desk.pdf_text(number, "tolerant_commitment"),
        "容缺受理承诺书",
        "容缺材料",
        "本人社会保障卡或银行卡（复印件1份）",
        "2026年12月4日前补齐补正",
        "不予批准",
        "承诺人签名",
        "15个工作日，2026年12月14日前",
    )
    desk.act(number, "supply", marks={"M3": "received"})
    assert_has(
        desk.pdf_text(number, "receipt", 2),
        "收件凭证",
        "容缺材料已全部补齐",
        "本人社会保障卡或银行卡（复印件1份）",
    )


def test_inform_commitment_letter_r_k2(desk: Desk) -> None:
    number = desk.open(REMOTE_CARE, materials={"M1": "received", "M2": "received"})
    commitment = {
        "legal_basis": "《基本医疗保险跨省异地就医直接结算经办规程》第八条",
        "conditions": "参保人长期居住在异地且已办理居住登记",
        "services": "本站提供备案代办和进度查询。",
        "verification": "医保部门事后核查，发现虚假承诺的撤销备案并记入信用记录。",
        "signed_by": "张桂兰",
    }
    step = desk.act(number, "accept_commitment", commitment=commitment)
    assert step["notices"] == ["commitment", "acceptance"]
    assert_has(
        desk.pdf_text(number, "inform_commitment"),
        "告知承诺书",
        "一、事项依据",
        "《基本医疗保险跨省异地就医直接结算经办规程》第八条",
        "参保人长期居住在异地且已办理居住登记",
        "本站提供备案代办和进度查询。",
        "医保部门事后核查",
        "即办件，当日办结",
        "承诺人签名",
    )
    assert_has(desk.pdf_text(number, "acceptance"), "本事项为即办件，当日办结。")


def test_forward_issues_a_handover_record_r_k4(desk: Desk) -> None:
    marks = {f"M{i}": "received" for i in range(1, 7)}
    number = desk.open(DISABLED, materials=marks)
    desk.act(number, "accept")
    desk.act(
        number,
        "forward",
        to_body="县残疾人联合会",
        received_by="赵敏",
        materials=["M1", "M2", "M3"],
        note="原件核验后退还",
    )
    assert_has(
        desk.pdf_text(number, "handover"),
        "交接单",
        "县残疾人联合会：",
        "接收单位",
        "移交人",
        "王秀英（1号窗口）",
        "接收人",
        "赵敏",
        "残疾人两项补贴申请审核表（原件1份）",
        "居民身份证（原件1份）",
        "申请材料共3种3份",
        "2026年11月23日",
        "原件核验后退还",
        "办结期限",
    )


def test_extension_tells_reason_and_new_deadline_r_k3(desk: Desk) -> None:
    """R-K3: the reason and the new deadline on paper and by SMS; a deadline in a year
    without holiday data is marked provisional."""
    desk.station.clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=TZ))
    desk = Desk(desk.client, desk.station)  # log in again on the new day
    number = desk.open()
    assert desk.act(number, "accept")["case"]["due_on"] == "2026-12-22"
    step = desk.act(
        number, "extend", as_head=True, days=10, reason="需县民政局核对户籍迁移前的年龄记录"
    )
    due = step["case"]["due_on"]
    assert due.startswith("2027-") and step["case"]["due_provisional"] is True
    y, m, d = (int(x) for x in due.split("-"))
    new = f"{y}年{m}月{d}日前"
    assert_has(
        desk.pdf_text(number, "extension"),
        "延期告知书",
        "需县民政局核对户籍迁移前的年龄记录",
        "延长10个工作日",
        "原办结期限",
        "2026年12月22日前",
        "新办结期限",
        new + PROVISIONAL,
    )
    assert "2026年12月22日前（暂定" not in desk.pdf_text(number, "extension")
    [sms] = desk.sms("case_extended")
    assert "需县民政局核对户籍迁移前的年龄记录" in sms and f"{y}年{m}月{d}日" in sms


def delivered(desk: Desk, delivery: dict[str, str]) -> tuple[str, dict[str, Any]]:
    number = desk.open()
    desk.act(number, "accept")
    desk.act(number, "approve", decided_by="县民政局", document_no="民津〔2026〕118号")
    desk.act(number, "notify_pickup", arrived_on="2026-11-23")
    return number, desk.act(number, "deliver", delivery=delivery)


def test_pickup_notice_then_delivery_by_pickup_r_k6(desk: Desk) -> None:
    number, step = delivered(
        desk,
        {
            "method": "pickup",
            "collector_name": "王建国",
            "collector_id": "410122197005060033",
            "signature_ref": "QS-0007",
        },
    )
    assert_has(
        desk.pdf_text(number, "pickup"),
        "取件通知",
        "已办理完毕",
        "准予：县民政局决定（文书编号民津〔2026〕118号）",
        "示范村便民服务站1号窗口",
        "结果到站日期",
        "2026年11月23日",
    )
    assert step["notices"] == [] and step["case"]["state"] == "delivered"
    last = step["case"]["timeline"][-1]["details"]
    assert (last["collector_name"], last["signature_ref"]) == ("王建国", "QS-0007")
    assert [r.kind for r in desk.notices(number)] == ["receipt", "acceptance", "pickup"]
    assert len(desk.sms("case_pickup")) == 1


def test_delivery_by_mail_then_returned_and_electronic_r_k6(desk: Desk) -> None:
    number, step = delivered(
        desk, {"method": "mail", "address": "示范村三组12号", "tracking_no": "SF1234567890"}
    )
    assert step["case"]["timeline"][-1]["details"]["tracking_no"] == "SF1234567890"
    back = desk.act(number, "return", reason="查无此人，快递退回")
    assert back["case"]["state"] == "returned" and back["notices"] == []
    number, step = delivered(
        desk, {"method": "electronic", "destination": "省政务服务平台", "reference": "DZ-2026-0042"}
    )
    assert step["case"]["timeline"][-1]["details"]["reference"] == "DZ-2026-0042"


def test_every_kept_notice_is_printed_two_copies_from_its_file(desk: Desk) -> None:
    """R-K2 一式二份: each notice has one print job, copies=2, whose payload names the kept
    notice (for the A4 printer) and carries the fields (for a thermal-only station)."""
    number = desk.open(materials={**ALL_AGED, "M3": "missing"})
    desk.act(number, "accept_tolerant", deadline="2026-12-04", signed_by="张桂兰")
    for row in desk.notices(number):
        [(copies, payload)] = desk.rows(
            "SELECT copies, payload FROM print_job WHERE id = :i", i=row.print_job_id
        )
        data = json.loads(payload)
        assert copies == 2 and data["case_notice_id"] == row.id
        assert data["notice"]["title"] == row.title and data["notice"]["number"] == number
        kept = Path(desk.station.settings.case_notice_path / row.path)
        assert kept.read_bytes().startswith(b"%PDF")


def test_pickup_notice_after_rejection_gives_reason_and_rights_r_k5_r_k6(desk: Desk) -> None:
    number = desk.open()
    desk.act(number, "accept")
    desk.act(
        number,
        "reject",
        reason="申请人年龄未满80周岁",
        decided_by="县民政局",
        contact="0371-6000001",
    )
    desk.act(number, "notify_pickup", arrived_on="2026-11-23")
    assert_has(
        desk.pdf_text(number, "pickup"),
        "取件通知",
        "已作出不予批准的决定",
        "不予批准：县民政局决定，理由：申请人年龄未满80周岁",
        "0371-6000001",
        "申请行政复议",
    )
