#!/usr/bin/env python3
"""Generate the default voice pack (默认语音包) into ``hw/voice/default/`` with espeak-ng.

Run once by a developer; the WAVs are committed, so stations need neither espeak-ng nor sox.

    .venv/bin/python scripts/make_voice_pack.py [--out DIR] [--preview call.wav]

- Words and digits use espeak-ng's Mandarin voice ``cmn-latn-pinyin`` fed with tone-numbered
  pinyin ("chuang1 kou3"). Debian's ``cmn`` dictionary lacks many common characters (请, 号,
  办, 理 …) and spells them out as English, so pinyin input is what makes ``cmn`` speak.
- Letters use the ``cmn`` voice, which reads a Latin letter by its English name the way
  Chinese halls announce "A 零 二 三".
- The chime (``ding``) is a two-note 叮咚 synthesised here in pure Python.
- Every clip is converted by sox to 16 kHz mono 16-bit, silence trimmed at both ends and
  normalised, then rewritten with Python's ``wave`` module (plain PCM header).
"""

from __future__ import annotations

import argparse
import math
import shutil
import struct
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hw.voice.announce import (  # noqa: E402
    CHIME,
    CLIP_TEXTS,
    DIGITS,
    LETTERS,
    RECALL_PREFIX,
    call_clips,
    digit_clip,
    letter_clip,
    num_clip,
)
from hw.voice.pack import DEFAULT_GAP_MS, DEFAULT_PACK_DIR, PACK_FILE, VoicePack  # noqa: E402

SAMPLE_RATE = 16_000
SPEED_WPM = 140
PINYIN_VOICE = "cmn-latn-pinyin"
LETTER_VOICE = "cmn"

_DIGIT_PINYIN = ("ling2", "yi1", "er4", "san1", "si4", "wu3", "liu4", "qi1", "ba1", "jiu3")

WORD_PINYIN: dict[str, str] = {
    "qing": "qing3",
    "hao": "hao4",
    "dao": "dao4",
    "chuangkou": "chuang1 kou3",
    "banli": "ban4 li3",
    RECALL_PREFIX: "zai4 ci4 hu1 jiao4",
    **{digit_clip(d): _DIGIT_PINYIN[int(d)] for d in DIGITS},
    **{num_clip(n): _DIGIT_PINYIN[n] for n in range(1, 10)},
    num_clip(10): "shi2",
}


def spoken_clips() -> dict[str, tuple[str, str]]:
    """clip name → (espeak-ng voice, input text), for every clip but the chime."""
    clips = {name: (PINYIN_VOICE, text) for name, text in WORD_PINYIN.items()}
    clips.update({letter_clip(c): (LETTER_VOICE, c) for c in LETTERS})
    return clips


def synthesise(name: str, voice: str, text: str, out: Path, work: Path) -> None:
    raw = work / f"{name}.raw.wav"
    trimmed = work / f"{name}.sox.wav"
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(SPEED_WPM), "-w", str(raw), text], check=True
    )
    trim = ["silence", "1", "0.02", "0.5%", "reverse"]  # trim the start, then the reversed end
    effects = [*trim, *trim, "norm", "-2"]
    convert = ["-r", str(SAMPLE_RATE), "-c", "1", "-b", "16"]
    # -D: no dither and -R: fixed seed, so regenerating gives byte-identical clips
    subprocess.run(["sox", "-D", "-R", str(raw), *convert, str(trimmed), *effects], check=True)
    with wave.open(str(trimmed), "rb") as w:
        frames = w.readframes(w.getnframes())
    write_wav(out, frames)


def write_wav(path: Path, frames: bytes) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(frames)


def chime_frames() -> bytes:
    """叮咚: a bell-like high note then a lower one, each with a few harmonics and a decay."""
    notes = ((1318.5, 0.0, 0.55), (1046.5, 0.30, 0.75))  # E6 then C6: (Hz, start s, length s)
    total = int(SAMPLE_RATE * max(start + length for _, start, length in notes))
    samples = [0.0] * total
    for freq, start, length in notes:
        first = int(start * SAMPLE_RATE)
        for i in range(int(length * SAMPLE_RATE)):
            t = i / SAMPLE_RATE
            envelope = math.exp(-5.0 * t) * min(1.0, t / 0.004)
            tone = (
                math.sin(2 * math.pi * freq * t)
                + 0.35 * math.sin(2 * math.pi * 2 * freq * t)
                + 0.12 * math.sin(2 * math.pi * 3 * freq * t)
            )
            samples[first + i] += envelope * tone
    peak = max(abs(s) for s in samples) or 1.0
    scale = 0.7 * 32767 / peak
    return b"".join(struct.pack("<h", round(s * scale)) for s in samples)


def pack_toml() -> str:
    return (
        'name = "默认语音包（espeak-ng 合成）"\n'
        f"sample_rate = {SAMPLE_RATE}\n"
        f"gap_ms = {DEFAULT_GAP_MS}\n"
        'description = "由 scripts/make_voice_pack.py 用 espeak-ng 普通话语音合成，'
        '16 kHz 单声道 16 位。可换成真人录音，见 docs/voice-pack.md。"\n'
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=DEFAULT_PACK_DIR, help="pack directory")
    parser.add_argument("--preview", type=Path, help="also write a sample call to this WAV")
    args = parser.parse_args(argv)
    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            print(f"需要 {tool}：sudo apt-get install espeak-ng sox", file=sys.stderr)
            return 1
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    clips = spoken_clips()
    assert set(clips) | {CHIME} == set(CLIP_TEXTS), "clip catalogue and generator disagree"
    with tempfile.TemporaryDirectory() as tmp:
        for name, (voice, text) in sorted(clips.items()):
            synthesise(name, voice, text, out / f"{name}.wav", Path(tmp))
    write_wav(out / f"{CHIME}.wav", chime_frames())
    (out / PACK_FILE).write_text(pack_toml(), encoding="utf-8")
    pack = VoicePack(out)
    size = sum(p.stat().st_size for p in out.glob("*.wav"))
    print(f"已生成语音包 {out}：{len(CLIP_TEXTS)} 个片段，共 {size / 1024:.0f} KiB")
    if args.preview:
        args.preview.write_bytes(pack.concatenate(call_clips("A023", 2)))
        print(f"示例叫号已写入 {args.preview}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
