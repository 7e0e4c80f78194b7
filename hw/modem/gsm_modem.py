"""The real GSM modem backend (短信猫): :class:`~hw.protocols.Modem` over AT commands.

The port is opened lazily, on the first call, and again on the first call after the modem
was unplugged: a missing modem is a status ("offline"), never a crash. Driver errors become
domain errors here and only here: :class:`~hw.protocols.SmsFailed` for :meth:`send`, a
:class:`~hw.protocols.ModemStatus` for :meth:`status`, and an empty list for
:meth:`read_inbound` (with a log line).

Retrying a failed long message sends every part again, under a new concatenation
reference; a timeout after Ctrl-Z is reported as temporary although the network may have
taken the message, so a visitor can, rarely, receive a message twice.
"""

from __future__ import annotations

import logging
import random
import re
import threading
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import TypeVar

from hw.modem.at import AtCommandError, AtDriver, AtTimeout, PortGone, SerialFactory, open_serial
from hw.modem.errors import error_info, sms_failed
from hw.modem.inbound import DEFAULT_STALE_AFTER, Reassembler, StoredPdu
from hw.modem.pdu import InvalidNumber, PduError, decode_deliver, encode_submit
from hw.protocols import InboundSms, ModemState, ModemStatus, SmsFailed

log = logging.getLogger(__name__)

T = TypeVar("T")
Handover = Callable[[list[InboundSms]], None]

_CMGL = re.compile(r"^\+CMGL:\s*(\d+)\s*,\s*(\d+)")
_CSQ = re.compile(r"^\+CSQ:\s*(\d+)")
_CREG = re.compile(r"^\+CREG:\s*(?:\d+\s*,\s*)?(\d+)")
_PIN_STATES = {
    "SIM PIN": "SIM 卡需要 PIN 码",
    "SIM PUK": "SIM 卡需要 PUK 码",
    "PH-SIM PIN": "SIM 卡需要 PH-SIM PIN 码",
}
_RECEIVED = (0, 1)  # +CMGL stat: received unread, received read
STATUS_WAIT = 0.2  # seconds status() waits for a busy modem before answering from memory


def _local_now() -> datetime:
    return datetime.now().astimezone()


class _Unavailable(Exception):
    def __init__(self, status: ModemStatus) -> None:
        super().__init__(status.detail or status.label)
        self.status = status


def _reason(status: ModemStatus) -> str:
    return f"{status.label}：{status.detail}" if status.detail else status.label


class GsmModem:
    """A GSM modem on ``port`` (e.g. ``/dev/ttyUSB2`` or a ``/dev/serial/by-id/…`` link).

    ``timeout`` bounds each ordinary AT command and the wait for the ``> `` prompt;
    ``send_timeout`` bounds the network's answer to one part. Thread-safe.
    """

    def __init__(
        self,
        port: str,
        baud: int = 115200,
        timeout: float = 5.0,
        *,
        send_timeout: float = 60.0,
        stale_after: float = DEFAULT_STALE_AFTER,
        serial_factory: SerialFactory = open_serial,
        now: Callable[[], datetime] = _local_now,
    ) -> None:
        self.port = port
        self._driver = AtDriver(
            port, baud, timeout, send_timeout=send_timeout, serial_factory=serial_factory
        )
        self._initialised = False
        self._pdu_mode = False
        self._status = ModemStatus.of("offline", detail="尚未连接")
        self._lock = threading.Lock()
        self._reassembler = Reassembler(stale_after)
        self._now = now
        self._next_reference = random.randrange(256)

    # ---- Modem --------------------------------------------------------------------------
    def send(self, phone: str, text: str) -> list[int]:
        """Send ``text`` (UCS2, concatenated when long); returns the ``+CMGS`` references."""
        with self._lock:
            reference = self._next_reference
            self._next_reference = (reference + 1) % 256
            try:
                pdus = encode_submit(phone, text, reference=reference)
            except InvalidNumber as exc:
                raise SmsFailed(str(exc), permanent=True) from exc
            except PduError as exc:
                raise SmsFailed(f"短信无法编码：{exc}", permanent=True) from exc
            try:
                self._status = self._attempt(self._probe)
                if self._status.state != "ready":
                    raise SmsFailed(_reason(self._status))
                refs: list[int] = []
                for pdu in pdus:
                    send_one = partial(self._send_one, tpdu_length=pdu.tpdu_length, pdu_hex=pdu.hex)
                    refs.append(self._attempt(send_one))
                return refs
            except _Unavailable as exc:
                raise SmsFailed(_reason(exc.status)) from exc
            except AtCommandError as exc:
                raise self._failed(exc) from exc

    def read_inbound(self, handover: Handover | None = None) -> list[InboundSms]:
        """Read the received messages and delete them from the SIM once handed over.

        Without ``handover`` the messages are deleted once decoded, right before they are
        returned. With it, ``handover(messages)`` runs first (e.g. storing them durably);
        if it raises, nothing is deleted and the messages are read again next time.
        Undecodable PDUs and incomplete long messages stay on the SIM. A modem that is not
        ready yields ``[]``.
        """
        with self._lock:
            try:
                listed = self._attempt(self._list)
            except _Unavailable as exc:
                self._status = exc.status
                return []
            except AtCommandError as exc:
                log.warning("modem: cannot list messages: %s", exc)
                return []
            stored: list[StoredPdu] = []
            for index, stat, pdu_hex in listed:
                if stat not in _RECEIVED:
                    continue  # stored outgoing messages are not inbound
                try:
                    stored.append(StoredPdu(index, decode_deliver(pdu_hex)))
                except PduError as exc:
                    log.warning(
                        "modem: SIM message %d left undecoded (%s): %s", index, exc, pdu_hex
                    )
            batch = self._reassembler.assemble(stored, self._now().isoformat(timespec="seconds"))
            messages = [item.sms for item in batch]
            if handover is not None and messages:
                handover(messages)
            for index in sorted(i for item in batch for i in item.indexes):
                if not self._delete(index):
                    break
            return messages

    def status(self) -> ModemStatus:
        """Probe SIM, signal and registration; answers from memory while a send is running."""
        if not self._lock.acquire(timeout=STATUS_WAIT):
            return self._status
        try:
            try:
                self._status = self._attempt(self._probe)
            except _Unavailable as exc:
                self._status = exc.status
            return self._status
        finally:
            self._lock.release()

    @property
    def last_status(self) -> ModemStatus:
        return self._status

    def close(self) -> None:
        with self._lock:
            self._driver.close()
            self._initialised = False

    # ---- internals ----------------------------------------------------------------------
    def _attempt(self, action: Callable[[AtDriver], T]) -> T:
        """Run ``action`` on the connected modem; an absent or silent one raises _Unavailable."""
        try:
            return action(self._connected())
        except PortGone as exc:
            log.info("modem: port %s unavailable: %s", self.port, exc)
            raise self._drop("offline", f"端口 {self.port} 不可用（已拔出？）") from exc
        except AtTimeout as exc:
            log.warning("modem: %s", exc)
            raise self._drop("offline", "短信猫无响应") from exc

    def _drop(self, state: ModemState, detail: str) -> _Unavailable:
        self._driver.close()
        self._initialised = False
        self._status = ModemStatus.of(state, detail=detail)
        return _Unavailable(self._status)

    def _connected(self) -> AtDriver:
        driver = self._driver
        if not driver.is_open:
            self._initialised = False
            driver.open()
        if not self._initialised:
            self._initialise(driver)
            self._initialised = True
        return driver

    def _initialise(self, driver: AtDriver) -> None:
        self._pdu_mode = False
        for attempt in range(3):  # the first command after power-up is often swallowed
            try:
                driver.command("AT", timeout=min(driver.timeout, 1.0))
                break
            except AtTimeout:
                if attempt == 2:
                    raise
        driver.command("ATE0")
        try:
            driver.command("AT+CMEE=1")
        except AtCommandError:
            log.info("modem: no numeric error reports (AT+CMEE=1 refused)")

    def _ensure_pdu_mode(self, driver: AtDriver) -> None:
        if not self._pdu_mode:
            driver.command("AT+CMGF=0")
            self._pdu_mode = True

    def _probe(self, driver: AtDriver) -> ModemStatus:
        try:
            lines = driver.command("AT+CPIN?")
        except AtCommandError as exc:
            return ModemStatus.of("no-sim", detail=error_info(exc.kind, exc.code).meaning)
        pin = next((ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("+CPIN:")), "")
        if pin != "READY":
            return ModemStatus.of("no-sim", detail=_PIN_STATES.get(pin, f"SIM 卡状态：{pin}"))
        rssi = self._signal(driver)
        if rssi is None:
            return ModemStatus.of("no-signal", detail="无信号（AT+CSQ 99）")
        if self._registered(driver) is False:
            return ModemStatus.of("no-signal", rssi, "未注册到移动网络")
        return ModemStatus.of("ready", rssi, f"信号 {rssi}/31")

    @staticmethod
    def _signal(driver: AtDriver) -> int | None:
        try:
            lines = driver.command("AT+CSQ")
        except AtCommandError:
            return None
        for line in lines:
            match = _CSQ.match(line)
            if match:
                rssi = int(match.group(1))
                return rssi if rssi <= 31 else None  # 99: not known or not detectable
        return None

    @staticmethod
    def _registered(driver: AtDriver) -> bool | None:
        """Home (1) or roaming (5) registration; None when the modem does not say."""
        try:
            lines = driver.command("AT+CREG?")
        except AtCommandError:
            return None
        for line in lines:
            match = _CREG.match(line)
            if match:
                return int(match.group(1)) in (1, 5)
        return None

    def _send_one(self, driver: AtDriver, tpdu_length: int, pdu_hex: str) -> int:
        self._ensure_pdu_mode(driver)
        return driver.send_pdu(tpdu_length, pdu_hex)

    def _failed(self, exc: AtCommandError) -> SmsFailed:
        info = error_info(exc.kind, exc.code)
        if info.state is not None:
            self._status = ModemStatus.of(info.state, detail=info.meaning)
        log.warning("modem: %s", exc)
        return sms_failed(exc.kind, exc.code)

    def _list(self, driver: AtDriver) -> list[tuple[int, int, str]]:
        self._ensure_pdu_mode(driver)
        lines = driver.command("AT+CMGL=4")
        listed: list[tuple[int, int, str]] = []
        header: tuple[int, int] | None = None
        for line in lines:
            match = _CMGL.match(line)
            if match:
                header = (int(match.group(1)), int(match.group(2)))
            elif header is not None:
                listed.append((header[0], header[1], line))
                header = None
        return listed

    def _delete(self, index: int) -> bool:
        """``AT+CMGD=<index>``; False when the modem went away (stop deleting for now)."""
        try:
            self._attempt(lambda d: d.command(f"AT+CMGD={index}"))
        except _Unavailable:
            return False
        except AtCommandError as exc:
            log.warning("modem: cannot delete SIM message %d: %s", index, exc)
        return True
