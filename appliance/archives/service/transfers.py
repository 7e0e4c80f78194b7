"""Paper-transfer lists (政务服务纸质文件移交清单, HN-5 7.3.4–7.3.5, 附录A; R-A2).

Window staff hand a batch of finished cases' paper files to the implementing body's business
department with a list signed by both sides. A batch the receiver returns as non-compliant
(退回, with the reason) is corrected and handed over again (修正补充后再次移交): a new round,
with its own list; the record keeps every round, its list PDF (hash-checked), who submitted
it and how it came back. A case is on one batch only.

States: ``submitted`` (待接收) → ``returned`` (退回) → ``submitted`` (round + 1) … →
``accepted`` (已接收, final).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from appliance.archives.schemas import TransferRoundView, TransferView
from appliance.archives.service.render import TransferLine, TransferSheet, transfer_pdf
from appliance.archives.service.store import TRANSFERS, archive_root, commit_with_file, write_temp
from appliance.archives.tables import (
    ArchivePackage,
    ArchiveTransfer,
    ArchiveTransferLine,
    ArchiveTransferRound,
)
from appliance.cases.tables import CaseRecord
from appliance.core.clock import Clock
from appliance.core.errors import Conflict, Invalid, NotFound
from appliance.db.database import Database
from appliance.events.log import append_event
from appliance.settings import Settings

STATUS_LABELS = {"submitted": "待接收", "returned": "退回", "accepted": "已接收"}
OUTCOME_LABELS = {"": "待接收", "returned": "退回", "accepted": "已接收"}


def _round_view(r: ArchiveTransferRound) -> TransferRoundView:
    return TransferRoundView(
        round=r.round,
        case_numbers=list(json.loads(r.case_numbers)),
        note=r.note,
        submitted_at=r.submitted_at,
        submitted_by=r.submitted_by,
        pdf_sha256=r.pdf_sha256,
        outcome=r.outcome,
        outcome_label=OUTCOME_LABELS.get(r.outcome, r.outcome),
        outcome_at=r.outcome_at,
        outcome_by=r.outcome_by,
        outcome_reason=r.outcome_reason,
    )


def _clean(numbers: list[str]) -> list[str]:
    out = [n.strip().upper() for n in numbers if n.strip()]
    if not out:
        raise Invalid("移交清单至少要有一件办件", "empty_transfer")
    if len(set(out)) != len(out):
        raise Invalid("移交清单中有重复的办件编号", "duplicate_case")
    return out


class TransferService:
    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.tz = ZoneInfo(settings.timezone)
        self.root = archive_root(settings.data_path)

    # ---- reads ---------------------------------------------------------------------------
    def _transfer(self, s: Session, number: str) -> ArchiveTransfer:
        t = s.exec(select(ArchiveTransfer).where(ArchiveTransfer.number == number)).first()
        if t is None:
            raise NotFound(f"没有编号为“{number}”的移交清单", "unknown_transfer")
        return t

    def _view(self, s: Session, t: ArchiveTransfer) -> TransferView:
        rounds = s.exec(
            select(ArchiveTransferRound)
            .where(ArchiveTransferRound.transfer_id == t.id)
            .order_by(col(ArchiveTransferRound.round))
        ).all()
        return TransferView(
            number=t.number,
            receiver=t.receiver,
            status=t.status,
            status_label=STATUS_LABELS[t.status],
            round=t.round,
            created_at=t.created_at,
            rounds=[_round_view(r) for r in rounds],
        )

    def all(self) -> list[TransferView]:
        with self.db.read() as s:
            rows = s.exec(select(ArchiveTransfer).order_by(col(ArchiveTransfer.created_at).desc()))
            return [self._view(s, t) for t in rows]

    def get(self, number: str) -> TransferView:
        with self.db.read() as s:
            return self._view(s, self._transfer(s, number))

    def pdf(self, number: str, round_no: int) -> tuple[bytes, str]:
        with self.db.read() as s:
            t = self._transfer(s, number)
            r = s.exec(
                select(ArchiveTransferRound).where(
                    ArchiveTransferRound.transfer_id == t.id, ArchiveTransferRound.round == round_no
                )
            ).first()
        if r is None:
            raise NotFound(f"移交清单 {number} 没有第 {round_no} 次移交", "unknown_round")
        try:
            data = (self.root / r.pdf_path).read_bytes()
        except OSError:
            raise Conflict(f"移交清单文件“{r.pdf_path}”已丢失", "transfer_file_missing") from None
        if hashlib.sha256(data).hexdigest() != r.pdf_sha256:
            raise Conflict(f"移交清单文件“{r.pdf_path}”校验值不符", "transfer_file_corrupt")
        return data, f"{number}-{round_no}.pdf"

    # ---- the list's lines ----------------------------------------------------------------
    def _lines(self, s: Session, numbers: list[str], transfer_id: str = "") -> list[TransferLine]:
        """Each case must have its package and be on no other batch."""
        lines = []
        for number in numbers:
            p = s.exec(select(ArchivePackage).where(ArchivePackage.case_number == number)).first()
            if p is None:
                raise Conflict(f"办件 {number} 还没有归档信息包，请先归档再移交", "not_archived")
            on = s.get(ArchiveTransferLine, number)
            if on is not None and on.transfer_id != transfer_id:
                other = s.get(ArchiveTransfer, on.transfer_id)
                raise Conflict(
                    f"办件 {number} 已在移交清单 {other.number if other else ''} 中", "in_transfer"
                )
            case = s.get(CaseRecord, p.case_id)
            applicant = json.loads(case.applicant) if case is not None else {}
            lines.append(
                TransferLine(
                    p.archive_no,
                    p.case_number,
                    p.item_name,
                    str(applicant.get("name", "")),
                    p.completed_on,
                    p.retention,
                    p.file_count,
                )
            )
        return lines

    def _round(
        self,
        s: Session,
        t: ArchiveTransfer,
        numbers: list[str],
        note: str,
        rel: str,
        pdf: bytes,
        by: str,
        now: datetime,
    ) -> None:
        for line in s.exec(
            select(ArchiveTransferLine).where(ArchiveTransferLine.transfer_id == t.id)
        ):
            s.delete(line)
        s.flush()
        for n in numbers:
            s.add(ArchiveTransferLine(case_number=n, transfer_id=t.id))
        s.add(
            ArchiveTransferRound(
                transfer_id=t.id,
                round=t.round,
                case_numbers=json.dumps(numbers),
                note=note,
                submitted_at=now,
                submitted_by=by,
                pdf_path=rel,
                pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            )
        )
        s.flush()
        payload = {"number": t.number, "round": t.round, "cases": len(numbers), "by": by}
        append_event(s, "archive.transfer_submitted", "archive_transfer", t.id, payload, now)

    # ---- writes --------------------------------------------------------------------------
    def create(self, receiver: str, case_numbers: list[str], by: str) -> TransferView:
        """A new batch and its first list (第 1 次移交)."""
        receiver = receiver.strip()
        if not receiver:
            raise Invalid("请填写接收单位（政务服务实施机构的业务办理部门）", "no_receiver")
        numbers = _clean(case_numbers)
        now = self.clock.now()
        with self.db.read() as s:
            lines = self._lines(s, numbers)
            year = now.astimezone(self.tz).year
            prefix = f"YJ-{self.settings.station_code}-{year}-"
            count = len(
                s.exec(
                    select(ArchiveTransfer.id).where(col(ArchiveTransfer.number).startswith(prefix))
                ).all()
            )
        number = f"{prefix}{count + 1:03d}"
        sheet = TransferSheet(
            number, 1, self.settings.station_name, receiver, now.astimezone(self.tz).date(), lines
        )
        pdf = transfer_pdf(sheet)
        rel = f"{TRANSFERS}/{number}-1.pdf"

        def write(s: Session) -> TransferView:
            if s.exec(select(ArchiveTransfer).where(ArchiveTransfer.number == number)).first():
                raise Conflict("另一份移交清单刚刚建立，请重试", "transfer_race")
            self._lines(s, numbers)  # re-checked under the lock
            t = ArchiveTransfer(
                number=number, receiver=receiver, status="submitted", created_at=now, created_by=by
            )
            s.add(t)
            s.flush()
            self._round(s, t, numbers, "", rel, pdf, by, now)
            return self._view(s, t)

        return commit_with_file(self.db, write_temp(self.root / rel, pdf), write)

    def return_batch(self, number: str, receiver_name: str, reason: str, by: str) -> TransferView:
        """退回: the receiver found the batch non-compliant; the reason is kept."""
        if not reason.strip():
            raise Invalid("请填写退回原因", "no_reason")
        now = self.clock.now()
        with self.db.write() as s:
            t = self._transfer(s, number)
            r = self._pending(s, t)
            r.outcome, r.outcome_at = "returned", now
            r.outcome_by, r.outcome_reason = receiver_name.strip(), reason.strip()
            t.status = "returned"
            s.add(r)
            s.add(t)
            s.flush()
            payload = {"number": t.number, "round": t.round, "reason": r.outcome_reason, "by": by}
            append_event(s, "archive.transfer_returned", "archive_transfer", t.id, payload, now)
            return self._view(s, t)

    def accept(self, number: str, receiver_name: str, by: str) -> TransferView:
        """接收: both sides signed; the batch is final."""
        if not receiver_name.strip():
            raise Invalid("请填写接收人姓名", "no_receiver_name")
        now = self.clock.now()
        with self.db.write() as s:
            t = self._transfer(s, number)
            r = self._pending(s, t)
            r.outcome, r.outcome_at, r.outcome_by = "accepted", now, receiver_name.strip()
            t.status = "accepted"
            s.add(r)
            s.add(t)
            s.flush()
            payload = {"number": t.number, "round": t.round, "by": by}
            append_event(s, "archive.transfer_accepted", "archive_transfer", t.id, payload, now)
            return self._view(s, t)

    def _pending(self, s: Session, t: ArchiveTransfer) -> ArchiveTransferRound:
        if t.status != "submitted":
            raise Conflict(
                f"移交清单 {t.number} 当前为“{STATUS_LABELS[t.status]}”，没有待接收的移交",
                "transfer_not_pending",
            )
        r = s.exec(
            select(ArchiveTransferRound).where(
                ArchiveTransferRound.transfer_id == t.id, ArchiveTransferRound.round == t.round
            )
        ).one()
        return r

    def resubmit(self, number: str, note: str, case_numbers: list[str], by: str) -> TransferView:
        """修正补充后再次移交: a new round with a new list; earlier rounds stay as they were."""
        if not note.strip():
            raise Invalid("请说明修正补充了什么", "no_note")
        numbers = _clean(case_numbers)
        now = self.clock.now()
        with self.db.read() as s:
            t = self._transfer(s, number)
            if t.status != "returned":
                raise Conflict(
                    f"移交清单 {t.number} 当前为“{STATUS_LABELS[t.status]}”，只有退回的清单才能再次移交",
                    "transfer_not_returned",
                )
            last = self._last(s, t)
            lines = self._lines(s, numbers, t.id)
            transfer_id, round_no, receiver = t.id, t.round + 1, t.receiver
        sheet = TransferSheet(
            number,
            round_no,
            self.settings.station_name,
            receiver,
            now.astimezone(self.tz).date(),
            lines,
            previous_reason=last.outcome_reason,
            note=note.strip(),
        )
        pdf = transfer_pdf(sheet)
        rel = f"{TRANSFERS}/{number}-{round_no}.pdf"

        def write(s: Session) -> TransferView:
            t = s.get(ArchiveTransfer, transfer_id)
            if t is None or t.status != "returned" or t.round + 1 != round_no:
                raise Conflict(f"移交清单 {number} 刚刚被修改，请重新打开后再试", "transfer_race")
            self._lines(s, numbers, t.id)
            t.round, t.status = round_no, "submitted"
            s.add(t)
            s.flush()
            self._round(s, t, numbers, note.strip(), rel, pdf, by, now)
            return self._view(s, t)

        return commit_with_file(self.db, write_temp(self.root / rel, pdf), write)

    def _last(self, s: Session, t: ArchiveTransfer) -> ArchiveTransferRound:
        return s.exec(
            select(ArchiveTransferRound).where(
                ArchiveTransferRound.transfer_id == t.id, ArchiveTransferRound.round == t.round
            )
        ).one()
