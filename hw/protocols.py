"""Device interfaces (设备接口). Real backends (GPIO, CUPS, modem) and fakes implement these.

A missing or unready device is a *state*, never a crash: a printer that cannot print
raises :class:`PrinterUnavailable` and the caller keeps the job for a later retry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

PressKind = Literal["short", "long"]
"""A short press issues an ordinary ticket; a long press a priority one (老弱病残孕)."""

PressCallback = Callable[[PressKind], None]

BuzzerPattern = Sequence[tuple[float, float]]
"""Pairs of (on seconds, off seconds), played in order."""

BEEP_ISSUED: BuzzerPattern = ((0.08, 0.0),)
"""One short beep: a ticket was issued."""

BEEP_PRIORITY: BuzzerPattern = ((0.08, 0.08), (0.08, 0.0))
"""Two short beeps: a priority ticket was issued."""

BEEP_ERROR: BuzzerPattern = ((0.4, 0.1), (0.4, 0.0))
"""Two long beeps: the ticket could not be issued."""

BEEP_CALL: BuzzerPattern = ((0.2, 0.1), (0.2, 0.1), (0.2, 0.0))
"""Three medium beeps: a window calls the next visitor (叫号)."""

BEEP_FAULT: BuzzerPattern = ((0.6, 0.2), (0.6, 0.2), (0.6, 0.0))
"""Three long beeps: a device needs staff (按钮卡住、打印机缺纸等故障)."""

PrinterState = Literal["ready", "offline", "media-empty", "paused"]

PRINTER_STATE_LABELS: dict[PrinterState, str] = {
    "ready": "打印机就绪",
    "offline": "打印机未连接",
    "media-empty": "打印机缺纸",
    "paused": "打印机已暂停",
}


@dataclass(frozen=True)
class PrinterStatus:
    """What a status bar shows about a printer (打印机状态)."""

    state: PrinterState
    label: str
    detail: str = ""

    @classmethod
    def of(cls, state: PrinterState, detail: str = "") -> PrinterStatus:
        return cls(state, PRINTER_STATE_LABELS[state], detail)

    @property
    def ready(self) -> bool:
        return self.state == "ready"


class PrinterUnavailable(Exception):
    """The printer cannot print now (offline, out of paper, paused). Retry later."""

    def __init__(self, reason: str, state: PrinterState = "offline") -> None:
        super().__init__(reason)
        self.reason = reason
        self.state: PrinterState = state


@runtime_checkable
class ReceiptPrinter(Protocol):
    """Thermal receipt printer (小票打印机) taking raw ESC/POS bytes."""

    def print_receipt(self, data: bytes, text: str, job_id: str, *, title: str = "") -> None:
        """Print one receipt.

        ``data`` is the ESC/POS stream, ``text`` its plain-text rendering (for logs and
        simulated backends), ``job_id`` the durable print job id and ``title`` a short job
        title (the ticket number; CUPS shows it as the job name). Raises
        :class:`PrinterUnavailable` when the printer cannot take the job.
        """
        ...

    def status(self) -> PrinterStatus: ...


@runtime_checkable
class Button(Protocol):
    """The door call button (取号按钮)."""

    def on_press(self, callback: PressCallback) -> None:
        """Register a callback run once per (debounced) press."""
        ...

    def start(self) -> None: ...

    def stop(self) -> None: ...


@runtime_checkable
class Buzzer(Protocol):
    """A buzzer next to the button (蜂鸣器)."""

    def play(self, pattern: BuzzerPattern) -> None:
        """Play a pattern; must not block the caller for long."""
        ...


RatingCallback = Callable[[int], None]
"""Called with a rating level 1..5 (5 = 非常满意 … 1 = 非常不满意)."""

StuckCallback = Callable[[bool], None]
"""Called with True when a button is held past the stuck limit, False when it is released."""


@runtime_checkable
class RatingKeypad(Protocol):
    """Five-key rating keypad at a window (评价器)."""

    def on_rating(self, callback: RatingCallback) -> None: ...

    def start(self) -> None: ...

    def stop(self) -> None: ...


@runtime_checkable
class NoticePrinter(Protocol):
    """A4 printer for notices (通知书), taking PDF."""

    def print_pdf(self, pdf: bytes, job_id: str, *, title: str = "", copies: int = 2) -> None:
        """Print a PDF on A4 (``media=A4``); raises :class:`PrinterUnavailable`."""
        ...

    def status(self) -> PrinterStatus: ...


ModemState = Literal["ready", "no-signal", "no-sim", "offline"]

MODEM_STATE_LABELS: dict[ModemState, str] = {
    "ready": "短信猫就绪",
    "no-signal": "短信猫无信号",
    "no-sim": "短信猫未插卡",
    "offline": "短信猫未连接",
}


@dataclass(frozen=True)
class ModemStatus:
    """SIM, signal and reachability of the GSM modem (短信猫)."""

    state: ModemState
    label: str
    signal: int | None = None  # AT+CSQ rssi 0..31, None when unknown
    detail: str = ""

    @classmethod
    def of(cls, state: ModemState, signal: int | None = None, detail: str = "") -> ModemStatus:
        return cls(state, MODEM_STATE_LABELS[state], signal, detail)


@dataclass(frozen=True)
class InboundSms:
    phone: str
    body: str
    received_at: str  # ISO 8601 as reported by the modem, or when read


class SmsFailed(Exception):
    """Sending failed. ``permanent`` means retrying the same message cannot help."""

    def __init__(self, reason: str, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


@runtime_checkable
class Modem(Protocol):
    """GSM modem sending and receiving SMS (短信)."""

    def send(self, phone: str, text: str) -> list[int]:
        """Send one (possibly concatenated) message; returns the message references.

        Raises :class:`SmsFailed` (temporary unless ``permanent``).
        """
        ...

    def read_inbound(
        self, handover: Callable[[list[InboundSms]], None] | None = None
    ) -> list[InboundSms]:
        """Read received messages; delete them from the SIM after ``handover`` returns.

        ``handover`` stores them durably first; if it raises, nothing is deleted.
        """
        ...

    def status(self) -> ModemStatus: ...


@runtime_checkable
class Speaker(Protocol):
    """Audio out for voice calling (语音叫号)."""

    def play_clips(self, clips: Sequence[str]) -> None:
        """Play the named clips of the voice pack in order."""
        ...
