"""A4 notices as PDF (通知书, R-K2), and the notice printers that need no CUPS."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from appliance.documents.pdf import Notice, chinese_date, notice_receipt, render_notice_pdf
from hw.printers import FakeNoticePrinter, SimulatedNoticePrinter
from hw.protocols import NoticePrinter, PrinterUnavailable
from hwservice.devices import make_notice_printer
from tests.support.station import make_station

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")

CORRECTION = Notice(
    title="补正通知书",
    number="示范补〔2026〕0003号",
    station_name="示范村便民服务站",
    date=date(2026, 11, 23),
    addressee="王五",
    body=[
        "您于2026年11月23日提交的申请材料不齐全，请在下列期限内一次性补正以下全部材料。",
        "逾期未补正的，视为放弃申请。",
    ],
    rows=[
        ("事项名称", "残疾人两项补贴申请"),
        ("需补正材料", "1. 残疾人证复印件（缺）\n2. 银行卡复印件（模糊不清）"),
        ("补正期限", "2026年11月30日前"),
        ("受理人", "李四 <1号窗口> & 引导台"),
    ],
    qr_url="http://192.168.10.2:8080/c/0193a5b2",
)


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "notice.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_info(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout


@needs_poppler
def test_notice_carries_every_part_r_k2(tmp_path: Path) -> None:
    """R-K2: title, number, addressee, body, the key/value rows (all missing items), station,
    date and a seal area are in the PDF text, which pdftotext reads back as Chinese."""
    pdf = render_notice_pdf(CORRECTION)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    flat = "".join(text.split())  # lines wrap where the page is full
    for part in [
        "补正通知书",
        "编号：示范补〔2026〕0003号",
        "王五：",
        "请在下列期限内一次性补正以下全部材料",
        "残疾人两项补贴申请",
        "残疾人证复印件（缺）",
        "银行卡复印件（模糊不清）",
        "2026年11月30日前",
        "李四 <1号窗口> & 引导台",  # markup characters are escaped, not eaten
        "示范村便民服务站",
        "2026年11月23日",
        "（盖章）",
        "本通知书一式二份",
        "手机扫码查询办件进度",
    ]:
        assert "".join(part.split()) in flat, part


@needs_poppler
def test_notice_is_one_a4_page(tmp_path: Path) -> None:
    """R-K2: an ordinary notice is one A4 page (595 x 842 pt)."""
    info = pdf_info(render_notice_pdf(CORRECTION), tmp_path)
    assert "Pages:           1" in info
    assert "(A4)" in info
    assert "补正通知书 示范补〔2026〕0003号" in info  # PDF title


@needs_poppler
def test_long_notice_flows_onto_more_pages(tmp_path: Path) -> None:
    long = Notice(
        title="告知承诺书",
        number="N-1",
        station_name="示范村便民服务站",
        date="2026-11-23",
        body=[
            f"第{i}条 申请人承诺所提交的材料真实、合法、有效，如有虚假，愿承担相应法律责任。" * 3
            for i in range(1, 30)
        ],
    )
    info = pdf_info(render_notice_pdf(long), tmp_path)
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages >= 2
    text = pdf_text(render_notice_pdf(long), tmp_path)
    assert "第29条" in text and "（盖章）" in text


def test_notice_without_qr_or_rows() -> None:
    plain = Notice(
        title="不予受理通知书",
        number="N-2",
        station_name="站",
        date="2026-11-23",
        body=["理由：不属于本站受理范围。", "如不服，可依法申请行政复议或提起行政诉讼。"],
    )
    assert render_notice_pdf(plain).startswith(b"%PDF")


def test_chinese_date() -> None:
    assert chinese_date(date(2026, 1, 5)) == "2026年1月5日"
    assert chinese_date("2026-11-23") == "2026年11月23日"
    assert chinese_date("二〇二六年十一月") == "二〇二六年十一月"


def test_condensed_receipt_version_keeps_the_content_r_k2() -> None:
    """R-K2: without an A4 printer, the receipt version still lists every missing item,
    the deadline, the number, the station and the date (never verbal only)."""
    data, text = notice_receipt(CORRECTION, paper_mm=58)
    for part in [
        "补正通知书",
        "编号：示范补〔2026〕0003号",
        "需补正材料",
        "补正期限：2026年11月30日前",
        "示范村便民服务站",
        "2026年11月23日",
    ]:
        assert part.encode("gb18030") in data, part
    flat = "".join(text.split())
    assert "残疾人证复印件（缺）" in flat and "银行卡复印件（模糊不清）" in flat
    assert "完整版随案卷保存" in flat
    assert CORRECTION.qr_url is not None and CORRECTION.qr_url.encode() in data


def test_simulated_notice_printer_writes_the_pdf(tmp_path: Path) -> None:
    printer = SimulatedNoticePrinter(tmp_path / "notices")
    assert isinstance(printer, NoticePrinter)
    assert printer.status().ready
    pdf = render_notice_pdf(CORRECTION)
    printer.print_pdf(pdf, "job/7", title="补正通知书")
    written = printer.path_for("job/7", "补正通知书")
    assert written.parent == tmp_path / "notices" and written.read_bytes() == pdf
    assert written.name.endswith("-job_7.pdf")


def test_simulated_notice_printer_unwritable_is_unavailable(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    printer = SimulatedNoticePrinter(blocker / "notices")
    with pytest.raises(PrinterUnavailable, match="无法写入通知书目录"):
        printer.print_pdf(b"%PDF", "j1")


def test_fake_notice_printer_records_and_refuses() -> None:
    fake = FakeNoticePrinter()
    assert isinstance(fake, NoticePrinter)
    fake.print_pdf(b"%PDF-1", "j1", title="受理通知书")
    fake.set_state("media-empty")
    with pytest.raises(PrinterUnavailable) as refused:
        fake.print_pdf(b"%PDF-2", "j2")
    assert refused.value.state == "media-empty"
    assert [(p.job_id, p.copies) for p in fake.printed] == [("j1", 2)]
    assert fake.attempts == 2


def test_make_notice_printer_defaults_to_simulated(tmp_path: Path) -> None:
    station = make_station(tmp_path)
    try:
        printer = make_notice_printer(station.settings)
        assert isinstance(printer, SimulatedNoticePrinter)
        assert printer.directory == tmp_path / "notices"
    finally:
        station.services.close()
