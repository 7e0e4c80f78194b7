"""A fake GSM modem on a pseudo-terminal (虚拟短信猫), for tests and manual runs.

pyserial opens :attr:`FakeGsmDevice.path` exactly as it opens ``/dev/ttyUSB2``; a thread
answers on the master side like a real modem: ``AT``, ``ATE0/1``, ``AT+CMEE``,
``AT+CPIN?``, ``AT+CSQ``, ``AT+CREG?``, ``AT+CMGF``, ``AT+CMGS=<n>`` with the ``> ``
prompt and the PDU up to Ctrl-Z, ``AT+CMGL``, ``AT+CMGD``. Tests script it (signal, SIM,
``+CMS ERROR`` replies, silence, an unplug mid-send) and read what it received.

The device keeps its own slave fd open: without it the master reads EIO whenever pyserial
has the port closed. ``link`` keeps a stable symlink to the current pty, as udev keeps
``/dev/serial/by-id/…`` across a replug.

Manual run: ``python -m hw.modem.fake_device`` prints a path for ``modem_port``.
"""

from __future__ import annotations

import contextlib
import os
import pty
import re
import select
import threading
import time
import tty
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from hw.modem.deliver import deliver_pdus, tpdu_length

SimState = Literal["READY", "SIM PIN", "SIM PUK", "absent"]

CTRL_Z = 0x1A
ESC = 0x1B
_CMGS = re.compile(r"^AT\+CMGS=(\d+)$")
_CMGL = re.compile(r"^AT\+CMGL(?:=(\d+))?$")
_CMGD = re.compile(r"^AT\+CMGD=(\d+)(?:,(\d+))?$")


@dataclass
class _Session:
    master: int
    slave: int
    tty_path: str
    stop: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None
    closed: bool = False


class FakeGsmDevice:
    """A scriptable modem behind a pty; use as a context manager or start()/stop()."""

    def __init__(
        self,
        *,
        link: str | os.PathLike[str] | None = None,
        signal: int = 20,
        sim: SimState = "READY",
        registered: bool = True,
        echo: bool = True,
        fragment: bool = False,
    ) -> None:
        self.link = Path(link) if link is not None else None
        # ---- script (the device thread reads these on every command) ----
        self.signal = signal  # AT+CSQ rssi; 99 = no signal (sending then fails with 331)
        self.sim: SimState = sim
        self.registered = registered
        self.echo = echo
        self.fragment = fragment  # write replies a few bytes at a time
        self.silent = False  # swallow everything: the driver times out
        self.unplug_on_send = False  # close the pty when the next PDU arrives
        self.unplug_at_pdu: int | None = None  # ... or when PDU number n (1-based) arrives
        self.hang_on_send = False  # take PDUs but never answer: the send times out
        self.cms_errors: deque[int] = deque()  # the next AT+CMGS replies +CMS ERROR: n
        self.urc_before_reply: str | None = None  # written before every reply
        # ---- records ----
        self.commands: list[str] = []
        self.received_pdus: list[str] = []
        self.deleted: list[int] = []
        self.inbox: dict[int, tuple[int, str]] = {}  # SIM index -> (stat, PDU hex)
        self.pdu_mode = False
        self._next_ref = 1
        self._lock = threading.Lock()
        self._session: _Session | None = None

    # ---- lifecycle ----------------------------------------------------------------------
    @property
    def path(self) -> str:
        """The port to open: the symlink when one was asked for, else the pty itself."""
        if self.link is not None:
            return str(self.link)
        if self._session is None:
            raise RuntimeError("fake modem not started")
        return self._session.tty_path

    @property
    def plugged(self) -> bool:
        return self._session is not None and not self._session.closed

    def start(self) -> FakeGsmDevice:
        master, slave = pty.openpty()
        tty.setraw(slave)
        session = _Session(master, slave, os.ttyname(slave))
        if self.link is not None:
            tmp = self.link.with_name(self.link.name + ".new")
            tmp.unlink(missing_ok=True)
            os.symlink(session.tty_path, tmp)
            os.replace(tmp, self.link)
        session.thread = threading.Thread(
            target=self._run, args=(session,), name="fake-gsm-modem", daemon=True
        )
        self._session = session
        session.thread.start()
        return self

    def stop(self) -> None:
        session, self._session = self._session, None
        if session is None:
            return
        session.stop.set()
        if session.thread is not None and session.thread is not threading.current_thread():
            session.thread.join(timeout=2)
        self._close(session)

    def unplug(self) -> None:
        """Pull the modem out: the pty goes away under pyserial."""
        if self._session is not None:
            self._session.stop.set()
            if self._session.thread is not None:
                self._session.thread.join(timeout=2)
            self._close(self._session)

    def replug(self) -> FakeGsmDevice:
        """Plug a modem in again: a new pty (the symlink, if any, follows it)."""
        self.stop()
        self.pdu_mode = False
        self.echo = True
        return self.start()

    def __enter__(self) -> FakeGsmDevice:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _close(self, session: _Session) -> None:
        with self._lock:
            if session.closed:
                return
            session.closed = True
            for fd in (session.master, session.slave):
                with contextlib.suppress(OSError):
                    os.close(fd)

    # ---- SIM storage --------------------------------------------------------------------
    def store(self, pdu_hex: str, stat: int = 0) -> int:
        """Put an SMS-DELIVER PDU on the SIM; returns its storage index."""
        with self._lock:
            index = max(self.inbox, default=0) + 1
            self.inbox[index] = (stat, pdu_hex)
            return index

    def store_message(
        self, sender: str, text: str, *, reference: int = 0x42, gsm: bool = False
    ) -> list[int]:
        """Store an inbound message (several PDUs when long); returns the SIM indexes."""
        return [self.store(p) for p in deliver_pdus(sender, text, reference=reference, gsm=gsm)]

    def send_urc(self, line: str) -> None:
        """Write an unsolicited result code now, e.g. ``+CMTI: "SM",3``."""
        if self._session is not None and not self._session.closed:
            self._write(self._session, f"\r\n{line}\r\n")

    # ---- device thread ------------------------------------------------------------------
    def _write(self, session: _Session, text: str) -> None:
        data = text.encode("latin-1")
        step = 3 if self.fragment else len(data)
        try:
            for i in range(0, len(data), step):
                os.write(session.master, data[i : i + step])
                if self.fragment:
                    time.sleep(0.001)
        except OSError:
            pass

    def _reply(self, session: _Session, *lines: str, final: str = "OK") -> None:
        out = f"\r\n{self.urc_before_reply}\r\n" if self.urc_before_reply else ""
        out += "".join(f"\r\n{line}\r\n" for line in lines)
        self._write(session, out + f"\r\n{final}\r\n")

    def _run(self, session: _Session) -> None:
        buffer = bytearray()
        expect: int | None = None  # TPDU length while in PDU input mode
        while not session.stop.is_set():
            try:
                ready, _, _ = select.select([session.master], [], [], 0.02)
                if not ready:
                    continue
                data = os.read(session.master, 4096)
            except (OSError, ValueError):
                return
            if self.silent:
                continue
            if self.echo:
                self._write(session, data.decode("latin-1"))
            buffer += data
            while True:
                if expect is not None:
                    end = next((i for i, b in enumerate(buffer) if b in (CTRL_Z, ESC)), None)
                    if end is None:
                        break
                    cancelled = buffer[end] == ESC
                    pdu = bytes(buffer[:end]).decode("latin-1").strip()
                    del buffer[: end + 1]
                    if cancelled:
                        self._reply(session)
                    elif not self._pdu(session, expect, pdu):
                        return  # unplugged mid-send
                    expect = None
                    continue
                end = buffer.find(b"\r")
                if end < 0:
                    break
                line = bytes(buffer[:end]).decode("latin-1").strip()
                del buffer[: end + 1]
                if line:
                    expect = self._command(session, line)

    def _pdu(self, session: _Session, expect: int, pdu: str) -> bool:
        self.received_pdus.append(pdu)
        if self.unplug_on_send or self.unplug_at_pdu == len(self.received_pdus):
            self.unplug_on_send, self.unplug_at_pdu = False, None
            self._close(session)
            return False
        try:
            valid = len(pdu) % 2 == 0 and bool(bytes.fromhex(pdu)) and tpdu_length(pdu) == expect
        except ValueError:
            valid = False
        if self.hang_on_send:
            pass
        elif not valid:
            self._reply(session, final="+CMS ERROR: 304")
        elif self.cms_errors:
            self._reply(session, final=f"+CMS ERROR: {self.cms_errors.popleft()}")
        elif self.signal == 99 or not self.registered:
            self._reply(session, final="+CMS ERROR: 331")
        else:
            ref, self._next_ref = self._next_ref, (self._next_ref + 1) % 256
            self._reply(session, f"+CMGS: {ref}")
        return True

    def _command(self, session: _Session, line: str) -> int | None:
        """Answer one command line; returns the TPDU length when a PDU must follow."""
        self.commands.append(line)
        cmd = line.upper()
        if cmd in ("AT", "AT+CMEE=1", "AT+CMEE=2", "AT+CMEE=0"):
            self._reply(session)
        elif cmd in ("ATE0", "ATE1"):
            self.echo = cmd == "ATE1"
            self._reply(session)
        elif cmd == "AT+CPIN?":
            if self.sim == "absent":
                self._reply(session, final="+CME ERROR: 10")
            else:
                self._reply(session, f"+CPIN: {self.sim}")
        elif cmd == "AT+CSQ":
            self._reply(session, f"+CSQ: {self.signal},99")
        elif cmd == "AT+CREG?":
            self._reply(session, f"+CREG: 0,{1 if self.registered else 2}")
        elif cmd in ("AT+CMGF=0", "AT+CMGF=1"):
            self.pdu_mode = cmd.endswith("0")
            self._reply(session)
        elif match := _CMGS.match(cmd):
            if self.sim != "READY":
                self._reply(session, final="+CMS ERROR: 310")
            elif not self.pdu_mode:
                self._reply(session, final="+CMS ERROR: 302")
            else:
                self._write(session, "\r\n> ")
                return int(match.group(1))
        elif match := _CMGL.match(cmd):
            self._list(session, int(match.group(1) or 0))
        elif match := _CMGD.match(cmd):
            with self._lock:
                found = self.inbox.pop(int(match.group(1)), None)
                if found is not None:
                    self.deleted.append(int(match.group(1)))
            self._reply(session, final="OK" if found else "+CMS ERROR: 321")
        else:
            self._reply(session, final="ERROR")
        return None

    def _list(self, session: _Session, wanted: int) -> None:
        if self.sim != "READY":
            self._reply(session, final="+CMS ERROR: 310")
            return
        lines: list[str] = []
        with self._lock:
            for index, (stat, pdu) in sorted(self.inbox.items()):
                if wanted == 4 or stat == wanted:
                    lines += [f"+CMGL: {index},{stat},,{tpdu_length(pdu)}", pdu]
                    if stat == 0:
                        self.inbox[index] = (1, pdu)
        self._reply(session, *lines)


def main() -> None:  # pragma: no cover - manual use
    """Run a fake modem until Ctrl-C, printing each SMS it is asked to send."""
    device = FakeGsmDevice().start()
    device.store_message("13800138000", "1")
    print(f"虚拟短信猫已启动：YIZHAN_MODEM_BACKEND=gsm YIZHAN_MODEM_PORT={device.path}", flush=True)
    seen = 0
    try:
        while True:
            time.sleep(0.2)
            for pdu in device.received_pdus[seen:]:
                print(f"AT+CMGS PDU: {pdu}", flush=True)
            seen = len(device.received_pdus)
    except KeyboardInterrupt:
        device.stop()


if __name__ == "__main__":  # pragma: no cover
    main()
