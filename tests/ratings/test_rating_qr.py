"""The one-time rating link on paper (评价二维码, R-E2): the queue receipt carries a second QR
code for its ticket, case notices one for their case; the link names one service, verifies
only with this station's key, and lives in the URL fragment."""

from __future__ import annotations

import json
import stat
import subprocess
from pathlib import Path

from sqlmodel import select

from appliance.documents.rating_link import key_path, link_key, link_token, verify_token
from appliance.jobs.tables import PrintJob
from hwservice.printing import ReceiptOptions, render_receipt
from tests.ratings.support import open_case
from tests.support.station import Station, make_station


def job_payload(st: Station, kind: str) -> dict[str, object]:
    with st.services.db.read() as s:
        job = s.exec(select(PrintJob).where(PrintJob.kind == kind)).first()
    assert job is not None
    payload: dict[str, object] = json.loads(job.payload)
    return payload


def test_the_receipt_carries_the_tickets_one_time_rating_link_r_e2(station: Station) -> None:
    t = station.services.queue.issue("A", "kiosk")
    payload = job_payload(station, "receipt")
    url = str(payload["rating_url"])
    assert url.startswith(f"{station.settings.visitor_url}/rate#t=t.{t.id}.")
    assert verify_token(link_key(station.settings), url.split("#t=", 1)[1]) == ("ticket", t.id)
    opts = ReceiptOptions(station.settings.station_name, station.settings.visitor_url)
    data, text, _ = render_receipt(payload, opts)
    assert data.count(b"\x1d(k") >= 10 and url.encode() in data  # two symbols, this one stored
    assert "办理结束后扫码评价本次服务" in text and "手机扫码查看排队进度" in text


def test_no_rating_code_when_the_station_turns_it_off_r_e2(tmp_path: Path) -> None:
    st = make_station(tmp_path, rating_qr=False)
    try:
        st.services.queue.issue("A", "kiosk")
        assert "rating_url" not in job_payload(st, "receipt")
    finally:
        st.services.close()


def test_case_notices_carry_the_cases_rating_link_r_e2(station: Station) -> None:
    number = open_case(station)
    notice = job_payload(station, "notice")["notice"]
    assert isinstance(notice, dict)
    url = str(notice["rating_url"])
    token = url.split("#t=", 1)[1]
    assert verify_token(link_key(station.settings), token) == ("case", number)
    pdf = Path(station.settings.case_notice_path)
    kept = sorted(pdf.rglob("*.pdf"))
    assert kept, "the 收件凭证 is kept with the case"
    text = subprocess.run(
        ["pdftotext", "-layout", str(kept[0]), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "办结后扫码评价" in text and "手机扫码查询办件进度" in text


def test_the_link_key_is_the_stations_own_and_private_r_e2(
    station: Station, tmp_path: Path
) -> None:
    key = link_key(station.settings)
    path = key_path(station.settings)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and len(key) >= 32
    other = make_station(tmp_path / "other")
    try:
        foreign = link_token(link_key(other.settings), "ticket", "t1")
        assert verify_token(key, foreign) is None  # another station's link is not ours
        assert verify_token(key, link_token(key, "ticket", "t1")) == ("ticket", "t1")
    finally:
        other.services.close()
