"""Kept case notices (办件通知书存档, R-K2): files and hashes, the staff API (list, PDF, 补打),
tickets that may open a case (R-K1), no orphan file when a write fails, a write that
finds the case changed starts again; and the 一次性告知单 of any item (R-C4)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlmodel import Session

from appliance.cases.service import cases as case_service_module
from appliance.cases.service.cases import CaseService
from appliance.cases.service.notice_store import NoticeFiles
from tests.cases.notice_support import AGED, Desk, flat
from tests.support.fingerprint import fingerprint
from tests.support.station import GUIDE, MANAGER, WINDOW_CLERK, Station, login

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")


@pytest.fixture
def desk(client: TestClient, station: Station) -> Desk:
    return Desk(client, station)


def kept_files(station: Station) -> list[str]:
    root = station.settings.case_notice_path
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_files_exist_and_match_their_rows(desk: Desk) -> None:
    """R-A1 (in part): a case's notices sit together in one folder named by its case number
    (the archive number), in decision order; R-A3 (in part): each carries its SHA-256."""
    number = desk.open()
    desk.act(number, "accept")
    root = desk.station.settings.case_notice_path
    rows = desk.notices(number)
    assert [r.path for r in rows] == [f"{number}/00-receipt.pdf", f"{number}/01-acceptance.pdf"]
    for row in rows:
        data = (root / row.path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row.sha256
        [(size,)] = desk.rows("SELECT size FROM case_notice WHERE id = :i", i=row.id)
        assert size == len(data)
    assert kept_files(desk.station) == [r.path for r in rows]  # nothing else (no temp files)


def test_staff_list_download_and_reprint(desk: Desk) -> None:
    number = desk.open()
    desk.act(number, "accept")
    r = desk.client.get(f"/api/cases/{number}/notices", headers=desk.headers)
    assert r.status_code == 200
    listed = r.json()
    assert [(n["transition_seq"], n["kind"], n["title"], n["print_status"]) for n in listed] == [
        (0, "receipt", "收件凭证", "pending"),
        (1, "acceptance", "受理通知书", "pending"),
    ]
    acceptance = listed[1]
    r = desk.client.get(f"/api/cases/{number}/notices/{acceptance['id']}/pdf", headers=desk.headers)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/pdf")
    root = desk.station.settings.case_notice_path
    assert r.content == (root / f"{number}/01-acceptance.pdf").read_bytes()

    r = desk.client.post(
        f"/api/cases/{number}/notices/{acceptance['id']}/reprint", headers=desk.headers
    )
    assert r.status_code == 201, r.text
    again = r.json()
    assert (
        again["print_job_id"] != acceptance["print_job_id"] and again["print_status"] == "pending"
    )
    [(copies, payload)] = desk.rows(
        "SELECT copies, payload FROM print_job WHERE id = :i", i=again["print_job_id"]
    )
    assert copies == 2 and acceptance["id"] in payload and "受理通知书" in payload
    assert len(kept_files(desk.station)) == 2  # a reprint prints the kept file, makes no new one


def test_unknown_notice_is_404_in_chinese_and_changes_nothing(desk: Desk) -> None:
    number = desk.open()
    other = desk.open()
    [foreign] = desk.notices(other)
    before = fingerprint(desk.station.services.db)
    for notice_id in ("no-such-notice", foreign.id):  # another case's notice is not this one's
        r = desk.client.get(f"/api/cases/{number}/notices/{notice_id}/pdf", headers=desk.headers)
        assert r.status_code == 404 and "没有编号为" in r.json()["message"]
        r = desk.client.post(
            f"/api/cases/{number}/notices/{notice_id}/reprint", headers=desk.headers
        )
        assert r.status_code == 404 and "通知书" in r.json()["message"]
    r = desk.client.get("/api/cases/YZ0001-20261123-0999/notices", headers=desk.headers)
    assert r.status_code == 404 and "找不到办件" in r.json()["message"]
    assert fingerprint(desk.station.services.db) == before


def test_altered_file_is_refused_not_served(desk: Desk) -> None:
    """The SHA-256 proves the kept PDF unchanged; an altered file is a 409, never served."""
    number = desk.open()
    [row] = desk.notices(number)
    path = desk.station.settings.case_notice_path / row.path
    path.write_bytes(path.read_bytes() + b"%tampered")
    before = fingerprint(desk.station.services.db)
    r = desk.client.get(f"/api/cases/{number}/notices/{row.id}/pdf", headers=desk.headers)
    assert r.status_code == 409 and "校验值不符" in r.json()["message"]
    r = desk.client.post(f"/api/cases/{number}/notices/{row.id}/reprint", headers=desk.headers)
    assert r.status_code == 409
    r = desk.client.get(
        f"/api/device/case-notices/{row.id}/pdf",
        headers={"X-Device-Key": desk.station.settings.device_key},
    )
    assert r.status_code == 409
    assert fingerprint(desk.station.services.db) == before


def called_ticket(desk: Desk, window: int = 1, category: str = "A") -> str:
    desk.station.services.queue.issue(category, "kiosk")
    # window 1 is the desk clerk's; another window is called by the station head
    headers = desk.headers if window == 1 else login(desk.client, *MANAGER)
    r = desk.client.post(f"/api/windows/{window}/call-next", headers=headers)
    assert r.status_code == 201 and r.json()["status"] == "called", r.text
    return str(r.json()["id"])


def test_ticket_must_be_todays_and_called_r_k1(desk: Desk) -> None:
    """A case opens from a ticket being served now; a waiting ticket or one called
    yesterday is a 409 with nothing written (no row, no file). One visitor may open
    several cases."""
    st = desk.station
    yesterday = called_ticket(desk, window=2, category="B")
    st.clock.advance(days=1)
    desk.headers = login(desk.client, *WINDOW_CLERK)  # a new day, a new login
    waiting = st.services.queue.issue("A", "kiosk").id
    before = fingerprint(st.services.db)
    body = {
        "item_code": AGED,
        "applicant": {"name": "张桂兰", "id_number": "410122194001080021", "phone": "13800001234"},
    }
    for ticket, why in ((waiting, "只能为已呼叫或办理中的号票收件"), (yesterday, "不是今天的号票")):
        r = desk.client.post("/api/cases", json={**body, "ticket_id": ticket}, headers=desk.headers)
        assert r.status_code == 409 and why in r.json()["message"], r.text
    r = desk.client.post("/api/cases", json={**body, "ticket_id": "no-such"}, headers=desk.headers)
    assert r.status_code == 404 and "找不到号票" in r.json()["message"]
    assert fingerprint(st.services.db) == before and kept_files(st) == []

    ticket = called_ticket(desk)
    first = desk.open(ticket_id=ticket)
    second = desk.open(
        "410122-MZ-002", materials={"M1": "received", "M2": "received"}, ticket_id=ticket
    )  # several items for one visitor
    assert first != second
    assert desk.rows("SELECT count(*) FROM case_file WHERE ticket_id = :t", t=ticket)[0][0] == 2


@pytest.mark.parametrize("where", ["commit", "publish", "record"])
def test_failed_transaction_leaves_no_orphan_file(
    desk: Desk, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """A failure at any point of the write — inserting the rows, renaming the files into
    place, or the commit itself, after the files were in place — rolls the transaction
    back and removes the files: no row, no file, no temporary file."""
    number = desk.open(materials={"M1": "received", "M2": "received", "M4": "received"})
    before, files = fingerprint(desk.station.services.db), kept_files(desk.station)
    placed: list[Path] = []
    real_publish = NoticeFiles.publish

    real_replace = os.replace

    def replace(src: Any, dst: Any) -> None:
        if where == "publish" and placed:  # the first rename succeeds, the second fails
            raise OSError("disk full")
        real_replace(src, dst)
        placed.append(Path(dst))

    def publish(self: NoticeFiles, staged: Any) -> None:
        real_publish(self, staged)
        assert all(n.final.exists() for n in staged)

    def fail(*_: Any, **__: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(NoticeFiles, "publish", publish)
    monkeypatch.setattr(os, "replace", replace)
    if where == "commit":
        monkeypatch.setattr(Session, "commit", fail)
    if where == "record":
        monkeypatch.setattr(case_service_module, "record", fail)
    service = CaseService(desk.station.services.db, desk.station.settings, desk.station.clock)
    with pytest.raises(OSError, match="disk full"):
        service.act(
            number, "accept_tolerant", {"deadline": "2026-12-04", "signed_by": "张桂兰"}, "ck01"
        )  # two notices: 容缺受理承诺书 and 受理通知书
    if where != "record":
        assert placed  # the files were in place before the failure
    assert fingerprint(desk.station.services.db) == before
    assert kept_files(desk.station) == files == [f"{number}/00-receipt.pdf"]


def test_write_that_finds_the_case_changed_starts_again(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rendering happens outside the write lock; when another decision lands meanwhile the
    write sees it, drops its files and starts again from the new state."""
    number = desk.open()
    desk.act(number, "accept")
    st = desk.station
    service = CaseService(st.services.db, st.settings, st.clock)
    real_render = case_service_module.render
    calls: list[int] = []

    def render_with_a_rival(issued: Any) -> Any:
        calls.append(len(issued))
        if len(calls) == 1:  # while we render, a colleague extends the case by 3 days
            service.act(number, "extend", {"days": 3, "reason": "等待县局复核"}, "zz01")
        return real_render(issued)

    monkeypatch.setattr(case_service_module, "render", render_with_a_rival)
    # two extensions of one case: the limit (one, by the head; test_case_extensions) is lifted
    monkeypatch.setattr(case_service_module, "check_extension", lambda *a, **k: None)
    result = service.act(number, "extend", {"days": 5, "reason": "材料需补充核实"}, "ck01")
    assert len(calls) == 3  # ours (stale), the rival's, ours again
    assert [t.why for t in result.case.timeline[-2:]] == ["等待县局复核", "材料需补充核实"]
    assert [r.path.split("/")[1] for r in desk.notices(number)] == [
        "00-receipt.pdf",
        "01-acceptance.pdf",
        "02-extension.pdf",
        "03-extension.pdf",
    ]
    assert len(kept_files(st)) == 4


@needs_poppler
def test_guide_sheet_pdf_and_print_r_c4(
    client: TestClient, station: Station, tmp_path: Path
) -> None:
    """R-C4: the 一次性告知单 of any item — public PDF with materials, time limit, fees, window,
    phone and related items; staff (even 引导员) print it for the visitor."""
    r = client.get("/api/catalogue/items/410122-MZ-003/guide.pdf")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/pdf")
    path = tmp_path / "guide.pdf"
    path.write_bytes(r.content)
    content = flat(
        subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    )
    for part in (
        "一次性告知单",
        "最低生活保障申请",
        "设定依据",
        "办理条件",
        "申请材料",
        "户口簿：原件1份（必要）",
        "办理时限",
        "承诺25个工作日办结",
        "收费标准",
        "办理窗口",
        "咨询电话",
        "关联事项",
        "临时救助申请",
        "困难群众医疗救助申请",
    ):
        assert flat(part) in content, part
    r = client.get("/api/catalogue/items/NO-SUCH/guide.pdf")
    assert r.status_code == 404 and "找不到事项" in r.json()["message"]

    guide = login(client, *GUIDE)
    before = fingerprint(station.services.db)
    r = client.post("/api/catalogue/items/NO-SUCH/guide/print", headers=guide)
    assert r.status_code == 404 and fingerprint(station.services.db) == before
    r = client.post("/api/catalogue/items/410122-MZ-003/guide/print", headers=guide)
    assert r.status_code == 201, r.text
    job = station.services.print_jobs.list_jobs()[0]
    assert (job.id, job.kind, job.copies) == (r.json()["print_job_id"], "notice", 1)
    assert job.title == "一次性告知单"
    assert r.json()["item_name"] == "最低生活保障申请"
