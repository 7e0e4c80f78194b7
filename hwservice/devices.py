"""The devices the settings ask for (设备装配): printers, modem and speaker for ``yizhan hw``.

Drivers in ``hw`` never read the settings; this module picks a backend for each device and
hands it plain values (a queue name, a port, a folder).
"""

from __future__ import annotations

import logging

from appliance.settings import Settings
from hw.modem.simulated import MODEM_BACKENDS, SimulatedModem
from hw.printers import PRINTER_BACKENDS, SimulatedNoticePrinter, SimulatedReceiptPrinter
from hw.protocols import Modem, NoticePrinter, ReceiptPrinter, Speaker
from hw.voice.pack import VoicePack, VoicePackError, load_voice_pack
from hw.voice.speaker import (
    DEFAULT_SPEAKER_BACKEND,
    SPEAKER_BACKENDS,
    AplaySpeaker,
    FakeSpeaker,
    FileSpeaker,
)

log = logging.getLogger("yizhan.hw")


def _cups_settings(settings: Settings) -> tuple[str | None, float]:
    return settings.cups_server.strip() or None, settings.cups_stall_seconds


def _unknown(kind: str, value: str) -> ValueError:
    return ValueError(f"未知的{kind}类型“{value}”，可选：{'、'.join(PRINTER_BACKENDS)}")


def make_receipt_printer(settings: Settings) -> ReceiptPrinter | None:
    """The receipt printer the settings ask for; ``None`` when printing is switched off.

    ``cups`` prints to the raw queue ``cups_receipt_queue`` on ``cups_server`` (empty: the
    system's CUPS).
    """
    backend = settings.printer_backend.strip().lower()
    if backend == "cups":
        from hw.cups import CupsReceiptPrinter

        server, stall = _cups_settings(settings)
        queue = settings.cups_receipt_queue
        return CupsReceiptPrinter(queue, server, stall_seconds=stall)
    if backend == "simulated":
        return SimulatedReceiptPrinter(settings.data_path / "receipts")
    if backend == "none":
        return None
    raise _unknown("小票打印机", settings.printer_backend)


def make_notice_printer(settings: Settings) -> NoticePrinter | None:
    """The A4 notice printer the settings ask for; ``None`` when the station has none.

    ``cups`` prints PDF to ``cups_notice_queue`` (``media=A4``, 2 copies); ``simulated`` writes
    the PDFs under DATA_DIR/notices. When this returns ``None`` but
    :func:`make_receipt_printer` does not, the caller prints the condensed receipt version
    of the notice instead (:func:`appliance.documents.pdf.notice_receipt`, i.e.
    :func:`appliance.documents.receipt.build_notice_receipt`), once per copy, and keeps the full PDF with
    the case.
    """
    raw = settings.notice_printer_backend
    backend = raw.strip().lower()
    if backend == "cups":
        from hw.cups import CupsNoticePrinter

        server, stall = _cups_settings(settings)
        queue = settings.cups_notice_queue
        return CupsNoticePrinter(queue, server, stall_seconds=stall)
    if backend == "simulated":
        return SimulatedNoticePrinter(settings.data_path / "notices")
    if backend == "none":
        return None
    raise _unknown("通知书打印机", raw)


def make_modem(settings: Settings) -> Modem | None:
    """The modem the settings ask for (``modem_backend``); ``None`` when SMS is switched off."""
    backend = settings.modem_backend.strip().lower()
    if backend == "simulated":
        return SimulatedModem(settings.data_path / "sms")
    if backend == "gsm":
        from hw.modem.gsm_modem import GsmModem  # pyserial only where a modem is used

        return GsmModem(
            settings.modem_port,
            settings.modem_baud,
            settings.modem_timeout,
            send_timeout=settings.modem_send_timeout,
        )
    if backend == "none":
        return None
    raise ValueError(f"未知的短信猫类型“{backend}”，可选：{'、'.join(MODEM_BACKENDS)}")


def load_configured_pack(settings: Settings) -> VoicePack:
    """The pack named by ``voice_pack_dir``; the shipped default when empty or unusable.

    A broken custom pack falls back to the default pack with a logged error, so a half
    recorded pack never silences the hall (``yizhan doctor`` shows the error).
    """
    configured = settings.voice_pack_dir
    if not configured:
        return load_voice_pack()
    try:
        return load_voice_pack(configured)
    except VoicePackError as exc:
        log.error("%s；改用默认语音包", exc.message)
        return load_voice_pack()


def make_speaker(settings: Settings) -> Speaker | None:
    """The speaker ``speaker_backend`` asks for; ``None`` when voice calling is switched off."""
    backend = (settings.speaker_backend or DEFAULT_SPEAKER_BACKEND).strip().lower()
    if backend == "none":
        return None
    if backend == "fake":
        return FakeSpeaker()
    if backend == "aplay":
        return AplaySpeaker(load_configured_pack(settings))
    if backend == "file":
        return FileSpeaker(load_configured_pack(settings), settings.data_path / "voice")
    raise ValueError(f"未知的语音叫号方式“{backend}”，可选：{'、'.join(SPEAKER_BACKENDS)}")
