"""The station database: SQLite in WAL mode, one writer, one transaction per change."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, func
from sqlmodel import Session, select

from appliance.domain.ids import new_id

from .models import Event

BUSY_TIMEOUT_MS = 10_000


def _sqlite_engine(url: str, begin: str) -> Engine:
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)

    return engine


class Database:
    """Owns the engines. ``write()`` serialises writers; ``read()`` is a snapshot."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            path = url.removeprefix("sqlite:///")
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.write_engine = _sqlite_engine(url, "BEGIN IMMEDIATE")
            self.read_engine = _sqlite_engine(url, "BEGIN")
        else:
            self.write_engine = create_engine(url)
            self.read_engine = self.write_engine
        self._writer = threading.Lock()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: committed on success, rolled back on any error."""
        with self._writer, Session(self.write_engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def read(self) -> Iterator[Session]:
        # closing (not rolling back) ends the snapshot without expiring loaded rows
        with Session(self.read_engine, expire_on_commit=False) as session:
            yield session

    def last_event_seq(self) -> int:
        with self.read() as s:
            return int(s.exec(select(func.max(Event.seq))).one() or 0)

    def dispose(self) -> None:
        self.write_engine.dispose()
        self.read_engine.dispose()


def append_event(
    session: Session,
    type: str,
    entity: str,
    entity_id: str,
    payload: dict[str, Any],
    at: datetime,
) -> Event:
    """Append one event in the caller's transaction; seq is station-local and gapless."""
    last = session.exec(select(func.max(Event.seq))).one()
    row = Event(
        seq=int(last or 0) + 1,
        id=new_id(),
        type=type,
        entity=entity,
        entity_id=entity_id,
        payload=json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str),
        occurred_at=at,
    )
    session.add(row)
    session.flush()
    return row
