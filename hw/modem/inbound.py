"""Inbound SMS reassembly (短信接收): join the parts of long messages by their reference.

The SIM lists every part of a long message as its own PDU. Parts are grouped by sender,
reference and part count, and put in order. A group with a part still missing stays on the
SIM (neither returned nor deleted) until the part arrives; after ``stale_after`` seconds it
is handed over anyway with “……” where text is missing, so one lost part cannot fill the SIM.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hw.modem.pdu import DeliverPdu
from hw.protocols import InboundSms

MISSING_PART = "……"
DEFAULT_STALE_AFTER = 6 * 3600.0

GroupKey = tuple[str, int, int]


@dataclass(frozen=True)
class StoredPdu:
    """A decoded PDU and the SIM storage index it came from (for ``AT+CMGD``)."""

    index: int
    pdu: DeliverPdu


@dataclass(frozen=True)
class Assembled:
    """A whole message and every SIM index it used: delete them once it is handed over."""

    sms: InboundSms
    indexes: tuple[int, ...]
    complete: bool = True


def clean_text(text: str) -> str:
    """Rejoin surrogate pairs cut between parts; a lone half becomes U+FFFD."""
    return text.encode("utf-16-be", "surrogatepass").decode("utf-16-be", "replace")


class Reassembler:
    """Turns the PDUs listed on the SIM into whole messages (see the module docstring)."""

    def __init__(
        self,
        stale_after: float = DEFAULT_STALE_AFTER,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stale_after = stale_after
        self._clock = clock
        self._first_seen: dict[GroupKey, float] = {}

    def assemble(self, stored: Sequence[StoredPdu], received_at: str) -> list[Assembled]:
        """Whole messages among ``stored``, in SIM order; ``received_at`` is the fallback time."""
        now = self._clock()
        out: list[Assembled] = []
        groups: dict[GroupKey, list[StoredPdu]] = {}
        for item in stored:
            concat = item.pdu.concat
            if concat is None or concat.total == 1:
                sms = InboundSms(
                    item.pdu.phone, clean_text(item.pdu.text), item.pdu.timestamp or received_at
                )
                out.append(Assembled(sms, (item.index,)))
            else:
                key = (str(item.pdu.sender), concat.reference, concat.total)
                groups.setdefault(key, []).append(item)
        for key, items in groups.items():
            assembled = self._group(key, items, now, received_at)
            if assembled is not None:
                out.append(assembled)
        for key in set(self._first_seen) - set(groups):
            del self._first_seen[key]  # deleted elsewhere, or handed over
        return sorted(out, key=lambda a: min(a.indexes))

    def _group(
        self, key: GroupKey, items: list[StoredPdu], now: float, received_at: str
    ) -> Assembled | None:
        total = key[2]
        by_seq: dict[int, StoredPdu] = {}
        for item in items:
            assert item.pdu.concat is not None
            by_seq.setdefault(item.pdu.concat.seq, item)  # a repeated part: keep the first
        complete = len(by_seq) == total
        first_seen = self._first_seen.setdefault(key, now)
        if not complete and now - first_seen < self.stale_after:
            return None
        self._first_seen.pop(key, None)
        text = "".join(
            by_seq[seq].pdu.text if seq in by_seq else MISSING_PART for seq in range(1, total + 1)
        )
        head = by_seq[min(by_seq)].pdu
        sms = InboundSms(head.phone, clean_text(text), head.timestamp or received_at)
        return Assembled(sms, tuple(sorted(i.index for i in items)), complete)
