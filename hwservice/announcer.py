"""React to queue events: voice calling (语音叫号) and buzzer patterns (R-Q3)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from appliance.devices.schemas import FeedEvent
from hw.protocols import BEEP_ISSUED, BEEP_PRIORITY, Buzzer, BuzzerPattern, Speaker
from hwservice.api import DeviceApi

log = logging.getLogger("yizhan.hw.announce")

ClipsFor = Callable[[str, int, bool], Sequence[str]]


def default_clips(number: str, window: int, recall: bool) -> Sequence[str]:
    from hw.voice.announce import call_clips, recall_clips

    return recall_clips(number, window) if recall else call_clips(number, window)


class Announcer:
    """Follows the device event feed from ``after`` (the log position at start-up)."""

    def __init__(
        self,
        api: DeviceApi,
        speaker: Speaker | None,
        buzzer: Buzzer | None,
        after: int,
        clips_for: ClipsFor = default_clips,
        call_pattern: BuzzerPattern | None = None,
    ) -> None:
        self.api = api
        self.speaker = speaker
        self.buzzer = buzzer
        self.after = after
        self.clips_for = clips_for
        self.call_pattern = call_pattern

    def handle(self, event: FeedEvent) -> None:
        kind, data = event.type, event.payload
        if kind == "ticket.issued" and data.get("source") == "button" and self.buzzer:
            self.buzzer.play(BEEP_PRIORITY if data.get("priority") != "normal" else BEEP_ISSUED)
        elif kind in ("ticket.called", "ticket.recalled"):
            if self.speaker is not None:
                clips = self.clips_for(
                    data["number"], int(data["window_number"]), kind == "ticket.recalled"
                )
                self.speaker.play_clips(list(clips))
            if self.buzzer is not None and self.call_pattern is not None:
                self.buzzer.play(self.call_pattern)

    def run_once(self) -> int:
        events = self.api.events(self.after)
        for event in events:
            try:
                self.handle(event)
            except Exception:  # a device fault must not stop the feed
                log.exception("announcing event %s failed", event.seq)
            self.after = event.seq
        return len(events)
