"""Station codes without look-alikes (issue 16/17): O/0 and I/1 on printed notices."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from appliance.documents.notices import build_notice
from appliance.documents.notices.samples import SAMPLES
from appliance.documents.pdf import MONO, mono_markup, render_notice_pdf
from appliance.documents.station_code import (
    CODE_ALPHABET,
    is_new_station_code,
    station_code_problem,
)


def test_code_alphabet_has_no_look_alikes() -> None:
    assert "O" not in CODE_ALPHABET and "I" not in CODE_ALPHABET
    assert set("0123456789") <= set(CODE_ALPHABET) and len(CODE_ALPHABET) == 34


@pytest.mark.parametrize("code", ["410101001", "SF01", "XC2026", "ZZ"])
def test_new_station_codes_in_the_alphabet_are_accepted(code: str) -> None:
    assert station_code_problem(code) is None and is_new_station_code(code)


@pytest.mark.parametrize(
    ("code", "says"),
    [
        ("DEMO01", "字母 O 与数字 0"),
        ("LI01", "字母 I 与数字 1"),
        ("demo", "只能用数字和大写字母"),
        ("AB-01", "不允许的字符 -"),
        ("A", "2–16 位"),
        ("A" * 17, "2–16 位"),
    ],
)
def test_new_station_codes_with_look_alikes_are_refused(code: str, says: str) -> None:
    problem = station_code_problem(code)
    assert problem is not None and code in problem and says in problem
    assert not is_new_station_code(code)


def test_mono_markup_puts_only_latin_runs_in_the_dotted_zero_face() -> None:
    if not MONO[0].exists():
        pytest.skip("fonts-dejavu-core missing")
    markup = mono_markup("示范补〔2026〕0003号 <&>")
    assert markup.count('<font name="DejaVuSansMono">') == 3
    assert "示范补〔" in markup and "&lt;&amp;&gt;" in markup


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils missing")
def test_case_number_prints_in_the_dotted_zero_face(tmp_path: Path) -> None:
    """The number line uses DejaVu Sans Mono (0 has a dot, O has none); the text is unchanged."""
    if not MONO[0].exists():
        pytest.skip("fonts-dejavu-core missing")
    path = tmp_path / "n.pdf"
    notice = build_notice("acceptance", SAMPLES["acceptance"])
    path.write_bytes(render_notice_pdf(notice))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "DejaVuSansMono" in fonts
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert f"编号：{notice.number}" in text
