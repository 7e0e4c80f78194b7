"""The condensed receipt version of an A4 notice (通知书小票版, R-K2) as ESC/POS bytes."""

from __future__ import annotations

import pytest

from appliance.documents.receipt import CUT, build_notice_receipt, notice_receipt_lines, text_width

LINES = [
    "编号：示范受〔2026〕0012号",
    "张三：",
    "您提交的城乡居民基本养老保险待遇领取申请，材料齐全，本站决定予以受理。",
    "---",
    "事项名称：城乡居民基本养老保险待遇领取",
    "承诺时限：5个工作日",
]
URL = "http://192.168.10.2:8080/c/42"


def test_notice_receipt_bytes_r_k2() -> None:
    """R-K2: reset + Chinese mode, the title at double size, GB18030 lines, QR, feed and cut."""
    data = build_notice_receipt("受理通知书", LINES, URL, 58)
    assert data.startswith(b"\x1b@\x1c&")
    assert data.endswith(b"\x1bd\x04" + CUT)
    assert b"\x1d!\x11" + "受理通知书".encode("gb18030") + b"\n\x1d!\x00" in data
    assert "编号：示范受〔2026〕0012号".encode("gb18030") in data
    assert "承诺时限：5个工作日".encode("gb18030") in data
    wide = build_notice_receipt("受理通知书", LINES, URL, 80)  # 38 columns: one line on 80 mm
    assert "事项名称：城乡居民基本养老保险待遇领取\n".encode("gb18030") in wide
    assert b"\x1d(k" in data and URL.encode() in data
    assert b"-" * 32 + b"\n" in data
    assert "完整版随案卷保存".encode("gb18030") in data


@pytest.mark.parametrize(("mm", "cols"), [(58, 32), (80, 48)])
def test_notice_receipt_lines_fit_the_paper_r_k2(mm: int, cols: int) -> None:
    """R-K2: every line fits the paper; the long body wraps instead of being cut."""
    lines = notice_receipt_lines("受理通知书", LINES, URL, mm)
    assert max(text_width(line) for line in lines) <= cols
    flat = "".join("".join(lines).split())
    assert "材料齐全，本站决定予以受理。" in flat
    assert lines.count("-" * cols) == 3  # after the title, the "---" line, before the QR


def test_notice_receipt_without_qr() -> None:
    data = build_notice_receipt("不予受理通知书", ["理由：不属于本站受理范围。"])
    assert b"\x1d(k" not in data
    assert "[二维码]" not in notice_receipt_lines("不予受理通知书", ["x"])
