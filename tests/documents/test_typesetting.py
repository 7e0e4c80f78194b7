"""Notice typesetting (R-K2): 避头尾 line breaking, GB/T 9704 faces, small PDFs, 凭证 footer."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from appliance.documents.linebreak import CANNOT_END, CANNOT_START, line_ends, wrap
from appliance.documents.notices import build_notice
from appliance.documents.notices.samples import ACCEPTANCE, SAMPLES
from appliance.documents.pdf import UKAI, UMING, render_notice_pdf

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
MAX_NOTICE_BYTES = 250_000  # subset fonts: a one-page notice is ~80–160 KB with UKai/UMing


def run(tool: str, pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "notice.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        [tool, str(path), "-"][: 3 if tool == "pdftotext" else 2],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_closing_punctuation_never_begins_a_line_r_k2() -> None:
    """The comma that would start line 2 takes the character before it down with it."""
    assert wrap("符合法定形式，本站决定予以受理。", 6) == [
        "符合法定形",
        "式，本站决定",
        "予以受理。",
    ]
    for text in [
        "申请材料齐全，符合法定形式。",
        "请于12月7日前补正：身份证、户口簿！",
        "一二三四五）。",
    ]:
        for width in range(3, 9):  # two closing marks in a row need a line of three
            lines = wrap(text, width)
            assert "".join(lines) == text
            assert all(line[0] not in CANNOT_START for line in lines), (text, width, lines)


def test_opening_punctuation_never_ends_a_line() -> None:
    assert wrap("材料清单（见下表）", 3) == ["材料清", "单（见", "下表）"]
    assert wrap("材料（见下表）", 3) == ["材料", "（见下", "表）"]  # not "材料（"
    for width in range(2, 9):
        lines = wrap("办理《残疾人证》和「低保」认定", width)
        assert all(line[-1] not in CANNOT_END for line in lines), (width, lines)


def test_numbers_and_dashes_stay_whole_when_they_can() -> None:
    assert wrap("编号2026年", 3) == ["编号", "2026年"]  # not "编号20 / 26年"
    assert wrap("甲乙——丙", 2.5) == ["甲乙", "——丙"]  # not "甲乙— / —丙"
    assert wrap("https://example.org", 3)[0] == "https:"  # longer than a line: broken anyway


def test_line_ends_honours_hard_breaks_and_line_widths() -> None:
    chars = list("一二三四五六七")
    assert line_ends(chars, [1.0] * 7, [3.0]) == [3, 6, 7]
    assert line_ends(chars, [1.0] * 7, [2.0, 4.0]) == [2, 6, 7]  # first line indented
    assert line_ends(chars, [1.0] * 7, [10.0], forced={1}) == [2, 7]
    assert line_ends([], [], [3.0]) == []
    assert line_ends(["，"], [1.0], [0.5]) == [1]  # always progresses


@needs_poppler
@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_no_printed_line_begins_with_closing_punctuation_r_k2(kind: str, tmp_path: Path) -> None:
    """Read back with pdftotext: no line of any notice starts with ，。、 … or ends with （《 …"""
    text = run("pdftotext", render_notice_pdf(build_notice(kind, SAMPLES[kind])), tmp_path)
    lines = [line for line in text.splitlines() if line.strip()]
    assert [line for line in lines if line[0] in CANNOT_START] == []
    assert [line for line in lines if line[-1] in CANNOT_END] == []


@needs_poppler
def test_acceptance_sentence_is_never_split_before_its_comma_r_k2(tmp_path: Path) -> None:
    """Issue 16/17: "…法定形式 / ，本站决定予以受理". Item names of 4 to 40 characters move the
    comma through every place of the ~37-character line; it never begins one."""
    for pad in range(37):
        item = "高龄津贴" + "甲" * pad
        data = replace(ACCEPTANCE, case=replace(ACCEPTANCE.case, item_name=item))
        text = run("pdftotext", render_notice_pdf(build_notice("acceptance", data)), tmp_path)
        assert "符合法定形式，本站决定予以受理" in "".join(text.split())
        assert not any(line.startswith("，") for line in text.splitlines()), (pad, text)


@needs_poppler
def test_title_in_song_and_body_in_kai_faces_embedded_as_subsets_r_k2(tmp_path: Path) -> None:
    """GB/T 9704: a Song face (AR PL UMing) for the title, the 仿宋-like AR PL UKai for the
    body; both embedded as subsets, so the PDF stays small."""
    if not (UMING[0].exists() and UKAI[0].exists()):
        pytest.skip("fonts-arphic-uming / fonts-arphic-ukai missing (scripts/bootstrap.sh)")
    pdf = render_notice_pdf(build_notice("acceptance", ACCEPTANCE))
    fonts = run("pdffonts", pdf, tmp_path).splitlines()[2:]
    faces = {line.split()[0].split("+")[-1].rsplit("-", 1)[0]: line.split() for line in fonts}
    assert {"UMingCN", "UKaiCN"} <= set(faces)
    for face in ("UMingCN", "UKaiCN"):
        assert faces[face][-5:-2] == ["yes", "yes", "yes"]  # emb sub uni
    assert "WenQuanYiZenHei" not in faces


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_notice_pdfs_stay_small(kind: str) -> None:
    assert len(render_notice_pdf(build_notice(kind, SAMPLES[kind]))) < MAX_NOTICE_BYTES


@needs_poppler
def test_receipt_of_materials_calls_itself_a_voucher(tmp_path: Path) -> None:
    """收件凭证 is a 凭证: its footer says 本凭证一式二份, never 本通知书."""
    text = "".join(
        run(
            "pdftotext", render_notice_pdf(build_notice("receipt", SAMPLES["receipt"])), tmp_path
        ).split()
    )
    assert "本凭证一式二份" in text and "本通知书" not in text


@needs_poppler
def test_missing_faces_fall_back_to_wenquanyi(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A station image without fonts-arphic-* still prints: WenQuanYi Zen Hei takes over
    (typeset in this process, where the faces can be taken away)."""
    from appliance.documents import typeset

    monkeypatch.setattr(typeset, "TITLE_FACES", ((tmp_path / "none.ttc", "NoSongFace"),))
    monkeypatch.setattr(typeset, "BODY_FACES", ((tmp_path / "none.ttc", "NoKaiFace"),))
    notice = build_notice("acceptance", ACCEPTANCE)
    fonts = run("pdffonts", typeset.typeset_notice(notice), tmp_path)
    assert "WenQuanYiZenHei" in fonts and "UKaiCN" not in fonts and "UMingCN" not in fonts
