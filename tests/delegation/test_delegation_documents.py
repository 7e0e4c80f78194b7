"""The papers of 代办 (R-D1, R-D2) read back with pdftotext: the 委托书 names agent, content,
period and responsibilities; the 中止单 one of JC's seven grounds; the 续办委托书 the new
period; the 办结单 the result and the satisfaction boxes. The kept bytes are what the API
serves."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

from litestar.testing import TestClient

from appliance.documents.delegation import (
    DelegationPaper,
    agreement_pdf,
    completion_pdf,
    continuation_pdf,
    suspension_pdf,
)
from tests.delegation.support import agree
from tests.support.station import HELPER, Station, login

PAPER = DelegationPaper(
    number="DB-20261123-001-1",
    delegation_number="DB-20261123-001",
    station_name="示范村便民服务站",
    on=date(2026, 11, 23),
    applicant_name="王秀英",
    item_name="城乡居民养老保险待遇领取",
    content="代为提交待遇领取申请",
    agent_name="刘芳",
    period_start=date(2026, 11, 23),
    period_end=date(2026, 12, 31),
    applicant_id_number="410102195003120021",
    applicant_phone="13800001234",
    responsibilities="代办员全程跟踪，不收取任何费用；委托人自行缴纳各项收费。",
    fees_note="代办服务免费；代办员不代收任何费用。",
)


def text_of(pdf: bytes, tmp_path: Path, name: str = "paper.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return "".join(out.stdout.split())  # CJK lines wrap anywhere: compare without spaces


def test_agreement_names_agent_content_period_and_duties_r_d1(tmp_path: Path) -> None:
    pdf = agreement_pdf(PAPER)
    assert pdf.startswith(b"%PDF") and b"/MediaBox [ 0 0 595.2756 841.8898 ]" in pdf  # A4
    text = text_of(pdf, tmp_path)
    for words in (
        "代办服务委托书",
        "DB-20261123-001-1",
        "委托人王秀英",
        "代办员刘芳",
        "代为提交待遇领取申请",
        "2026年11月23日至2026年12月31日",
        "不收取任何费用",
        "委托人签字",
        "代办员签字",
        "410102********0021",
    ):
        assert words in text, words
    assert "410102195003120021" not in text  # the ID number is printed masked


def test_suspension_continuation_and_completion_papers_r_d2(tmp_path: Path) -> None:
    stop = text_of(suspension_pdf(PAPER, "申请人提出暂停委托代办服务", "外出务工"), tmp_path)
    assert "代办服务中止单" in stop and "申请人提出暂停委托代办服务" in stop
    assert "外出务工" in stop and "续办委托书" in stop
    cont = text_of(continuation_pdf(PAPER, "申请人已返乡"), tmp_path)
    assert "代办服务续办委托书" in cont and "申请人已返乡" in cont and "续办期限" in cont
    done = text_of(completion_pdf(PAPER, "待遇已核定"), tmp_path)
    assert "代办服务办结单" in done and "待遇已核定" in done
    assert "□非常满意□满意□基本满意□不满意□非常不满意" in done


def test_the_api_serves_the_kept_papers_r_d1_r_d2(
    station: Station, client: TestClient, tmp_path: Path
) -> None:
    h = login(client, *HELPER)
    d = agree(client, h)
    n = d["number"]
    client.post(f"/api/delegations/{n}/suspend", json={"reason": "materials_late"}, headers=h)
    [agreement, suspension] = client.get(f"/api/delegations/{n}", headers=h).json()["documents"]
    r = client.get(agreement["url"], headers=h)
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    text = text_of(r.content, tmp_path)
    assert "代办服务委托书" in text and "王秀英" in text and "2026年12月31日" in text
    stop = text_of(client.get(suspension["url"], headers=h).content, tmp_path, "stop.pdf")
    assert "未在规定期限内提交材料，代办员催促后仍未提交" in stop
    assert f"{n}-2" in stop
    missing = client.get(f"/api/delegations/{n}/documents/nope/pdf", headers=h)
    assert missing.status_code == 404 and "没有这份文书" in missing.json()["message"]
