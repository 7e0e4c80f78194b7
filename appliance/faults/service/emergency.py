"""Emergency records (应急处置记录, R-I2): start a procedure's checklist, mark its steps done
(when, by whom), end it. The checklists themselves are pure data in ``faults.rules``.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from appliance.core.clock import Clock
from appliance.core.errors import Conflict, NotFound
from appliance.core.roles import Principal
from appliance.db.database import Database
from appliance.events.log import append_event
from appliance.faults.rules import (
    PROCEDURES,
    EmergencyKind,
    check_step,
    emergency_number,
    procedure,
)
from appliance.faults.schemas import (
    EmergencyEndIn,
    EmergencyIn,
    EmergencyStepIn,
    EmergencyStepView,
    EmergencyView,
    ProcedureView,
)
from appliance.faults.tables import EmergencyRecord, EmergencyStep

MAX_LIST = 200


def procedures() -> list[ProcedureView]:
    return [
        ProcedureView(kind=p.kind, key=p.key, title=p.title, source=p.source, steps=list(p.steps))
        for p in PROCEDURES
    ]


def _find(s: Session, ref: str) -> EmergencyRecord:
    row = s.get(EmergencyRecord, ref)
    if row is None:
        number = ref.strip().upper()
        row = s.exec(select(EmergencyRecord).where(EmergencyRecord.number == number)).first()
    if row is None:
        raise NotFound(f"找不到应急处置记录“{ref}”", "unknown_emergency")
    return row


def _view(s: Session, row: EmergencyRecord) -> EmergencyView:
    p = procedure(EmergencyKind(row.kind))
    done = {
        d.step: d for d in s.exec(select(EmergencyStep).where(EmergencyStep.emergency_id == row.id))
    }
    steps = [
        EmergencyStepView(
            step=i,
            text=text,
            done_at=done[i].done_at if i in done else None,
            done_by=done[i].staff_name if i in done else "",
        )
        for i, text in enumerate(p.steps, start=1)
    ]
    return EmergencyView(
        id=row.id,
        number=row.number,
        kind=p.kind,
        title=p.title,
        source=p.source,
        started_at=row.started_at,
        started_by=row.staff_name,
        note=row.note,
        steps=steps,
        done=len(done),
        ended_at=row.ended_at,
    )


class EmergencyService:
    def __init__(self, db: Database, clock: Clock, timezone: str) -> None:
        self.db = db
        self.clock = clock
        self.tz = ZoneInfo(timezone)

    def start(self, body: EmergencyIn, actor: Principal) -> EmergencyView:
        """启动应急处置: a new record of the procedure's checklist, nothing done yet."""
        now = self.clock.now()
        day = now.astimezone(self.tz).date().isoformat()
        with self.db.write() as s:
            last = s.exec(
                select(func.max(EmergencyRecord.seq)).where(EmergencyRecord.business_date == day)
            ).one()
            seq = int(last or 0) + 1
            row = EmergencyRecord(
                number=emergency_number(day, seq),
                business_date=day,
                seq=seq,
                kind=body.kind.value,
                started_at=now,
                staff_id=actor.staff_id,
                staff_name=actor.name,
                note=body.note.strip(),
            )
            s.add(row)
            s.flush()
            event = {"number": row.number, "kind": row.kind, "by": actor.staff_id}
            append_event(s, "emergency.started", "emergency", row.id, event, now)
            return _view(s, row)

    def mark(self, ref: str, body: EmergencyStepIn, actor: Principal) -> EmergencyView:
        """一步已完成: recorded once, with the time and who did it."""
        now = self.clock.now()
        with self.db.write() as s:
            row = _find(s, ref)
            text = check_step(EmergencyKind(row.kind), body.step)
            self._check_running(row)
            if s.get(EmergencyStep, (row.id, body.step)) is not None:
                raise Conflict(f"第 {body.step} 步已记录为完成", "step_done")
            s.add(
                EmergencyStep(
                    emergency_id=row.id,
                    step=body.step,
                    done_at=now,
                    staff_id=actor.staff_id,
                    staff_name=actor.name,
                )
            )
            s.flush()
            event = {"number": row.number, "step": body.step, "text": text, "by": actor.staff_id}
            append_event(s, "emergency.step_done", "emergency", row.id, event, now)
            return _view(s, row)

    def end(self, ref: str, body: EmergencyEndIn, actor: Principal) -> EmergencyView:
        """处置结束: the record keeps which steps were done and which were not."""
        now = self.clock.now()
        with self.db.write() as s:
            row = _find(s, ref)
            self._check_running(row)
            row.ended_at = now
            if body.note.strip():
                row.note = (row.note + "\n" + body.note.strip()).strip()
            s.add(row)
            s.flush()
            result = _view(s, row)
            event = {
                "number": row.number,
                "kind": row.kind,
                "done": result.done,
                "steps": len(result.steps),
                "by": actor.staff_id,
            }
            append_event(s, "emergency.ended", "emergency", row.id, event, now)
            return result

    @staticmethod
    def _check_running(row: EmergencyRecord) -> None:
        if row.ended_at is not None:
            raise Conflict(f"应急处置 {row.number} 已结束，不能再修改", "emergency_ended")

    def get(self, ref: str) -> EmergencyView:
        with self.db.read() as s:
            return _view(s, _find(s, ref))

    def list(self) -> list[EmergencyView]:
        """The latest records, newest first."""
        with self.db.read() as s:
            rows = s.exec(
                select(EmergencyRecord)
                .order_by(col(EmergencyRecord.started_at).desc())
                .limit(MAX_LIST)
            ).all()
            return [_view(s, r) for r in rows]
