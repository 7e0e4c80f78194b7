"""Voice calling (R-Q3): clip sequences, Chinese number reading and the default voice pack."""

from __future__ import annotations

import io
import shutil
import wave
from pathlib import Path

import pytest

from hw.voice.announce import (
    LETTERS,
    REQUIRED_CLIPS,
    AnnouncementError,
    call_clips,
    clips_text,
    recall_clips,
    window_number_clips,
)
from hw.voice.pack import DEFAULT_PACK_DIR, PACK_FILE, VoicePack, VoicePackError

A023_AT_2 = [
    "ding", "qing", "letter_A", "digit_0", "digit_2", "digit_3", "hao",
    "dao", "num_2", "hao", "chuangkou", "banli",
]  # fmt: skip


def test_call_a023_at_window_2() -> None:
    """R-Q3: 请 A023 号到 2 号窗口办理, after the chime."""
    assert call_clips("A023", 2) == A023_AT_2
    assert call_clips("A023", 2, chime=False) == A023_AT_2[1:]
    assert clips_text(A023_AT_2) == "请A零二三号到二号窗口办理"


def test_call_b100_at_window_12() -> None:
    """R-Q3: ticket digits one by one (一零零), the window as a number (十二)."""
    assert call_clips("B100", 12) == [
        "ding", "qing", "letter_B", "digit_1", "digit_0", "digit_0", "hao",
        "dao", "num_10", "num_2", "hao", "chuangkou", "banli",
    ]  # fmt: skip
    assert clips_text(call_clips("B100", 12)) == "请B一零零号到十二号窗口办理"


def test_recall_says_again_before_the_same_call() -> None:
    """R-Q3: a recall (重呼) is "再次呼叫，" plus the call, after one chime."""
    clips = recall_clips("A023", 2)
    assert clips == ["ding", "zaici_hujiao", *A023_AT_2[1:]]
    assert clips_text(clips) == "再次呼叫，请A零二三号到二号窗口办理"


def test_lowercase_and_two_letter_prefixes() -> None:
    assert call_clips("ab7", 1)[1:5] == ["qing", "letter_A", "letter_B", "digit_7"]


@pytest.mark.parametrize(
    ("window", "spoken"),
    [
        (1, ["num_1"]),
        (9, ["num_9"]),
        (10, ["num_10"]),
        (11, ["num_10", "num_1"]),
        (12, ["num_10", "num_2"]),
        (20, ["num_2", "num_10"]),
        (21, ["num_2", "num_10", "num_1"]),
        (99, ["num_9", "num_10", "num_9"]),
    ],
)
def test_window_numbers_read_in_chinese(window: int, spoken: list[str]) -> None:
    assert window_number_clips(window) == spoken


def test_every_window_1_to_99_reads_as_its_chinese_number() -> None:
    expected = "一二三四五六七八九"
    for w in range(1, 100):
        tens, units = divmod(w, 10)
        words = ("" if tens < 2 else expected[tens - 1]) + ("十" if tens else "")
        words += expected[units - 1] if units else ""
        assert clips_text(window_number_clips(w)) == words


@pytest.mark.parametrize("window", [0, 100, -3])
def test_window_out_of_range_is_refused_in_chinese(window: int) -> None:
    with pytest.raises(AnnouncementError, match="窗口号"):
        call_clips("A001", window)


@pytest.mark.parametrize("number", ["", "  ", "A-01", "甲01"])
def test_unspeakable_ticket_numbers_are_refused(number: str) -> None:
    with pytest.raises(AnnouncementError, match="号码"):
        call_clips(number, 1)


def test_default_pack_has_every_clip_any_call_could_need() -> None:
    """R-Q3: all letters, digits and window numbers 1–99, in one format, under 2 MB."""
    pack = VoicePack(DEFAULT_PACK_DIR)
    for clip in REQUIRED_CLIPS:
        assert pack.clip_path(clip).is_file(), clip
    needed: set[str] = set()
    for window in range(1, 100):
        for letter in LETTERS:
            needed.update(call_clips(f"{letter}0123456789", window))
            needed.update(recall_clips(f"{letter}1", window))
    assert needed <= REQUIRED_CLIPS
    pack.check_clips(sorted(needed))
    assert (pack.format.sample_rate, pack.format.sample_width, pack.format.channels) == (
        16000,
        2,
        1,
    )
    total = sum(p.stat().st_size for p in DEFAULT_PACK_DIR.glob("*.wav"))
    assert total < 2 * 1024 * 1024
    for clip in REQUIRED_CLIPS:
        assert 0.1 < pack.clip_seconds(clip) < 2.0, clip  # trimmed, yet not empty


def test_concatenation_is_one_wav_lasting_the_clips_plus_gaps() -> None:
    pack = VoicePack(DEFAULT_PACK_DIR)
    clips = call_clips("A023", 2)
    data = pack.concatenate(clips)
    with wave.open(io.BytesIO(data), "rb") as w:
        assert (w.getframerate(), w.getsampwidth(), w.getnchannels()) == (16000, 2, 1)
        seconds = w.getnframes() / w.getframerate()
    expected = sum(pack.clip_seconds(c) for c in clips) + (len(clips) - 1) * pack.gap_ms / 1000
    assert seconds == pytest.approx(expected, abs=0.002)
    assert seconds == pytest.approx(pack.duration(clips), abs=0.002)
    assert pack.gap_ms > 0


def copy_pack(tmp_path: Path) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK_DIR, target)
    return target


def test_missing_clips_give_a_clear_chinese_error(tmp_path: Path) -> None:
    pack_dir = copy_pack(tmp_path)
    (pack_dir / "letter_Q.wav").unlink()
    (pack_dir / "digit_7.wav").unlink()
    with pytest.raises(VoicePackError) as err:
        VoicePack(pack_dir)
    assert err.value.missing == ("digit_7", "letter_Q")
    assert "缺少 2 个语音片段" in err.value.message
    assert "digit_7、letter_Q" in err.value.message
    # a pack checked only for what one call needs still works, and names what a call lacks
    pack = VoicePack(pack_dir, required=call_clips("A023", 2))
    with pytest.raises(VoicePackError, match="letter_Q"):
        pack.concatenate(call_clips("Q7", 2))


def test_missing_pack_toml_and_wrong_formats_are_named(tmp_path: Path) -> None:
    pack_dir = copy_pack(tmp_path)
    (pack_dir / PACK_FILE).unlink()
    with pytest.raises(VoicePackError, match="pack.toml"):
        VoicePack(pack_dir)
    with pytest.raises(VoicePackError, match="找不到语音包目录"):
        VoicePack(tmp_path / "nowhere")

    pack_dir = copy_pack(tmp_path / "b")
    with wave.open(str(pack_dir / "hao.wav"), "wb") as w:  # a clip recorded at 44.1 kHz
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(44100)
        w.writeframes(b"\x00\x00" * 4410)
    with pytest.raises(VoicePackError, match="hao.*采样率"):
        VoicePack(pack_dir)

    (pack_dir / "hao.wav").write_bytes(b"not a wav at all")
    with pytest.raises(VoicePackError, match="hao.wav 不是可用的 PCM WAV"):
        VoicePack(pack_dir)
