"""Notices typeset in a short-lived worker process (R-K2, R-N4): the same PDFs as
typesetting in process, one worker for a decision's notices, and a failing worker refused
with a Chinese message before anything is committed (never a 500, no notice lost)."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest
from litestar.testing import TestClient

from appliance.core.errors import DomainError
from appliance.documents import pdf
from appliance.documents.notices import build_notice
from appliance.documents.notices.samples import SAMPLES
from appliance.documents.pdf import Notice, NoticeRenderFailed, render_notice_pdfs
from tests.cases.notice_support import Desk
from tests.support.station import Station

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")


def text_of(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "n.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@needs_poppler
def test_worker_prints_what_typesetting_in_process_prints_r_k2(tmp_path: Path) -> None:
    """Each notice kind, rendered by one worker for all of them, in order, reads exactly as
    the same notice typeset in this process."""
    from appliance.documents.typeset import typeset_notice

    notices = [build_notice(kind, data) for kind, data in SAMPLES.items()]
    pdfs = render_notice_pdfs(notices)
    assert len(pdfs) == len(notices)
    for notice, data in zip(notices, pdfs, strict=True):
        assert text_of(data, tmp_path) == text_of(typeset_notice(notice), tmp_path)


def test_a_date_and_its_iso_string_travel_alike() -> None:
    notice = Notice(title="受理通知书", number="示范受〔2026〕1号", station_name="示范站", date="")
    dated = [
        notice,
        Notice(**{**notice.__dict__, "date": __import__("datetime").date(2026, 11, 23)}),
        Notice(**{**notice.__dict__, "rows": (("事项", "高龄津贴"),), "body": ("正文",)}),
    ]
    back = pdf.decode_notices(pdf.encode_notices(dated))
    assert back[0] == notice
    assert back[1].date == "2026-11-23"
    assert back[2].rows == (("事项", "高龄津贴"),) and back[2].body == ("正文",)


def test_no_notices_start_no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "WORKER", ("-c", "raise SystemExit(9)"))
    assert render_notice_pdfs([]) == []


@pytest.mark.parametrize(
    ("worker", "reason"),
    [
        (("-c", "import sys; print('boom', file=sys.stderr); sys.exit(3)"), "排版程序出错"),
        (("-c", "import sys; sys.stdout.buffer.write(b'\\x00' * 12)"), "排版结果不完整"),
        (("-c", "pass"), "排版程序出错"),  # exits with no answer at all (tried twice)
    ],
)
def test_a_failing_worker_is_a_clear_refusal(
    monkeypatch: pytest.MonkeyPatch, worker: tuple[str, ...], reason: str
) -> None:
    monkeypatch.setattr(pdf, "WORKER", worker)
    notice = build_notice("acceptance", SAMPLES["acceptance"])
    with pytest.raises(NoticeRenderFailed) as caught:
        render_notice_pdfs([notice])
    assert isinstance(caught.value, DomainError) and 400 <= caught.value.status < 500
    assert reason in caught.value.message and "请重试" in caught.value.message


def test_the_worker_serves_a_burst_then_exits_when_idle_r_n4(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two requests in a row reuse one worker; idle, it exits (its memory goes back), and
    the next request starts a new one."""
    monkeypatch.setattr(pdf, "WORKER_IDLE_S", 1.0)
    notice = build_notice("acceptance", SAMPLES["acceptance"])
    render_notice_pdfs([notice])
    first = pdf._worker
    assert first is not None
    render_notice_pdfs([notice])
    assert pdf._worker is first
    pid = first.pid
    deadline = time.monotonic() + 60
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)  # exits by itself once idle, and is reaped at once (no zombie left)
    assert not Path(f"/proc/{pid}").exists(), Path(f"/proc/{pid}/status").read_text()[:200]
    assert first.returncode == 0
    assert render_notice_pdfs([notice])[0].startswith(b"%PDF")
    assert pdf._worker is not first


def test_a_hung_worker_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "WORKER", ("-c", "import time; time.sleep(600)"))
    monkeypatch.setattr(pdf, "RENDER_TIMEOUT_S", 0.5)
    with pytest.raises(NoticeRenderFailed, match="排版超时"):
        render_notice_pdfs([build_notice("acceptance", SAMPLES["acceptance"])])


def test_a_worker_that_cannot_start(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(pdf.sys, "executable", str(tmp_path / "no-python"))
    with pytest.raises(NoticeRenderFailed, match="无法启动"):
        render_notice_pdfs([build_notice("acceptance", SAMPLES["acceptance"])])


def test_accepting_while_the_worker_fails_changes_nothing_r_k2(
    client: TestClient, station: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 受理 is refused with a 409 and a Chinese message, the case stays as it was, no
    notice row, file or print job appears; once the worker works again, the same 受理
    goes through with its notice."""
    desk = Desk(client, station)
    number = desk.open()
    before = desk.notices(number)
    jobs = desk.rows("SELECT count(*) FROM print_job")
    monkeypatch.setattr(pdf, "WORKER", ("-c", "raise SystemExit(1)"))
    r = client.post(f"/api/cases/{number}/actions/accept", json={}, headers=desk.headers)
    assert r.status_code == 409, r.text
    assert r.json()["error"] == "notice_render_failed"
    assert "通知书未能生成" in r.json()["message"]
    assert desk.notices(number) == before
    assert desk.rows("SELECT count(*) FROM print_job") == jobs
    monkeypatch.setattr(pdf, "WORKER", ("-m", "appliance.documents.render_worker"))
    desk.act(number, "accept")
    assert [n.kind for n in desk.notices(number)][-1] == "acceptance"
