"""The AT-command driver under the modem backend that sends R-Q3 notices ("前面还有 N 人",
"请到 2 号窗口"): line reading, echo, URCs, partial reads, prompts, errors and timeouts.

Most tests talk real pyserial to the fake pty modem; a scripted in-memory port pins down
exact byte splits.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import pytest

from hw.modem.at import AtCommandError, AtDriver, AtTimeout, PortGone, SerialPort
from hw.modem.fake_device import FakeGsmDevice
from hw.modem.pdu import encode_submit


@pytest.fixture
def device(tmp_path: Path) -> Iterator[FakeGsmDevice]:
    with FakeGsmDevice(link=tmp_path / "ttyGSM") as dev:
        yield dev


@pytest.fixture
def driver(device: FakeGsmDevice) -> Iterator[AtDriver]:
    at = AtDriver(device.path, timeout=0.3, send_timeout=0.5)
    at.open()
    yield at
    at.close()


class ScriptedPort:
    """An in-memory port that answers each write with the next list of chunks."""

    def __init__(self, *replies: list[bytes]) -> None:
        self.replies = deque(replies)
        self.pending: deque[bytes] = deque()
        self.written: list[bytes] = []

    @property
    def in_waiting(self) -> int:
        return len(self.pending[0]) if self.pending else 0

    def read(self, size: int = 1) -> bytes:
        if not self.pending:
            time.sleep(0.01)
            return b""
        return self.pending.popleft()  # one chunk per read: lines arrive in pieces

    def write(self, data: bytes) -> int:
        self.written.append(data)
        if self.replies:
            self.pending.extend(self.replies.popleft())
        return len(data)

    def reset_input_buffer(self) -> None:
        pass

    def close(self) -> None:
        pass


def scripted(*replies: list[bytes]) -> tuple[AtDriver, ScriptedPort]:
    port = ScriptedPort(*replies)

    def factory(path: str, baud: int, write_timeout: float) -> SerialPort:
        return port

    at = AtDriver("scripted", timeout=0.3, serial_factory=factory)
    at.open()
    return at, port


def test_echo_is_skipped(device: FakeGsmDevice, driver: AtDriver) -> None:
    assert device.echo
    assert driver.command("AT+CSQ") == ["+CSQ: 20,99"]
    assert driver.command("AT+CPIN?") == ["+CPIN: READY"]  # its own +CPIN: is not a URC
    driver.command("ATE0")
    assert not device.echo
    assert driver.command("AT+CREG?") == ["+CREG: 0,1"]  # its own +CREG: either


def test_urcs_between_lines_are_set_aside(device: FakeGsmDevice, driver: AtDriver) -> None:
    device.urc_before_reply = '+CMTI: "SM",4'
    assert driver.command("AT+CSQ") == ["+CSQ: 20,99"]
    assert '+CMTI: "SM",4' in driver.urcs


def test_partial_reads() -> None:
    at, _ = scripted(
        [b"\r\n+CS", b"Q: 1", b"5,99\r", b"\n\r\nO", b"K\r\n"],
    )
    assert at.command("AT+CSQ") == ["+CSQ: 15,99"]


def test_cmt_urc_and_its_pdu_are_skipped() -> None:
    at, _ = scripted(
        [b"\r\n+CMT: ,24\r\n0791683108", b"200505F0040D91\r\n", b"\r\n+CSQ: 9,99\r\n\r\nOK\r\n"]
    )
    assert at.command("AT+CSQ") == ["+CSQ: 9,99"]
    assert at.urcs[-1] == "+CMT: ,24"


def test_prompt_and_reference_with_echo_and_bare_cr() -> None:
    (pdu,) = encode_submit("13812345678", "请到 2 号窗口")
    at, port = scripted(
        [f"AT+CMGS={pdu.tpdu_length}\r".encode(), b"\r\n", b"> "],
        [pdu.hex.encode() + b"\x1a", b"\r\n+CMGS: 77\r\n\r\nOK\r\n"],
    )
    assert at.send_pdu(pdu.tpdu_length, pdu.hex) == 77
    assert port.written == [f"AT+CMGS={pdu.tpdu_length}\r".encode(), pdu.hex.encode() + b"\x1a"]


def test_error_before_prompt() -> None:
    at, _ = scripted([b"\r\n+CMS ERROR: 310\r\n"])
    with pytest.raises(AtCommandError) as caught:
        at.send_pdu(20, "00" * 21)
    assert (caught.value.kind, caught.value.code) == ("CMS", 310)


@pytest.mark.parametrize(
    ("reply", "kind", "code"),
    [
        (b"\r\nERROR\r\n", None, None),
        (b"\r\n+CME ERROR: 10\r\n", "CME", 10),
        (b"\r\n+CMS ERROR: 500\r\n", "CMS", 500),
        (b"\r\n+CME ERROR: SIM not inserted\r\n", "CME", None),
    ],
)
def test_error_results(reply: bytes, kind: str | None, code: int | None) -> None:
    at, _ = scripted([reply])
    with pytest.raises(AtCommandError) as caught:
        at.command("AT+CPIN?")
    assert (caught.value.kind, caught.value.code) == (kind, code)


def test_send_pdu_over_the_pty(device: FakeGsmDevice, driver: AtDriver) -> None:
    driver.command("AT+CMGF=0")
    (pdu,) = encode_submit("13812345678", "前面还有 2 人")
    assert driver.send_pdu(pdu.tpdu_length, pdu.hex) == 1
    assert device.received_pdus == [pdu.hex]


def test_wrong_length_is_refused_by_the_modem(device: FakeGsmDevice, driver: AtDriver) -> None:
    driver.command("AT+CMGF=0")
    (pdu,) = encode_submit("13812345678", "前面还有 2 人")
    with pytest.raises(AtCommandError) as caught:
        driver.send_pdu(pdu.tpdu_length + 1, pdu.hex)
    assert caught.value.code == 304


def test_silent_modem_times_out(device: FakeGsmDevice, driver: AtDriver) -> None:
    device.silent = True
    started = time.monotonic()
    with pytest.raises(AtTimeout) as caught:
        driver.command("AT", timeout=0.15)
    assert 0.15 <= time.monotonic() - started < 1.5
    assert "AT" in str(caught.value)


def test_missing_prompt_times_out_and_escapes() -> None:
    at, port = scripted([b"\r\n"])
    with pytest.raises(AtTimeout):
        at.send_pdu(20, "00" * 21)
    assert port.written[-1] == b"\x1b"


def test_port_missing_or_vanishing(device: FakeGsmDevice, tmp_path: Path) -> None:
    with pytest.raises(PortGone):
        AtDriver(str(tmp_path / "none")).open()
    at = AtDriver(device.path, timeout=0.3)
    at.open()
    at.command("AT")
    device.unplug()
    with pytest.raises(PortGone):
        at.command("AT")
    assert not at.is_open
