"""Paper-transfer lists (移交清单, HN-5 7.3.4–7.3.5, 附录A; R-A2): generated for a chosen
batch, printed as a PDF with sign-off fields, returned as non-compliant, corrected and
resubmitted; the record keeps both rounds."""

from __future__ import annotations

import subprocess

import pytest
from litestar.testing import TestClient

from appliance.archives.service.sweep import archive_pass
from tests.archives.support import delivered, event_count
from tests.cases.notice_support import Desk, flat
from tests.support.station import Station

RECEIVER = "县民政局社会救助股"


@pytest.fixture
def desk(client: TestClient, station: Station) -> Desk:
    return Desk(client, station)


def _pdf_text(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return flat(out.stdout.decode())


def test_return_and_resubmit_keeps_both_rounds_r_a2(desk: Desk, station: Station) -> None:
    first, second = delivered(desk), delivered(desk)
    archive_pass(station.services.archives)
    c, h = desk.client, desk.headers
    r = c.post(
        "/api/archives/transfers",
        json={"receiver": RECEIVER, "case_numbers": [first]},
        headers=h,
    )
    assert r.status_code == 201, r.text
    t = r.json()
    number = t["number"]
    assert number == "YJ-YZ0001-2026-001" and t["status_label"] == "待接收"
    pdf = c.get(f"/api/archives/transfers/{number}/rounds/1/pdf", headers=h)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = _pdf_text(pdf.content)
    for expected in (
        "政务服务纸质文件移交清单",
        number,
        "第1次移交",
        "移交单位：示范村便民服务站",
        RECEIVER,
        "YZ0001-2026-D30-20261123-0001",
        first,
        "高龄津贴申请",
        "30年",
        "移交人（签字）",
        "接收人（签字）",
        "审核意见",
    ):
        assert flat(expected) in text, expected
    # the receiver finds the batch incomplete and returns it
    r = c.post(
        f"/api/archives/transfers/{number}/return",
        json={"receiver_name": "李会计", "reason": "缺少第二件高龄津贴的纸质申请表"},
        headers=h,
    )
    assert r.json()["status_label"] == "退回"
    r = c.post(
        f"/api/archives/transfers/{number}/resubmit",
        json={"note": "补入第二件办件的纸质申请表", "case_numbers": [first, second]},
        headers=h,
    )
    assert r.status_code == 201, r.text
    t = r.json()
    assert (t["round"], t["status"]) == (2, "submitted")
    one, two = t["rounds"]
    assert (one["outcome"], one["outcome_by"]) == ("returned", "李会计")
    assert one["outcome_reason"] == "缺少第二件高龄津贴的纸质申请表"
    assert one["case_numbers"] == [first] and two["case_numbers"] == [first, second]
    assert two["note"] == "补入第二件办件的纸质申请表" and two["outcome"] == ""
    text = _pdf_text(c.get(f"/api/archives/transfers/{number}/rounds/2/pdf", headers=h).content)
    assert flat("第2次移交") in text and "缺少第二件高龄津贴的纸质申请表" in text
    assert second in text
    # round 1's list is kept unchanged
    assert second not in _pdf_text(
        c.get(f"/api/archives/transfers/{number}/rounds/1/pdf", headers=h).content
    )
    r = c.post(
        f"/api/archives/transfers/{number}/accept", json={"receiver_name": "李会计"}, headers=h
    )
    assert r.json()["status_label"] == "已接收"
    assert event_count(station, "archive.transfer_submitted") == 2
    assert event_count(station, "archive.transfer_returned") == 1
    assert event_count(station, "archive.transfer_accepted") == 1
    pkgs = c.get("/api/archives/packages", headers=h).json()
    assert {p["transfer"] for p in pkgs} == {number}


def test_transfer_refusals_change_nothing_r_a2(desk: Desk, station: Station) -> None:
    done = delivered(desk)
    open_case = desk.open()
    c, h = desk.client, desk.headers
    r = c.post(
        "/api/archives/transfers", json={"receiver": RECEIVER, "case_numbers": [done]}, headers=h
    )
    assert r.status_code == 409 and "还没有归档信息包" in r.json()["message"]
    archive_pass(station.services.archives)
    for body, status, words in (
        ({"receiver": RECEIVER, "case_numbers": [open_case]}, 409, "还没有归档信息包"),
        ({"receiver": RECEIVER, "case_numbers": []}, 400, ""),
        ({"receiver": " ", "case_numbers": [done]}, 400, "接收单位"),
        ({"receiver": RECEIVER, "case_numbers": [done, done]}, 400, "重复"),
    ):
        r = c.post("/api/archives/transfers", json=body, headers=h)
        assert r.status_code == status, (body, r.text)
        assert words in r.json()["message"]
    assert c.get("/api/archives/transfers", headers=h).json() == []
    number = c.post(
        "/api/archives/transfers", json={"receiver": RECEIVER, "case_numbers": [done]}, headers=h
    ).json()["number"]
    again = c.post(
        "/api/archives/transfers", json={"receiver": RECEIVER, "case_numbers": [done]}, headers=h
    )
    assert again.status_code == 409 and number in again.json()["message"]
    early = c.post(
        f"/api/archives/transfers/{number}/resubmit",
        json={"note": "x", "case_numbers": [done]},
        headers=h,
    )
    assert early.status_code == 409 and "只有退回的清单" in early.json()["message"]
    no_reason = c.post(
        f"/api/archives/transfers/{number}/return",
        json={"receiver_name": "李会计", "reason": " "},
        headers=h,
    )
    assert no_reason.status_code == 400
    assert c.get(f"/api/archives/transfers/{number}", headers=h).json()["status"] == "submitted"
    assert c.get("/api/archives/transfers/YJ-NONE", headers=h).status_code == 404
