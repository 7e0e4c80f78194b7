"""Render what a villager gets on paper, for docs/: the ticket receipt and a sample notice.

    .venv/bin/python scripts/render_docs_images.py [OUT_DIR]

writes ``receipt.png`` (our ESC/POS bytes interpreted by :mod:`appliance.documents.receipt_png`, 58 mm) and
``notice-sample.png`` (the A4 PDF through ``pdftoppm -r 70 -png``) into OUT_DIR (default
``docs/``).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from appliance.documents.pdf import Notice, render_notice_pdf  # noqa: E402
from appliance.documents.receipt import build_receipt, progress_url  # noqa: E402
from appliance.documents.receipt_png import save_receipt_png  # noqa: E402

STATION = "示范村便民服务站"
TICKET = {
    "id": "0193a5b2-7c1d-7e00-8000-000000000001",
    "number": "A007",
    "category_name": "社保医保",
    "priority": "normal",
    "issued_at": "2026-11-23 01:05:00+00:00",
    "people_ahead": 3,
    "est_wait_min": 24,
    "serving_windows": [1, 2],
    "closing_warning": None,
}
NOTICE = Notice(
    title="受理通知书",
    number="示范受〔2026〕0012号",
    station_name=STATION,
    date="2026-11-23",
    addressee="张三",
    body=[
        "您于2026年11月23日提交的城乡居民基本养老保险待遇领取申请，经审查，申请材料齐全、"
        "符合法定形式，本站决定予以受理。",
        "承诺办结时限为5个工作日（不含法定节假日），请于2026年11月30日后凭本通知书到本站"
        "领取办理结果，或扫描下方二维码查询办件进度。",
    ],
    rows=[
        ("事项名称", "城乡居民基本养老保险待遇领取"),
        ("申请人", "张三"),
        ("受理人", "李四（1号窗口）"),
        ("已收材料", "1. 居民身份证复印件\n2. 户口簿复印件\n3. 银行卡复印件"),
        ("承诺时限", "5个工作日，2026年11月30日前办结"),
        ("咨询电话", "0371-12345678"),
    ],
    qr_url="http://192.168.10.2:8080/c/0193a5b2-7c1d-7e00-8000-000000000001",
)


def render(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    url = progress_url("http://192.168.10.2:8080", str(TICKET["id"]))
    receipt = save_receipt_png(build_receipt(TICKET, STATION, url, 58), out_dir / "receipt.png")
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise SystemExit("pdftoppm not found: apt-get install poppler-utils")
    notice = out_dir / "notice-sample.png"
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "notice.pdf"
        pdf.write_bytes(render_notice_pdf(NOTICE))
        subprocess.run(
            [pdftoppm, "-r", "70", "-png", "-singlefile", str(pdf), str(notice.with_suffix(""))],
            check=True,
        )
    return [receipt, notice]


def main(argv: list[str]) -> int:
    out_dir = Path(argv[1]) if len(argv) > 1 else ROOT / "docs"
    for path in render(out_dir):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
