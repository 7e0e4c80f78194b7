"""Queue ticket receipt (排队小票) as ESC/POS bytes and plain text (R-Q2)."""

from __future__ import annotations

from typing import Any

import pytest

from appliance.documents.receipt import (
    CUT,
    SIZE_NUMBER,
    build_receipt,
    magnified,
    progress_url,
    receipt_lines,
    text_width,
    wrap,
)

STATION = "示范村便民服务站"
URL = progress_url("http://192.168.10.2:8080/", "0193a5b2-7c1d-7e00-8000-000000000001")


def ticket(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "0193a5b2-7c1d-7e00-8000-000000000001",
        "number": "A007",
        "category_id": "c1",
        "category_name": "社保医保",
        "status": "waiting",
        "status_label": "等候中",
        "priority": "normal",
        "priority_label": "普通",
        "source": "button",
        "business_date": "2026-11-23",
        # as queue_service writes it: json.dumps(default=str) of an aware UTC datetime
        "issued_at": "2026-11-23 01:05:00+00:00",
        "people_ahead": 3,
        "est_wait_min": 24,
        "serving_windows": [1, 2],
        "closing_warning": None,
    }
    base.update(changes)
    return base


def qr_store_segment(data: bytes) -> tuple[int, bytes]:
    """Find ``GS ( k pL pH 31 50 30`` and return the declared length and the stored data."""
    start = data.index(b"\x1d(k")
    while data[start + 5 : start + 8] != b"\x31\x50\x30":
        start = data.index(b"\x1d(k", start + 1)
    declared = data[start + 3] + 256 * data[start + 4]
    payload = data[start + 8 : start + 8 + declared - 3]
    return declared, payload


def test_byte_stream_starts_with_init_and_chinese_mode_and_ends_with_cut_r_q2() -> None:
    """R-Q2: ESC @ then FS & (Chinese mode) first; feed then GS V cut last."""
    data = build_receipt(ticket(), STATION, URL)
    assert data.startswith(b"\x1b@\x1c&")
    assert data.endswith(b"\x1bd\x04" + CUT)
    assert CUT == b"\x1dV\x42\x00"
    assert data.count(b"\x1b@") == 1


def test_chinese_text_is_gb18030_r_q2() -> None:
    """R-Q2: station, category, people ahead, windows, wait and local issue time in GB18030."""
    data = build_receipt(ticket(), STATION, URL)
    for text in [
        STATION,
        "业务：社保医保",
        "前面还有 3 人",
        "请留意 1、2 号窗口",
        "预计等候约 24 分钟",
        "取号时间：2026-11-23 09:05",  # 01:05 UTC is 09:05 in Asia/Shanghai
    ]:
        assert text.encode("gb18030") in data, text
    assert "示范村".encode() not in data  # not UTF-8
    assert b"?" not in data.replace(URL.encode(), b"")  # nothing replaced by "?"


def test_ticket_number_is_printed_at_8x_r_q2() -> None:
    """R-Q2 (issue: the number at 8x): GS ! 0x77 right before the number, normal size after."""
    for mm in (58, 80):
        data = build_receipt(ticket(), STATION, URL, mm)
        big = b"\x1d!\x77A007\n\x1d!\x00"
        assert big in data
        assert data.index(STATION.encode("gb18030")) < data.index(big)
        assert "A007" in [line.strip() for line in receipt_lines(ticket(), STATION, paper_mm=mm)]


def test_long_ticket_number_shrinks_to_one_line_r_q2() -> None:
    """R-Q2: a 5-character number cannot fit 58 mm at 8x (40 > 32 columns): 6x, never wrapped."""
    assert magnified(8) == SIZE_NUMBER == 0x77 and magnified(1) == 0
    data = build_receipt(ticket(number="AB123"), STATION, URL, 58)
    assert b"\x1d!\x55AB123\n\x1d!\x00" in data  # 6 x 5 = 30 columns
    assert b"\x1d!\x77AB123\n" in build_receipt(ticket(number="AB123"), STATION, URL, 80)
    lines = [line.strip() for line in receipt_lines(ticket(number="AB123"), STATION)]
    assert "AB123" in lines


def test_qr_code_commands_and_lengths_r_q2() -> None:
    """R-Q2: QR model 2, module size, ECC, store (pL pH = len + 3) and print, in that order."""
    data = build_receipt(ticket(), STATION, URL)
    model = b"\x1d(k\x04\x00\x31\x41\x32\x00"
    size = b"\x1d(k\x03\x00\x31\x43\x06"
    ecc = b"\x1d(k\x03\x00\x31\x45\x31"
    printing = b"\x1d(k\x03\x00\x31\x51\x30"
    positions = [data.index(part) for part in (model, size, ecc)]
    declared, payload = qr_store_segment(data)
    assert payload == URL.encode("ascii")
    assert declared == len(URL) + 3
    store_at = data.index(b"\x31\x50\x30" + payload)
    assert positions == sorted(positions) and positions[-1] < store_at < data.index(printing)
    assert URL == "http://192.168.10.2:8080/t/0193a5b2-7c1d-7e00-8000-000000000001"


def test_long_qr_data_uses_high_length_byte_r_q2() -> None:
    """R-Q2: a QR payload over 252 bytes sets pH."""
    long_url = "http://station.example/" + "x" * 300
    declared, payload = qr_store_segment(build_receipt(ticket(), STATION, long_url))
    assert declared == len(long_url) + 3 and declared > 255
    assert payload == long_url.encode()


def test_priority_and_closing_warning_are_printed_r_q2_r_q5() -> None:
    """R-Q2, R-Q5: a priority label and the closing warning appear when present."""
    warning = "距下班不足 30 分钟，今日可能无法办结"
    t = ticket(priority="vulnerable", priority_label="老弱病残孕优先", closing_warning=warning)
    data = build_receipt(t, STATION, URL)
    assert "【老弱病残孕优先】".encode("gb18030") in data
    text = "".join(receipt_lines(t, STATION))
    assert "老弱病残孕优先" in text
    assert "".join(warning.split()) in "".join(text.split())
    plain = build_receipt(ticket(), STATION, URL)
    assert "优先".encode("gb18030") not in plain
    assert "提示".encode("gb18030") not in plain


def test_58mm_lines_fit_32_columns_and_80mm_48_r_q2() -> None:
    """R-Q2: plain text lines fit the paper; the rule is the full width."""
    long_name = "河南省某某县某某镇某某村党群便民服务站"
    t = ticket(closing_warning="距下班不足 30 分钟，今日可能无法办结，可改日再来或预约办理")
    for mm, cols in ((58, 32), (80, 48)):
        lines = receipt_lines(t, long_name, URL, paper_mm=mm)
        assert "-" * cols in lines
        assert max(text_width(line) for line in lines) <= cols
        data = build_receipt(t, long_name, URL, mm)
        assert b"-" * cols + b"\n" in data
        assert b"-" * (cols + 1) not in data
    assert b"\x1d(k\x03\x00\x31\x43\x08" in build_receipt(t, STATION, URL, 80)


def test_80mm_keeps_lines_that_58mm_wraps_r_q2() -> None:
    """R-Q2: the same warning takes fewer lines on 80 mm paper (34 columns with its label)."""
    t = ticket(closing_warning="今日可能无法办结，请改日再来")
    assert len(receipt_lines(t, STATION, paper_mm=80)) < len(receipt_lines(t, STATION))


def test_receipt_lines_content_and_order_r_q2() -> None:
    """R-Q2: the plain text shows every item a villager needs, station first."""
    lines = [line.strip() for line in receipt_lines(ticket(), STATION, URL)]
    assert lines[0] == STATION
    for expected in [
        "A007",
        "业务：社保医保",
        "前面还有 3 人",
        "请留意 1、2 号窗口",
        "预计等候约 24 分钟",
        "取号时间：2026-11-23 09:05",
    ]:
        assert expected in lines
    assert lines.index("A007") < lines.index("前面还有 3 人")
    assert "[二维码]" in lines


def test_no_serving_window_points_to_the_display_r_q2() -> None:
    """R-Q2: without a serving window the receipt points to the hall display."""
    assert "请留意大厅叫号屏" in [
        x.strip() for x in receipt_lines(ticket(serving_windows=[]), STATION)
    ]


def test_unsupported_paper_width_is_refused() -> None:
    with pytest.raises(ValueError, match="58 或 80"):
        build_receipt(ticket(), STATION, URL, paper_mm=76)


def test_wrap_never_starts_a_line_with_closing_punctuation() -> None:
    lines = wrap("一二三四五，六七", 10)
    assert lines == ["一二三四", "五，六七"]
    assert all(text_width(line) <= 10 for line in lines)


def test_receipt_is_small() -> None:
    """A full receipt stays well under a kilobyte (PITFALLS: about 230 bytes plus the QR)."""
    assert len(build_receipt(ticket(), STATION, URL)) < 700
