"""Voice packs (语音包): a folder of WAV clips joined into one announcement, offline.

A pack is a directory holding ``pack.toml`` and one ``<clip>.wav`` per clip name in
:data:`hw.voice.announce.REQUIRED_CLIPS`. Every clip is PCM WAV with the same sample rate,
sample width and channel count (the default pack: 16 kHz, 16-bit, mono). ``pack.toml``::

    name = "默认语音包（espeak-ng 合成）"
    sample_rate = 16000
    description = "..."
    gap_ms = 80          # optional: silence between clips

Joining uses only the standard ``wave`` module, so playing a call needs no sox at runtime.
"""

from __future__ import annotations

import io
import os
import tomllib
import wave
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from hw.voice.announce import REQUIRED_CLIPS

PACK_FILE = "pack.toml"
DEFAULT_GAP_MS = 80
DEFAULT_PACK_DIR = Path(__file__).resolve().parent / "default"


class VoicePackError(Exception):
    """A voice pack that cannot be used; ``message`` is Chinese and names what is wrong."""

    def __init__(self, message: str, missing: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.missing: tuple[str, ...] = tuple(missing)


@dataclass(frozen=True)
class ClipFormat:
    """Sample rate, sample width (bytes) and channel count of a clip."""

    sample_rate: int
    sample_width: int
    channels: int

    def describe(self) -> str:
        return f"{self.sample_rate} Hz、{self.sample_width * 8} 位、{self.channels} 声道"


def _names(names: Iterable[str], limit: int = 12) -> str:
    items = list(names)
    shown = "、".join(items[:limit])
    return shown + (f" 等 {len(items)} 个" if len(items) > limit else "")


def _read_toml(path: Path) -> dict[str, object]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise VoicePackError(f"语音包目录 {path.parent} 缺少 {PACK_FILE}") from exc
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise VoicePackError(f"语音包说明文件 {path} 无法读取：{exc}") from exc


class VoicePack:
    """A validated voice pack. Raises :class:`VoicePackError` when a needed clip is missing.

    ``required`` defaults to every clip any call or recall can need (all letters, digits and
    the numbers that read windows 1–99).
    """

    def __init__(
        self, directory: str | os.PathLike[str], required: Iterable[str] = REQUIRED_CLIPS
    ) -> None:
        self.directory = Path(directory)
        if not self.directory.is_dir():
            raise VoicePackError(f"找不到语音包目录 {self.directory}")
        meta = _read_toml(self.directory / PACK_FILE)
        self.name = str(meta.get("name", self.directory.name))
        self.description = str(meta.get("description", ""))
        try:
            rate = int(str(meta["sample_rate"]))
            self.gap_ms = int(str(meta.get("gap_ms", DEFAULT_GAP_MS)))
        except (KeyError, ValueError) as exc:
            raise VoicePackError(
                f"{self.directory / PACK_FILE} 须写明整数 sample_rate（如 16000）和可选的 gap_ms"
            ) from exc
        if self.gap_ms < 0:
            raise VoicePackError(f"{self.directory / PACK_FILE} 的 gap_ms 不能为负数")
        needed = sorted(set(required))
        missing = [c for c in needed if not self.clip_path(c).is_file()]
        if missing:
            raise VoicePackError(
                f"语音包“{self.name}”（{self.directory}）缺少 {len(missing)} 个语音片段："
                f"{_names(missing)}。请录制后以“片段名.wav”放入该目录",
                missing,
            )
        self._frames: dict[str, bytes] = {}
        self.format = ClipFormat(rate, 2, 1)
        formats = {c: self._load(c) for c in needed}
        wrong = [c for c, f in formats.items() if f.sample_rate != rate]
        if wrong:
            raise VoicePackError(
                f"语音包“{self.name}”中 {_names(wrong)} 的采样率与 pack.toml 的 {rate} Hz 不符，"
                "请把所有片段转换为同一格式"
            )
        if formats:
            first = formats[needed[0]]
            odd = [c for c, f in formats.items() if f != first]
            if odd:
                raise VoicePackError(
                    f"语音包“{self.name}”中 {_names(odd)} 的格式与 {needed[0]}（{first.describe()}）"
                    "不同，请把所有片段转换为同一格式"
                )
            self.format = first

    def clip_path(self, name: str) -> Path:
        return self.directory / f"{name}.wav"

    def has_clip(self, name: str) -> bool:
        return name in self._frames or self.clip_path(name).is_file()

    def _load(self, name: str) -> ClipFormat:
        path = self.clip_path(name)
        try:
            with wave.open(str(path), "rb") as w:
                fmt = ClipFormat(w.getframerate(), w.getsampwidth(), w.getnchannels())
                self._frames[name] = w.readframes(w.getnframes())
        except FileNotFoundError as exc:
            raise VoicePackError(
                f"语音包“{self.name}”缺少语音片段：{name}（应为 {path}）", [name]
            ) from exc
        except (OSError, EOFError, wave.Error) as exc:
            raise VoicePackError(
                f"语音片段 {path} 不是可用的 PCM WAV 文件：{exc}，请重新导出为 WAV"
            ) from exc
        return fmt

    def frames(self, name: str) -> bytes:
        """Raw PCM frames of one clip (loaded once, then cached)."""
        if name not in self._frames:
            fmt = self._load(name)
            if fmt != self.format:
                raise VoicePackError(
                    f"语音片段 {name} 的格式（{fmt.describe()}）与语音包（{self.format.describe()}）不同"
                )
        return self._frames[name]

    @property
    def frame_bytes(self) -> int:
        return self.format.sample_width * self.format.channels

    def clip_seconds(self, name: str) -> float:
        return len(self.frames(name)) / self.frame_bytes / self.format.sample_rate

    @property
    def gap_seconds(self) -> float:
        return self.gap_ms / 1000

    def _gap(self) -> bytes:
        n = round(self.format.sample_rate * self.gap_ms / 1000)
        return b"\x00" * (n * self.frame_bytes)

    def check_clips(self, clips: Sequence[str]) -> None:
        """Raise :class:`VoicePackError` naming every clip in ``clips`` this pack lacks."""
        missing = [c for c in dict.fromkeys(clips) if not self.has_clip(c)]
        if missing:
            raise VoicePackError(
                f"语音包“{self.name}”缺少语音片段：{_names(missing)}（目录 {self.directory}）",
                missing,
            )

    def concatenate(self, clips: Sequence[str]) -> bytes:
        """One WAV file (bytes) saying ``clips`` in order, with a short silence between them."""
        self.check_clips(clips)
        gap = self._gap()
        parts: list[bytes] = []
        for i, name in enumerate(clips):
            if i:
                parts.append(gap)
            parts.append(self.frames(name))
        out = io.BytesIO()
        with wave.open(out, "wb") as w:
            w.setnchannels(self.format.channels)
            w.setsampwidth(self.format.sample_width)
            w.setframerate(self.format.sample_rate)
            w.writeframes(b"".join(parts))
        return out.getvalue()

    def duration(self, clips: Sequence[str]) -> float:
        """Seconds :meth:`concatenate` would last for ``clips``."""
        if not clips:
            return 0.0
        return sum(self.clip_seconds(c) for c in clips) + self.gap_seconds * (len(clips) - 1)


def load_voice_pack(directory: str | os.PathLike[str] | None = None) -> VoicePack:
    """The pack in ``directory``, or the default pack shipped in ``hw/voice/default``."""
    return VoicePack(directory if directory else DEFAULT_PACK_DIR)
