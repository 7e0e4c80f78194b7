"""Speakers (语音叫号扬声器): real audio out, a file for ``make run``, and a fake for tests.

Every backend implements :class:`hw.protocols.Speaker`. A missing player, a missing sound
card or a broken clip is logged as "not ready" and the call goes on silently: the hall
display and the TUI still show the number, so a voice fault never stops the queue.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from hw.protocols import Speaker
from hw.voice.announce import AnnouncementError, call_clips, clips_text, recall_clips
from hw.voice.pack import VoicePack, VoicePackError

if TYPE_CHECKING:
    pass

log = logging.getLogger("yizhan.voice")

SPEAKER_BACKENDS = ("aplay", "file", "fake", "none")
DEFAULT_SPEAKER_BACKEND = "file"
PLAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("aplay", ("-q",)),
    ("paplay", ()),
    ("play", ("-q",)),
)
"""Players tried in order: ALSA's aplay, PulseAudio/PipeWire's paplay, then sox's play."""

PLAY_TIMEOUT_SECONDS = 30.0
LAST_CALL_FILE = "last-call.wav"

Runner = Callable[[list[str], float], "subprocess.CompletedProcess[bytes]"]


def _run(cmd: list[str], timeout: float) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)


def find_player(which: Callable[[str], str | None] = shutil.which) -> list[str] | None:
    """The command line (without the file) of the first audio player found, or ``None``."""
    for name, flags in PLAYERS:
        path = which(name)
        if path:
            return [path, *flags]
    return None


class AplaySpeaker:
    """Plays each announcement as one WAV through ``aplay -q`` (or ``paplay`` / ``play``).

    Blocks until the announcement has played (a few seconds), so calls never talk over each
    other; run it on the hardware service's own thread. ``ready`` and ``problem`` tell the
    self-check and the status bar why the hall stayed silent.
    """

    def __init__(
        self,
        pack: VoicePack,
        *,
        player: Sequence[str] | None = None,
        runner: Runner = _run,
        which: Callable[[str], str | None] = shutil.which,
    ) -> None:
        self.pack = pack
        self.player = list(player) if player else find_player(which)
        self._runner = runner
        self.problem = "" if self.player else "未找到音频播放程序（aplay、paplay 或 play）"

    @property
    def ready(self) -> bool:
        return not self.problem

    def _not_ready(self, problem: str) -> None:
        if problem != self.problem:
            log.warning("语音叫号未就绪：%s", problem)
        self.problem = problem

    def play_clips(self, clips: Sequence[str]) -> None:
        if not self.player:
            self._not_ready("未找到音频播放程序（aplay、paplay 或 play）")
            return
        try:
            audio = self.pack.concatenate(clips)
        except VoicePackError as exc:
            self._not_ready(exc.message)
            return
        fd, name = tempfile.mkstemp(prefix="yizhan-call-", suffix=".wav")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(audio)
            result = self._runner([*self.player, name], PLAY_TIMEOUT_SECONDS)
        except (OSError, subprocess.SubprocessError) as exc:
            self._not_ready(f"播放失败：{exc}")
            return
        finally:
            Path(name).unlink(missing_ok=True)
        if result.returncode != 0:
            err = result.stderr.decode("utf-8", "replace").strip().splitlines()
            self._not_ready(
                f"声卡不可用（{Path(self.player[0]).name}：{err[-1] if err else result.returncode}）"
            )
            return
        if self.problem:
            log.info("语音叫号恢复正常")
        self.problem = ""


class FileSpeaker:
    """Simulated speaker for ``make run``: writes ``<dir>/last-call.wav`` and logs the words."""

    def __init__(self, pack: VoicePack, directory: str | os.PathLike[str]) -> None:
        self.pack = pack
        self.directory = Path(directory)
        self.last_text = ""
        self.problem = ""

    @property
    def path(self) -> Path:
        return self.directory / LAST_CALL_FILE

    @property
    def ready(self) -> bool:
        return not self.problem

    def play_clips(self, clips: Sequence[str]) -> None:
        self.last_text = clips_text(clips)
        try:
            audio = self.pack.concatenate(clips)
            self.directory.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(self.path.name + ".tmp")
            tmp.write_bytes(audio)
            os.replace(tmp, self.path)
        except VoicePackError as exc:
            self.problem = exc.message
            log.warning("语音叫号未就绪：%s", exc.message)
            return
        except OSError as exc:
            self.problem = f"无法写入 {self.path}：{exc.strerror or exc}"
            log.warning("语音叫号未就绪：%s", self.problem)
            return
        self.problem = ""
        log.info("语音叫号：%s（%s）", self.last_text, self.path)


class FakeSpeaker:
    """Test speaker: records every clip sequence it was asked to play."""

    def __init__(self) -> None:
        self.played: list[list[str]] = []

    def play_clips(self, clips: Sequence[str]) -> None:
        self.played.append(list(clips))

    @property
    def last(self) -> list[str] | None:
        return self.played[-1] if self.played else None

    @property
    def texts(self) -> list[str]:
        return [clips_text(c) for c in self.played]


def announce_call(
    speaker: Speaker | None, number: str, window: int, *, recall: bool = False
) -> list[str]:
    """Announce "请 <number> 号到 <window> 号窗口办理" (or its recall) and return the clips.

    A number that cannot be spoken is logged and skipped: the call itself already happened.
    """
    try:
        clips = recall_clips(number, window) if recall else call_clips(number, window)
    except AnnouncementError as exc:
        log.warning("无法语音播报：%s", exc)
        return []
    if speaker is not None:
        try:
            speaker.play_clips(clips)
        except Exception:  # a device fault must never break calling
            log.exception("语音叫号失败：%s", clips_text(clips))
    return clips
