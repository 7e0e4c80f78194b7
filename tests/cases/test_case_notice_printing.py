"""The hardware service prints a case notice from the PDF kept with the case (R-K2).

An A4 station fetches the kept PDF through the device API (the server checks its SHA-256)
and prints exactly those bytes, 一式二份; a thermal-only station prints the condensed
receipt from the job's fields; an altered file is refused by the server and the notice is
rendered again from the fields. One test goes through a real private cupsd.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from appliance.cases.service.cases import CaseService
from appliance.cases.tables import CaseNoticeRecord
from appliance.jobs.tables import PrintJob
from appliance.staff.tables import Staff
from hw.cups import CupsNoticePrinter
from hw.printers import FakeNoticePrinter, FakeReceiptPrinter
from hwservice.api import ApiRefused, DeviceApi
from hwservice.printing import PrintWorker, ReceiptOptions
from tests.support.cups_server import PdfQueue
from tests.support.station import LiveServer

APPLICANT = {"name": "张桂兰", "id_number": "410122194001080021", "phone": "13800001234"}
ALL = {"M1": "received", "M2": "received", "M3": "received", "M4": "received"}


@pytest.fixture
def api(live_server: LiveServer) -> Iterator[DeviceApi]:
    a = DeviceApi(live_server.url, live_server.station.settings.device_key)
    yield a
    a.close()


def opts(live: LiveServer) -> ReceiptOptions:
    s = live.station.settings
    return ReceiptOptions(s.station_name, s.visitor_url, 58, s.timezone)


def open_case(live: LiveServer) -> CaseNoticeRecord:
    """Open a case (its 收件凭证 is kept and queued); the kept notice's row."""
    st = live.station
    with st.services.db.read() as s:
        clerk = s.exec(select(Staff).where(Staff.code == "ck01")).one()
    CaseService(st.services.db, st.settings, st.clock).open(
        {"item_code": "410122-MZ-001", "applicant": APPLICANT, "materials": ALL}, clerk.id, "ck01"
    )
    with st.services.db.read() as s:
        return s.exec(select(CaseNoticeRecord)).one()


def kept(live: LiveServer, row: CaseNoticeRecord) -> bytes:
    return (live.station.settings.case_notice_path / row.path).read_bytes()


def job_status(live: LiveServer, job_id: str | None) -> str:
    with live.station.services.db.read() as s:
        job = s.get(PrintJob, job_id)
        assert job is not None
        return job.status


def test_a4_printer_prints_exactly_the_kept_pdf_r_k2(
    live_server: LiveServer, api: DeviceApi
) -> None:
    row = open_case(live_server)
    notice = FakeNoticePrinter()
    assert PrintWorker(api, FakeReceiptPrinter(), notice, opts(live_server)).run_once() == (1, None)
    [printed] = notice.printed
    assert printed.pdf == kept(live_server, row)
    assert (printed.copies, printed.title) == (2, "收件凭证")
    assert job_status(live_server, row.print_job_id) == "done"


def test_thermal_only_station_prints_the_condensed_receipt_twice(
    live_server: LiveServer, api: DeviceApi
) -> None:
    open_case(live_server)
    printer = FakeReceiptPrinter()
    assert PrintWorker(api, printer, None, opts(live_server)).run_once() == (1, None)
    assert [p.title for p in printer.printed] == ["收件凭证", "收件凭证"]
    assert "高龄津贴申请" in printer.printed[0].text
    assert "410122194001080021" not in printer.printed[0].text


def test_altered_file_is_refused_and_the_notice_rendered_again(
    live_server: LiveServer, api: DeviceApi
) -> None:
    row = open_case(live_server)
    path = live_server.station.settings.case_notice_path / row.path
    path.write_bytes(path.read_bytes() + b"%altered")
    with pytest.raises(ApiRefused) as refused:
        api.case_notice_pdf(row.id)
    assert refused.value.status == 409 and "校验值不符" in refused.value.message
    notice = FakeNoticePrinter()
    assert PrintWorker(api, None, notice, opts(live_server)).run_once() == (1, None)
    [printed] = notice.printed
    assert printed.pdf.startswith(b"%PDF") and printed.pdf != path.read_bytes()
    assert printed.title == "收件凭证"


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_kept_pdf_reaches_a_real_cups_queue_unchanged_r_k2(
    live_server: LiveServer, api: DeviceApi, pdf_queue: PdfQueue
) -> None:
    """Through a private cupsd: the job file CUPS spooled is the kept PDF byte for byte,
    printed on A4, two copies."""
    row = open_case(live_server)
    printer = CupsNoticePrinter(pdf_queue.name, pdf_queue.server.socket)
    assert PrintWorker(api, None, printer, opts(live_server)).run_once() == (1, None)
    assert printer.last_job_id is not None
    attrs = pdf_queue.server.wait_job(printer.last_job_id)
    assert attrs["job-state"] == 9, pdf_queue.server.error_log()[-2000:]
    assert (attrs["copies"], attrs["media"]) == (2, "A4")
    conn = pdf_queue.server.connection()
    doc = conn.getDocument(f"ipp://localhost/printers/{pdf_queue.name}", printer.last_job_id, 1)
    assert Path(doc["file"]).read_bytes() == kept(live_server, row)
    Path(doc["file"]).unlink()
    out = subprocess.run(
        ["pdftotext", str(pdf_queue.received()), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert out.count("收件凭证") == 2
