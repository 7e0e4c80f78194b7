"""SMS worker: send leased messages through the modem, hand inbound SMS to the server.

Messages wait (on the server) while there is no signal; temporary failures retry with the
server's backoff, permanent ones wait for staff. Inbound messages are spooled to a local
file before the server has them, because the modem deletes them from the SIM once read.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from hw.protocols import InboundSms, Modem, SmsFailed
from hwservice.api import ApiUnavailable, DeviceApi

log = logging.getLogger("yizhan.hw.sms")


class InboundSpool:
    """Append-only JSON-lines file of inbound SMS not yet accepted by the server."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)

    def load(self) -> list[InboundSms]:
        if not self.path.exists():
            return []
        out = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                out.append(InboundSms(d["phone"], d["body"], d["received_at"]))
        return out

    def save(self, messages: list[InboundSms]) -> None:
        tmp = self.path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            for m in messages:
                fh.write(json.dumps(m.__dict__, ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)


class SmsWorker:
    def __init__(self, api: DeviceApi, modem: Modem, spool: InboundSpool) -> None:
        self.api = api
        self.modem = modem
        self.spool = spool
        self._last_state: str | None = None

    def report_state(self) -> str:
        st = self.modem.status()
        key = f"{st.state}|{st.signal}"
        if key != self._last_state:
            detail = f"信号 {st.signal}" if st.signal is not None else st.detail
            self.api.report_status("modem", st.state, st.label, detail)
            self._last_state = key
        return st.state

    def run_once(self, max_messages: int = 10) -> tuple[int, str | None]:
        """Send what is due; returns (sent, why it stopped early or None)."""
        if self.report_state() != "ready":
            return 0, "短信猫未就绪"
        sent = 0
        while sent < max_messages:
            claims = self.api.claim_sms(limit=1)
            if not claims:
                break
            msg = claims[0]
            try:
                refs = self.modem.send(msg.phone, msg.body)
            except SmsFailed as exc:
                self.api.sms_failed(msg.id, exc.reason, exc.permanent)
                if not exc.permanent:
                    self._last_state = None
                    return sent, exc.reason
                continue
            self.api.sms_sent(msg.id, refs)
            sent += 1
        return sent, None

    def poll_inbound(self) -> int:
        """Read the SIM, spool, then hand each message to the server; returns delivered count."""
        pending = self.spool.load()

        def keep(fresh: list[InboundSms]) -> None:
            # durable before the modem deletes them from the SIM
            self.spool.save(pending + fresh)

        fresh = self.modem.read_inbound(handover=keep)
        pending += fresh
        delivered = 0
        while pending:
            m = pending[0]
            try:
                self.api.sms_inbound(m.phone, m.body, m.received_at)
            except ApiUnavailable:
                break
            pending.pop(0)
            delivered += 1
            self.spool.save(pending)
        return delivered
