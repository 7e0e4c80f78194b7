"""Voice calling (语音叫号, R-Q3): prerecorded clips joined offline into announcements.

- :mod:`hw.voice.announce` — which clips say a call (pure);
- :mod:`hw.voice.pack` — a voice pack folder and joining clips into one WAV;
- :mod:`hw.voice.speaker` — speaker backends and :func:`announce_call`.

See ``docs/voice-pack.md`` for the folder layout and replacing the generated voice.
"""

from __future__ import annotations

from hw.voice.announce import (
    REQUIRED_CLIPS,
    AnnouncementError,
    call_clips,
    clips_text,
    recall_clips,
    window_number_clips,
)
from hw.voice.pack import DEFAULT_PACK_DIR, VoicePack, VoicePackError, load_voice_pack
from hw.voice.speaker import AplaySpeaker, FakeSpeaker, FileSpeaker, announce_call

__all__ = [
    "DEFAULT_PACK_DIR",
    "REQUIRED_CLIPS",
    "AnnouncementError",
    "AplaySpeaker",
    "FakeSpeaker",
    "FileSpeaker",
    "VoicePack",
    "VoicePackError",
    "announce_call",
    "call_clips",
    "clips_text",
    "load_voice_pack",
    "recall_clips",
    "window_number_clips",
]
