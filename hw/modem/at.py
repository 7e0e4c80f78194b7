"""AT-command driver (AT 指令) over pyserial, with a deadline on every command.

Bytes go into one buffer and are cut into lines on CR or LF, so partial reads, the echo of
our own command, blank lines and unsolicited result codes (URCs such as ``+CMTI:``) that a
modem interleaves with a reply are all handled here. Errors:

- :class:`AtTimeout`: no final result code before the deadline (a silent modem);
- :class:`AtCommandError`: ``ERROR``, ``+CMS ERROR: <n>`` or ``+CME ERROR: <n>``;
- :class:`PortGone`: the port cannot be opened or vanished (unplugged). The driver closes
  itself; the next :meth:`AtDriver.open` reconnects.
"""

from __future__ import annotations

import contextlib
import logging
import re
import termios
import time
from collections import deque
from collections.abc import Callable, Iterable
from typing import Protocol

import serial

log = logging.getLogger(__name__)

CTRL_Z = b"\x1a"
ESC = b"\x1b"
READ_SLICE = 0.05  # seconds one read waits; deadlines are checked between reads

URC_PREFIXES = (
    "+CMTI:",
    "+CMT:",
    "+CDSI:",
    "+CDS:",
    "+CBM:",
    "+CREG:",
    "+CGREG:",
    "+CEREG:",
    "+CPIN:",
    "+CUSD:",
    "+CRING:",
    "+CLIP:",
    "RING",
    "^",
    "RDY",
    "SMS Ready",
    "Call Ready",
    "SMS DONE",
    "PB DONE",
    "+QIND:",
    "*PSUTTZ",
    "+CTZV:",
    "+PACSP",
    "+STIN:",
)
_FOLLOWED_BY_PDU = ("+CMT:", "+CDS:", "+CBM:")
_ERROR = re.compile(r"^\+(CMS|CME) ERROR:\s*(.*)$")
_CMGS = re.compile(r"^\+CMGS:\s*(\d+)")
_OWN_PREFIX = re.compile(r"^AT([+^][A-Z]+)", re.IGNORECASE)
_EOL = re.compile(rb"[\r\n]")


class SerialPort(Protocol):
    """The part of :class:`serial.Serial` the driver uses (a test may pass its own)."""

    @property
    def in_waiting(self) -> int: ...

    def read(self, size: int = 1) -> bytes: ...

    def write(self, data: bytes) -> int | None: ...

    def reset_input_buffer(self) -> None: ...

    def close(self) -> None: ...


SerialFactory = Callable[[str, int, float], SerialPort]


def open_serial(port: str, baud: int, write_timeout: float) -> SerialPort:
    """Open ``port`` with pyserial: 8N1, no flow control, short read slices."""
    opened: SerialPort = serial.Serial(port, baud, timeout=READ_SLICE, write_timeout=write_timeout)
    return opened


class AtError(Exception):
    """Base of the driver's errors."""


class AtTimeout(AtError):
    def __init__(self, command: str, seconds: float) -> None:
        super().__init__(f"{command}: no answer within {seconds:.1f} s")
        self.command = command
        self.seconds = seconds


class PortGone(AtError):
    """The serial port cannot be opened, or vanished mid-command."""


class AtCommandError(AtError):
    """The modem answered ``ERROR``, ``+CMS ERROR: n`` or ``+CME ERROR: n``."""

    def __init__(self, command: str, line: str, kind: str | None, code: int | None) -> None:
        super().__init__(f"{command}: {line}")
        self.command = command
        self.line = line
        self.kind = kind  # "CMS", "CME", or None for a bare ERROR
        self.code = code


def _error_from(command: str, line: str) -> AtCommandError | None:
    if line == "ERROR":
        return AtCommandError(command, line, None, None)
    match = _ERROR.match(line)
    if match is None:
        return None
    code = match.group(2).strip()
    return AtCommandError(command, line, match.group(1), int(code) if code.isdigit() else None)


class AtDriver:
    """Talks AT commands to one serial port. Not thread-safe: the caller holds a lock."""

    def __init__(
        self,
        port: str,
        baud: int = 115200,
        timeout: float = 5.0,
        *,
        send_timeout: float = 60.0,
        serial_factory: SerialFactory = open_serial,
    ) -> None:
        self.port = port
        self.baud = baud
        self.timeout = timeout
        self.send_timeout = send_timeout
        self._factory = serial_factory
        self._serial: SerialPort | None = None
        self._buffer = bytearray()
        self.urcs: deque[str] = deque(maxlen=50)  # recent unsolicited result codes

    # ---- port ---------------------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        return self._serial is not None

    def open(self) -> None:
        if self._serial is not None:
            return
        try:
            self._serial = self._factory(self.port, self.baud, self.timeout)
        except (serial.SerialException, OSError, ValueError) as exc:
            raise PortGone(f"cannot open {self.port}: {exc}") from exc
        self._buffer.clear()

    def close(self) -> None:
        port, self._serial = self._serial, None
        self._buffer.clear()
        if port is not None:
            with contextlib.suppress(serial.SerialException, OSError, termios.error):
                port.close()

    def _port(self) -> SerialPort:
        if self._serial is None:
            raise PortGone(f"{self.port} is not open")
        return self._serial

    def _gone(self, exc: BaseException) -> PortGone:
        self.close()
        return PortGone(f"{self.port}: {exc}")

    def _write(self, data: bytes, command: str) -> None:
        port = self._port()
        try:
            port.write(data)
        except serial.SerialTimeoutException as exc:
            raise AtTimeout(command, self.timeout) from exc
        except (serial.SerialException, OSError, termios.error) as exc:
            raise self._gone(exc) from exc

    def _fill(self, command: str, deadline: float, seconds: float) -> None:
        """Read what arrives within one slice; raise AtTimeout past the deadline."""
        if time.monotonic() >= deadline:
            raise AtTimeout(command, seconds)
        port = self._port()
        try:
            chunk = port.read(max(1, min(port.in_waiting, 4096)))
        except (serial.SerialException, OSError, termios.error) as exc:
            raise self._gone(exc) from exc
        self._buffer += chunk

    def _pop_line(self) -> str | None:
        """The next complete line (stripped), or None while only a partial line is buffered."""
        match = _EOL.search(self._buffer)
        if match is None:
            return None
        raw = bytes(self._buffer[: match.start()])
        del self._buffer[: match.end()]
        return raw.decode("latin-1").strip()

    def _start(self, command: str) -> None:
        self._buffer.clear()
        port = self._port()
        try:
            port.reset_input_buffer()  # drop stale URCs and late replies
        except (serial.SerialException, OSError, termios.error) as exc:
            raise self._gone(exc) from exc
        self._write(command.encode("ascii") + b"\r", command)

    # ---- commands -----------------------------------------------------------------------
    def command(self, command: str, timeout: float | None = None) -> list[str]:
        """Send ``command`` and return its information lines once ``OK`` arrives."""
        seconds = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + seconds
        self._start(command)
        return self._collect(command, deadline, seconds)

    def send_pdu(self, tpdu_length: int, pdu_hex: str, timeout: float | None = None) -> int:
        """``AT+CMGS=<length>``, wait for ``> ``, send the PDU and Ctrl-Z; return the reference.

        The prompt must come within the command timeout, the result within ``timeout``
        (default ``send_timeout``: the network may take many seconds).
        """
        command = f"AT+CMGS={tpdu_length}"
        deadline = time.monotonic() + self.timeout
        self._start(command)
        try:
            self._wait_prompt(command, deadline)
        except AtTimeout:
            self._abort_input(command)
            raise
        self._write(pdu_hex.encode("ascii") + CTRL_Z, command)
        seconds = self.send_timeout if timeout is None else timeout
        lines = self._collect(command, time.monotonic() + seconds, seconds, echo=(pdu_hex,))
        for line in lines:
            match = _CMGS.match(line)
            if match:
                return int(match.group(1))
        log.warning("%s: OK without a +CMGS reference", command)
        return -1

    def _abort_input(self, command: str) -> None:
        with contextlib.suppress(AtError):
            self._write(ESC, command)  # leave text input mode if the prompt came late

    def _is_echo(self, line: str, command: str, echo: Iterable[str]) -> bool:
        bare = line.replace("\x1a", "").strip()
        return bare.upper() == command.upper() or bare in echo

    def _is_urc(self, line: str, command: str) -> bool:
        own = _OWN_PREFIX.match(command)
        if own and line.upper().startswith(own.group(1).upper() + ":"):
            return False  # the command's own information line, such as +CPIN: READY
        return line.startswith(URC_PREFIXES)

    def _collect(
        self, command: str, deadline: float, seconds: float, echo: Iterable[str] = ()
    ) -> list[str]:
        info: list[str] = []
        skip_pdu = False
        while True:
            line = self._pop_line()
            if line is None:
                self._fill(command, deadline, seconds)
                continue
            if not line or self._is_echo(line, command, echo):
                continue
            if skip_pdu:  # the PDU line after a +CMT: URC
                skip_pdu = False
                continue
            if line == "OK":
                return info
            error = _error_from(command, line)
            if error is not None:
                raise error
            if self._is_urc(line, command):
                self.urcs.append(line)
                skip_pdu = line.startswith(_FOLLOWED_BY_PDU)
                continue
            info.append(line)

    def _wait_prompt(self, command: str, deadline: float) -> None:
        while True:
            while self._buffer and self._buffer[0] in b"\r\n":
                del self._buffer[:1]
            if self._buffer.startswith(b">"):
                del self._buffer[: 2 if self._buffer.startswith(b"> ") else 1]
                return
            line = self._pop_line()
            if line is None:
                self._fill(command, deadline, self.timeout)
                continue
            if not line or self._is_echo(line, command, ()):
                continue
            error = _error_from(command, line)
            if error is not None:
                raise error
            if line == "OK" or not self._is_urc(line, command):
                raise AtCommandError(command, line, None, None)  # no prompt: a confused modem
            self.urcs.append(line)
