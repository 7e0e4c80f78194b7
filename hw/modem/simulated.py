"""Modem backends without a modem: a simulated one for ``make run``, a fake for tests.

- :class:`SimulatedModem` appends every SMS to ``DATA_DIR/sms/outbox.log`` (one JSON object
  a line) and reads replies a developer types into ``DATA_DIR/sms/inbox.txt``
  (``<phone> <text>`` a line).
- :class:`FakeModem` records sends in memory and is driven by tests: no signal, no SIM,
  unplugged, failing sends, queued inbound messages.

Both check numbers and text with the real PDU encoder, so an invalid number fails
permanently here exactly as on the real modem.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from hw.modem.pdu import PduError, encode_submit, parse_number
from hw.protocols import InboundSms, ModemState, ModemStatus, SmsFailed

if TYPE_CHECKING:
    from collections.abc import Callable


log = logging.getLogger(__name__)

MODEM_BACKENDS = ("simulated", "gsm", "none")
DEFAULT_PORT = "/dev/ttyUSB2"


def _check(phone: str, text: str) -> int:
    """Parts the message needs; raises a permanent SmsFailed when it cannot be encoded."""
    try:
        return len(encode_submit(phone, text))
    except PduError as exc:
        raise SmsFailed(str(exc), permanent=True) from exc


class SimulatedModem:
    """Writes SMS to ``<directory>/outbox.log`` instead of sending them (演示短信)."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self.outbox = self.directory / "outbox.log"
        self.inbox = self.directory / "inbox.txt"
        self._lock = threading.Lock()
        self._next_ref = 0

    def send(self, phone: str, text: str) -> list[int]:
        parts = _check(phone, text)
        record = {
            "at": datetime.now().astimezone().isoformat(timespec="seconds"),
            # a log on disk: the number is masked (R-I3)
            "phone": parse_number(phone).masked,
            "parts": parts,
            "text": text,
        }
        with self._lock:
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
                with open(self.outbox, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            except OSError as exc:
                raise SmsFailed(f"无法写入短信记录 {self.outbox}：{exc.strerror or exc}") from exc
            refs = [(self._next_ref + i) % 256 for i in range(parts)]
            self._next_ref = (self._next_ref + parts) % 256
            return refs

    def read_inbound(
        self, handover: Callable[[list[InboundSms]], None] | None = None
    ) -> list[InboundSms]:
        """Messages typed into ``inbox.txt``; the lines read are removed once handed over."""
        with self._lock:
            try:
                data = self.inbox.read_bytes()
            except OSError:
                return []
            now = datetime.now().astimezone().isoformat(timespec="seconds")
            messages: list[InboundSms] = []
            for line in data.decode("utf-8", "replace").splitlines():
                phone, _, body = line.strip().partition(" ")
                if phone:
                    messages.append(InboundSms(phone, body.strip(), now))
            if handover is not None and messages:
                handover(messages)
            try:
                rest = self.inbox.read_bytes()[len(data) :]  # lines added meanwhile stay
                self.inbox.write_bytes(rest)
            except OSError as exc:
                log.warning("simulated modem: cannot empty %s: %s", self.inbox, exc)
            return messages

    def status(self) -> ModemStatus:
        probe = self.directory if self.directory.exists() else self.directory.parent
        if os.access(probe, os.W_OK):
            return ModemStatus.of("ready", 31, f"模拟短信，写入 {self.outbox}")
        return ModemStatus.of("offline", detail=f"短信目录不可写：{self.directory}")


@dataclass(frozen=True)
class SentSms:
    """One SMS the fake modem accepted."""

    phone: str
    text: str
    refs: tuple[int, ...]

    @property
    def parts(self) -> int:
        return len(self.refs)


class FakeModem:
    """In-memory modem for tests: records sends and can be driven (see module docstring)."""

    def __init__(self, state: ModemState = "ready", signal: int | None = 20) -> None:
        self.state: ModemState = state
        self.signal = signal
        self.detail = ""
        self.sent: list[SentSms] = []
        self.attempts = 0
        self.inbound: list[InboundSms] = []
        self._failures: deque[SmsFailed] = deque()
        self._next_ref = 1
        self._lock = threading.Lock()

    # ---- driving the fake ---------------------------------------------------------------
    def set_state(self, state: ModemState, detail: str = "") -> None:
        self.state, self.detail = state, detail

    def lose_signal(self) -> None:
        self.set_state("no-signal")

    def remove_sim(self) -> None:
        self.set_state("no-sim")

    def unplug(self) -> None:
        self.set_state("offline")

    def restore(self) -> None:
        self.set_state("ready")

    def fail_next(
        self, reason: str = "短信发送失败（测试）", *, permanent: bool = False, times: int = 1
    ) -> None:
        """The next ``times`` sends raise ``SmsFailed(reason, permanent)``."""
        self._failures.extend(SmsFailed(reason, permanent) for _ in range(times))

    def queue_inbound(
        self, phone: str, body: str, received_at: str = "2026-11-23T09:05:00+08:00"
    ) -> None:
        self.inbound.append(InboundSms(phone, body, received_at))

    # ---- Modem --------------------------------------------------------------------------
    def send(self, phone: str, text: str) -> list[int]:
        with self._lock:
            self.attempts += 1
            parts = _check(phone, text)
            if self.state != "ready":
                status = self.status()
                raise SmsFailed(
                    f"{status.label}：{status.detail}" if status.detail else status.label
                )
            if self._failures:
                raise self._failures.popleft()
            refs = tuple(range(self._next_ref, self._next_ref + parts))
            self._next_ref += parts
            self.sent.append(SentSms(phone, text, refs))
            return list(refs)

    def read_inbound(
        self, handover: Callable[[list[InboundSms]], None] | None = None
    ) -> list[InboundSms]:
        with self._lock:
            if self.state == "offline":
                return []
            messages = list(self.inbound)
            if handover is not None and messages:
                handover(messages)
            del self.inbound[: len(messages)]
            return messages

    def status(self) -> ModemStatus:
        signal = self.signal if self.state == "ready" else None
        return ModemStatus.of(self.state, signal, self.detail)
