"""Voice calling (语音叫号, R-Q3): which prerecorded clips make up an announcement.

Pure functions, no I/O. A call "请 A023 号到 2 号窗口办理" is the clip sequence::

    ding qing letter_A digit_0 digit_2 digit_3 hao dao num_2 hao chuangkou banli

How numbers are read:

- **Ticket numbers** are read character by character, the way Chinese service halls do:
  a letter by its (Chinese-style) English letter name, each digit on its own, zeros
  included: A023 → "A 零 二 三". Each digit is a ``digit_N`` clip, so a station that
  prefers "幺" for 1 (to tell it from 七 over a noisy hall) only re-records ``digit_1``.
- **Window numbers** are read as a Chinese number from 1 to 99 with the ``num_N`` clips:
  2 → "二", 10 → "十", 12 → "十二", 20 → "二十", 99 → "九十九" (``num_10`` is "十").
  A window is "二号窗口", never "两号窗口", so ``num_2`` is "二".

Every announcement starts with a chime (``ding``) so the hall looks up before the words.
A recall (重呼) says "再次呼叫" before the same call.
"""

from __future__ import annotations

import string
from collections.abc import Sequence

CHIME = "ding"
RECALL_PREFIX = "zaici_hujiao"
MIN_WINDOW = 1
MAX_WINDOW = 99

LETTERS = tuple(string.ascii_uppercase)
DIGITS = tuple(string.digits)

_DIGIT_HANZI = "零一二三四五六七八九"


def letter_clip(letter: str) -> str:
    return f"letter_{letter.upper()}"


def digit_clip(digit: str) -> str:
    return f"digit_{digit}"


def num_clip(n: int) -> str:
    return f"num_{n}"


CLIP_TEXTS: dict[str, str] = {
    CHIME: "（提示音）",
    "qing": "请",
    "hao": "号",
    "dao": "到",
    "chuangkou": "窗口",
    "banli": "办理",
    RECALL_PREFIX: "再次呼叫",
    **{letter_clip(c): c for c in LETTERS},
    **{digit_clip(d): _DIGIT_HANZI[int(d)] for d in DIGITS},
    **{num_clip(n): _DIGIT_HANZI[n] for n in range(1, 10)},
    num_clip(10): "十",
}
"""Every clip a voice pack must hold, with the Chinese text it says."""

REQUIRED_CLIPS: frozenset[str] = frozenset(CLIP_TEXTS)


class AnnouncementError(ValueError):
    """A ticket or window number that cannot be announced; the message is Chinese."""


def window_number_clips(window: int) -> list[str]:
    """A window number 1–99 read as a Chinese number: 12 → ["num_10", "num_2"] (十二)."""
    if isinstance(window, bool) or not isinstance(window, int):
        raise AnnouncementError(f"窗口号必须是整数：{window!r}")
    if not MIN_WINDOW <= window <= MAX_WINDOW:
        raise AnnouncementError(
            f"窗口号 {window} 无法播报：只支持 {MIN_WINDOW}–{MAX_WINDOW} 号窗口"
        )
    tens, units = divmod(window, 10)
    clips: list[str] = []
    if tens > 1:
        clips.append(num_clip(tens))
    if tens >= 1:
        clips.append(num_clip(10))
    if units:
        clips.append(num_clip(units))
    return clips


def ticket_number_clips(number: str) -> list[str]:
    """A ticket number read one character at a time: "A023" → letter_A digit_0 digit_2 digit_3."""
    text = number.strip()
    if not text:
        raise AnnouncementError("号码为空，无法播报")
    clips: list[str] = []
    for ch in text:
        if ch in DIGITS:
            clips.append(digit_clip(ch))
        elif ch.upper() in LETTERS:
            clips.append(letter_clip(ch))
        else:
            raise AnnouncementError(f"号码“{number}”含有无法播报的字符“{ch}”：只支持字母和数字")
    return clips


def call_clips(number: str, window: int, *, chime: bool = True) -> list[str]:
    """Clips for "请 <number> 号到 <window> 号窗口办理", led by the chime."""
    clips = [CHIME] if chime else []
    clips += ["qing", *ticket_number_clips(number), "hao"]
    clips += ["dao", *window_number_clips(window), "hao", "chuangkou", "banli"]
    return clips


def recall_clips(number: str, window: int, *, chime: bool = True) -> list[str]:
    """Clips for a recall (重呼): "再次呼叫，请 <number> 号到 <window> 号窗口办理"."""
    body = call_clips(number, window, chime=False)
    return ([CHIME] if chime else []) + [RECALL_PREFIX, *body]


def clips_text(clips: Sequence[str]) -> str:
    """The words a clip sequence says, for logs and captions: "请A零二三号到二号窗口办理"."""
    words = [CLIP_TEXTS.get(c, f"[{c}]") for c in clips if c != CHIME]
    text = "".join(words)
    return text.replace("再次呼叫", "再次呼叫，", 1)
