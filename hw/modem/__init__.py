"""GSM modem SMS (短信猫): the device protocol in its own package.

- :mod:`.pdu` — our UCS2 SMS-SUBMIT encoder and SMS-DELIVER decoder;
- :mod:`.at` — the AT-command driver over pyserial;
- :mod:`.gsm_modem` — :class:`GsmModem`, the real :class:`~hw.protocols.Modem`;
- :mod:`.simulated` — :class:`SimulatedModem` (``make run``), :class:`FakeModem` (tests),
  and :func:`make_modem`, which picks one from the settings;
- :mod:`.fake_device` — a fake modem on a pseudo-terminal that pyserial talks to.

The station core never imports pyserial: it calls :func:`make_modem` and talks to the
result through :class:`hw.protocols.Modem`.
"""

from hw.modem.pdu import (
    InvalidNumber,
    PduError,
    SubmitPdu,
    decode_deliver,
    encode_submit,
    parse_number,
)
from hw.modem.simulated import MODEM_BACKENDS, FakeModem, SentSms, SimulatedModem

__all__ = [
    "MODEM_BACKENDS",
    "FakeModem",
    "InvalidNumber",
    "PduError",
    "SentSms",
    "SimulatedModem",
    "SubmitPdu",
    "decode_deliver",
    "encode_submit",
    "parse_number",
]
