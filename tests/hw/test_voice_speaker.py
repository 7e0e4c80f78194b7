"""Voice calling (R-Q3): speaker backends, the picker and announce_call."""

from __future__ import annotations

import dataclasses
import io
import logging
import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from appliance.settings import Settings, load_settings
from hw.protocols import Speaker
from hw.voice.announce import call_clips
from hw.voice.pack import DEFAULT_PACK_DIR, VoicePack
from hw.voice.speaker import AplaySpeaker, FakeSpeaker, FileSpeaker, announce_call, find_player
from hwservice.devices import load_configured_pack, make_speaker


@dataclass(frozen=True)
class VoiceSettings(Settings):
    """Settings plus the voice fields this part asks for (until settings.py has them)."""

    speaker_backend: str = "file"
    voice_pack_dir: str = ""


def voice_settings(tmp_path: Path, **fields: str) -> VoiceSettings:
    base = load_settings(env={}, data_dir=str(tmp_path))
    values: dict[str, Any] = {**dataclasses.asdict(base), **fields}
    return VoiceSettings(**values)


@pytest.fixture(scope="module")
def pack() -> VoicePack:
    return VoicePack(DEFAULT_PACK_DIR)


def test_fake_speaker_records_the_call_through_announce_call() -> None:
    """R-Q3: the right clip sequence plays for a call and a recall."""
    speaker = FakeSpeaker()
    assert isinstance(speaker, Speaker)
    clips = announce_call(speaker, "A023", 2)
    announce_call(speaker, "A023", 2, recall=True)
    assert speaker.played[0] == clips == call_clips("A023", 2)
    assert speaker.last is not None and speaker.last[1] == "zaici_hujiao"
    assert speaker.texts == ["请A零二三号到二号窗口办理", "再次呼叫，请A零二三号到二号窗口办理"]


def test_announce_call_never_raises(caplog: pytest.LogCaptureFixture) -> None:
    class Broken:
        def play_clips(self, clips: object) -> None:
            raise RuntimeError("sound card on fire")

    assert announce_call(None, "A001", 1) == call_clips("A001", 1)
    with caplog.at_level(logging.WARNING, "yizhan.voice"):
        assert announce_call(FakeSpeaker(), "A-1", 1) == []
        assert announce_call(Broken(), "A001", 1) == call_clips("A001", 1)
    assert "无法语音播报" in caplog.text
    assert "语音叫号失败" in caplog.text


def test_file_speaker_writes_the_last_call_and_logs_it(
    tmp_path: Path, pack: VoicePack, caplog: pytest.LogCaptureFixture
) -> None:
    speaker = FileSpeaker(pack, tmp_path / "voice")
    with caplog.at_level(logging.INFO, "yizhan.voice"):
        announce_call(speaker, "B100", 12)
    with wave.open(str(tmp_path / "voice" / "last-call.wav"), "rb") as w:
        seconds = w.getnframes() / w.getframerate()
    assert seconds == pytest.approx(pack.duration(call_clips("B100", 12)), abs=0.002)
    assert speaker.ready
    assert "请B一零零号到十二号窗口办理" in caplog.text


def test_aplay_speaker_plays_one_wav_with_aplay_q(pack: VoicePack) -> None:
    seen: list[tuple[list[str], float]] = []

    def runner(cmd: list[str], timeout: float) -> subprocess.CompletedProcess[bytes]:
        data = Path(cmd[-1]).read_bytes()
        with wave.open(io.BytesIO(data), "rb") as w:
            assert w.getframerate() == 16000
        seen.append((cmd, timeout))
        return subprocess.CompletedProcess(cmd, 0, b"", b"")

    speaker = AplaySpeaker(pack, runner=runner, which=lambda n: f"/usr/bin/{n}")
    speaker.play_clips(call_clips("A023", 2))
    ((cmd, timeout),) = seen
    assert cmd[:2] == ["/usr/bin/aplay", "-q"]
    assert not Path(cmd[-1]).exists()  # the temporary WAV is removed
    assert speaker.ready and timeout > 5


def test_player_fallbacks() -> None:
    only = {"paplay": "/usr/bin/paplay", "play": "/usr/bin/play"}
    assert find_player(only.get) == ["/usr/bin/paplay"]
    assert find_player({"play": "/usr/bin/play"}.get) == ["/usr/bin/play", "-q"]
    assert find_player(lambda n: None) is None


def test_missing_player_or_sound_card_is_not_ready_not_a_crash(
    pack: VoicePack, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, "yizhan.voice"):
        silent = AplaySpeaker(pack, which=lambda n: None)
        silent.play_clips(call_clips("A001", 1))
        assert not silent.ready and "未找到音频播放程序" in silent.problem

        def no_card(cmd: list[str], timeout: float) -> subprocess.CompletedProcess[bytes]:
            return subprocess.CompletedProcess(
                cmd, 1, b"", b"aplay: main:850: audio open error: No such file or directory"
            )

        broken = AplaySpeaker(pack, player=["aplay", "-q"], runner=no_card)
        broken.play_clips(call_clips("A001", 1))
        assert not broken.ready and "声卡不可用" in broken.problem

        def hangs(cmd: list[str], timeout: float) -> subprocess.CompletedProcess[bytes]:
            raise subprocess.TimeoutExpired(cmd, timeout)

        AplaySpeaker(pack, player=["aplay"], runner=hangs).play_clips(["ding"])
        AplaySpeaker(pack, player=["aplay"], runner=no_card).play_clips(["no_such_clip"])
    assert caplog.text.count("语音叫号未就绪") >= 3


def test_real_aplay_plays_to_a_device_and_names_a_missing_card_r_q3(pack: VoicePack) -> None:
    """Real aplay (alsa-utils, installed by scripts/bootstrap.sh): a whole call announcement
    plays to ALSA's null device; a card that is not there leaves the speaker not ready with
    aplay's own reason, and the next good play makes it ready again."""
    assert shutil.which("aplay"), "aplay is missing: run scripts/bootstrap.sh (alsa-utils)"
    speaker = AplaySpeaker(pack, player=["aplay", "-q", "-D", "null"])
    speaker.play_clips(call_clips("A001", 1))
    assert speaker.ready, speaker.problem
    missing = AplaySpeaker(pack, player=["aplay", "-q", "-D", "hw:7,0"])
    missing.play_clips(["ding"])
    assert not missing.ready and "声卡不可用（aplay：" in missing.problem
    missing.player = ["aplay", "-q", "-D", "null"]
    missing.play_clips(["ding"])
    assert missing.ready


def test_make_speaker_by_backend(tmp_path: Path) -> None:
    assert make_speaker(voice_settings(tmp_path, speaker_backend="none")) is None
    assert isinstance(make_speaker(voice_settings(tmp_path, speaker_backend="fake")), FakeSpeaker)
    assert isinstance(make_speaker(voice_settings(tmp_path, speaker_backend="aplay")), AplaySpeaker)
    file_speaker = make_speaker(voice_settings(tmp_path, speaker_backend=" File "))
    assert isinstance(file_speaker, FileSpeaker)
    assert file_speaker.path == tmp_path / "voice" / "last-call.wav"
    # settings without the voice fields yet: the simulated file backend
    assert isinstance(make_speaker(load_settings(env={}, data_dir=str(tmp_path))), FileSpeaker)
    with pytest.raises(ValueError, match="未知的语音叫号方式"):
        make_speaker(voice_settings(tmp_path, speaker_backend="bluetooth"))


def test_a_broken_custom_pack_falls_back_to_the_default(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    custom = tmp_path / "recorded"
    shutil.copytree(DEFAULT_PACK_DIR, custom)
    assert (
        load_configured_pack(voice_settings(tmp_path, voice_pack_dir=str(custom))).directory
        == custom
    )
    (custom / "banli.wav").unlink()
    with caplog.at_level(logging.ERROR, "yizhan.voice"):
        pack = load_configured_pack(voice_settings(tmp_path, voice_pack_dir=str(custom)))
    assert pack.directory == DEFAULT_PACK_DIR
    assert "banli" in caplog.text and "改用默认语音包" in caplog.text
