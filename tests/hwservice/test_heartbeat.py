"""The hardware service's side of the heartbeat (心跳, R-N1): each loop marks its progress
after every step, failed or not; a loop stuck in a device call stops marking, and the
heartbeat carries its growing age."""

from __future__ import annotations

import threading

from hwservice.api import ApiUnavailable
from hwservice.heartbeat import Progress
from hwservice.loops import run_loop


class Mono:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_progress_ages_and_freshness() -> None:
    mono = Mono()
    progress = Progress(mono)
    progress.mark("print")
    progress.mark("feed")
    mono.t += 3
    progress.mark("feed")
    assert progress.ages() == {"print": 3.0, "feed": 0.0}
    assert progress.fresh(5) and not progress.fresh(2)


def test_a_failing_step_still_marks_progress_a_stuck_one_does_not() -> None:
    progress = Progress()
    stop = threading.Event()
    calls: list[int] = []

    def failing() -> bool:
        calls.append(1)
        if len(calls) >= 3:
            stop.set()
        raise ApiUnavailable("server away")

    run_loop("print", failing, stop, 0.01, progress.mark)
    assert "print" in progress.ages() and len(calls) == 3

    release = threading.Event()
    stuck_stop = threading.Event()

    def stuck() -> bool:
        release.wait(5)
        stuck_stop.set()
        return False

    t = threading.Thread(target=run_loop, args=("sms", stuck, stuck_stop, 0.01, progress.mark))
    t.start()
    assert "sms" not in progress.ages()  # no step finished yet: nothing to vouch for
    release.set()
    t.join(5)
    assert "sms" in progress.ages()
