"""Render a realistic sample of every notice kind to docs/notices/<kind>.png (R-K2, R-C4).

Usage: ``python scripts/render_notice_samples.py [outdir]`` — needs poppler-utils (pdftoppm).
Multi-page notices get ``<kind>-2.png`` … for the following pages.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from appliance.documents.notices import NOTICE_KINDS
from appliance.documents.notices.samples import SAMPLES
from appliance.documents.pdf import render_notice_pdf

ROOT = Path(__file__).resolve().parent.parent


def main(outdir: Path = ROOT / "docs" / "notices") -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    for old in outdir.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        for kind, data in SAMPLES.items():
            pdf = Path(tmp) / f"{kind}.pdf"
            pdf.write_bytes(render_notice_pdf(NOTICE_KINDS[kind].build(data)))
            prefix = Path(tmp) / kind
            subprocess.run(["pdftoppm", "-r", "70", "-png", str(pdf), str(prefix)], check=True)
            pages = sorted(Path(tmp).glob(f"{kind}-*.png"))
            for i, page in enumerate(pages, start=1):
                name = f"{kind}.png" if i == 1 else f"{kind}-{i}.png"
                page.replace(outdir / name)
                print(outdir / name)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "notices")
