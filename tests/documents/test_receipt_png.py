"""The receipt preview reads back our own ESC/POS bytes (R-Q2: what a villager gets)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from appliance.documents.receipt import build_notice_receipt, build_receipt, receipt_lines, wrap
from appliance.documents.receipt_png import (
    Cut,
    Feed,
    QrSymbol,
    TextLine,
    UnsupportedCommand,
    parse_escpos,
    render_receipt_png,
    save_receipt_png,
)
from tests.documents.test_receipt import STATION, URL, ticket


@pytest.mark.parametrize(("mm", "module"), [(58, 6), (80, 8)])
def test_interpreter_sees_the_receipt_we_built_r_q2(mm: int, module: int) -> None:
    """R-Q2: decoding the bytes gives back the text lines of receipt_lines, in order, the
    number at 8x, the QR payload, then the feed and the cut."""
    elements = parse_escpos(build_receipt(ticket(), STATION, URL, mm))
    texts = [e.text for e in elements if isinstance(e, TextLine) and e.text]
    url_lines = set(wrap(URL, {58: 32, 80: 48}[mm]))
    expected = [
        line.strip()
        for line in receipt_lines(ticket(), STATION, URL, paper_mm=mm)
        if line != "[二维码]" and line not in url_lines
    ]
    assert texts == expected
    number = next(e for e in elements if isinstance(e, TextLine) and e.text == "A007")
    assert (number.width_mag, number.height_mag, number.bold, number.align) == (8, 8, True, 1)
    [qr] = [e for e in elements if isinstance(e, QrSymbol)]
    assert (qr.data, qr.module, qr.ecc) == (URL.encode(), module, 49)
    assert elements[-2:] == [Feed(4), Cut(partial=True)]


def test_unknown_bytes_are_refused() -> None:
    with pytest.raises(UnsupportedCommand):
        parse_escpos(b"\x1b@\x1bt\x00")
    with pytest.raises(UnsupportedCommand):
        parse_escpos(b"\x1d(k\x03\x00\x31\x60\x00")


@pytest.mark.parametrize(("mm", "dots"), [(58, 384), (80, 576)])
def test_png_is_as_wide_as_the_paper(mm: int, dots: int) -> None:
    image = render_receipt_png(build_receipt(ticket(), STATION, URL, mm), mm, margin=10)
    assert image.width == dots + 20
    assert image.height > 600
    paper = image.crop((10, 10, 10 + dots, image.height - 10)).convert("L")
    dark = sum(paper.histogram()[:128]) / (paper.width * paper.height)
    assert 0.05 < dark < 0.5  # text and QR printed, not a black box


def test_notice_receipt_renders(tmp_path: Path) -> None:
    data = build_notice_receipt(
        "补正通知书", ["编号：N-3", "需补正材料：户口簿复印件"], "http://x/c/1"
    )
    path = save_receipt_png(data, tmp_path / "notice.png")
    with Image.open(path) as image:
        assert image.format == "PNG" and image.width == 384 + 48
    texts = [e.text for e in parse_escpos(data) if isinstance(e, TextLine)]
    assert "补正通知书" in texts and "需补正材料：户口簿复印件" in texts
