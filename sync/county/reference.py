"""Reference data down-sync (下发数据): catalogue, holidays, staff, station settings, bookings.

Every write takes ``nextval('reference_rev')`` under a transaction-level advisory lock, so
revisions commit in order and a reader paging by ``rev > since`` never skips a row that
commits late. Deletes leave tombstones; ``purge_tombstones`` drops those a station could
only miss by being more than ``snapshot_after`` revisions behind — and such a station is
told ``snapshot_required`` (410) anyway.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, func, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import Session, col, select

from appliance.core.errors import DomainError, Invalid
from sync.county.models import REFERENCE_TABLES, ReferenceRowRecord
from sync.county.services import CountyServices
from sync.protocol import ReferencePage, ReferenceRow, table_hash

WRITE_LOCK = 0x59_5A_52_45_46  # "YZREF": serialises reference writes until commit
REF = ReferenceRowRecord.__table__  # type: ignore[attr-defined]


class SnapshotRequired(DomainError):
    """The station's cursor is too old (or from another county database): take a snapshot."""

    status = 410


def _check_table(table: str) -> None:
    if table not in REFERENCE_TABLES:
        raise Invalid(
            f"未知的下发数据表“{table}”，可选：{'、'.join(REFERENCE_TABLES)}", "bad_table"
        )


def _lock(s: Session) -> None:
    s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK})


def _upsert(s: Session, table: str, row_id: str, data: dict[str, Any], now: Any) -> int | None:
    stmt = pg_insert(REF).values(
        table_name=table,
        id=row_id,
        rev=func.nextval("reference_rev"),
        deleted=False,
        data=data,
        updated_at=now,
    )
    upsert = stmt.on_conflict_do_update(
        index_elements=["table_name", "id"],
        set_={
            "rev": stmt.excluded.rev,
            "deleted": False,
            "data": stmt.excluded.data,
            "updated_at": now,
        },
        where=REF.c.deleted | REF.c.data.is_distinct_from(stmt.excluded.data),
    ).returning(REF.c.rev)
    rev = s.execute(upsert).scalar()
    return None if rev is None else int(rev)


def _tombstone(s: Session, table: str, ids: list[str], now: Any) -> int:
    if not ids:
        return 0
    result = s.execute(
        REF.update()
        .where(REF.c.table_name == table, REF.c.id.in_(ids), REF.c.deleted.is_(False))
        .values(rev=func.nextval("reference_rev"), deleted=True, data={}, updated_at=now)
        .returning(REF.c.rev)
    )
    return len(result.all())


def upsert_reference(
    svc: CountyServices, table: str, row_id: str, data: dict[str, Any]
) -> int | None:
    """Create or change one row; returns its new rev (None when nothing changed)."""
    _check_table(table)
    if not row_id or len(row_id) > 64:
        raise Invalid("下发数据的编号不能为空，且不超过 64 字符", "bad_id")
    with svc.db.tx() as s:
        _lock(s)
        return _upsert(s, table, row_id, data, svc.clock.now())


def delete_reference(svc: CountyServices, table: str, row_id: str) -> bool:
    """Delete one row, leaving a tombstone the stations receive."""
    _check_table(table)
    with svc.db.tx() as s:
        _lock(s)
        return _tombstone(s, table, [row_id], svc.clock.now()) == 1


def publish_table(svc: CountyServices, table: str, rows: Mapping[str, dict[str, Any]]) -> int:
    """Publish a whole table at once (a catalogue version, a holiday calendar, a staff list):
    changed rows get new revs, rows no longer listed become tombstones. Returns rows changed.
    """
    _check_table(table)
    now = svc.clock.now()
    with svc.db.tx() as s:
        _lock(s)
        changed = sum(1 for rid, data in rows.items() if _upsert(s, table, rid, data, now))
        live = s.execute(
            select(col(ReferenceRowRecord.id)).where(
                col(ReferenceRowRecord.table_name) == table,
                col(ReferenceRowRecord.deleted).is_(False),
            )
        ).scalars()
        gone = [rid for rid in live if rid not in rows]
        return changed + _tombstone(s, table, gone, now)


def purge_tombstones(svc: CountyServices) -> int:
    """Drop tombstones older than ``snapshot_after`` revisions."""
    with svc.db.tx() as s:
        _lock(s)
        floor = _current_rev(s) - svc.settings.snapshot_after
        result = s.execute(delete(REF).where(REF.c.deleted.is_(True), REF.c.rev <= floor))
        return int(getattr(result, "rowcount", 0) or 0)


def _current_rev(s: Session) -> int:
    last, called = s.execute(text("SELECT last_value, is_called FROM reference_rev")).one()
    return int(last) if called else 0


def _table_hashes(s: Session) -> dict[str, str]:
    pairs: dict[str, list[tuple[str, int]]] = {t: [] for t in REFERENCE_TABLES}
    live = s.execute(select(REF.c.table_name, REF.c.id, REF.c.rev).where(REF.c.deleted.is_(False)))
    for table, rid, rev in live:
        pairs.setdefault(table, []).append((rid, int(rev)))
    return {t: table_hash(p) for t, p in pairs.items()}


def _wire(r: Any) -> ReferenceRow:
    return ReferenceRow(
        table=r.table_name, id=r.id, rev=int(r.rev), deleted=bool(r.deleted), data=dict(r.data)
    )


def reference_page(svc: CountyServices, since: int, limit: int | None = None) -> ReferencePage:
    """Rows with rev > since in rev order, tombstones included; hashes on the last page."""
    if since < 0:
        raise Invalid("since 不能为负数", "bad_since")
    size = min(max(limit or svc.settings.reference_page_size, 1), svc.settings.reference_page_size)
    with svc.db.snapshot() as s:
        current = _current_rev(s)
        if since > current or (since > 0 and current - since > svc.settings.snapshot_after):
            raise SnapshotRequired(
                "本站下发数据版本过旧或与县级中心不一致，请下载完整快照", "snapshot_required"
            )
        rows = list(
            s.execute(select(REF).where(REF.c.rev > since).order_by(REF.c.rev).limit(size + 1))
        )
        more = len(rows) > size
        rows = rows[:size]
        return ReferencePage(
            rows=[_wire(r) for r in rows],
            next_rev=int(rows[-1].rev) if rows else since,
            more=more,
            table_hashes={} if more else _table_hashes(s),
        )


def reference_snapshot(svc: CountyServices) -> ReferencePage:
    """Every live row; ``next_rev`` is the newest rev the snapshot covers."""
    with svc.db.snapshot() as s:
        rows = list(s.execute(select(REF).where(REF.c.deleted.is_(False)).order_by(REF.c.rev)))
        top = s.execute(select(func.max(REF.c.rev))).scalar()
        return ReferencePage(
            rows=[_wire(r) for r in rows],
            next_rev=int(top or 0),
            more=False,
            snapshot=True,
            table_hashes=_table_hashes(s),
        )
