"""The county database: one SQLAlchemy engine on PostgreSQL, one transaction per change."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine
from sqlmodel import Session

import sync.county.appointment_models  # noqa: F401  (registers the appointment facts)
import sync.county.archive_models  # noqa: F401  (registers the archive tables)
import sync.county.delegation_models  # noqa: F401  (registers the delegation facts)
import sync.county.fault_models  # noqa: F401  (registers the fault table)
import sync.county.projections  # noqa: F401  (registers the projection tables)


class CountyDatabase:
    """Owns the engine. ``tx()`` is one READ COMMITTED write transaction; ``snapshot()`` is a
    REPEATABLE READ read-only transaction (a page and its table hashes see the same data)."""

    def __init__(self, url: str, pool_size: int = 10) -> None:
        self.url = url
        self.engine: Engine = create_engine(url, pool_size=pool_size, pool_pre_ping=True)

    @contextmanager
    def tx(self) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on any error."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def snapshot(self) -> Iterator[Session]:
        conn = self.engine.connect().execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        )
        try:
            with Session(bind=conn, expire_on_commit=False) as session:
                yield session
                session.rollback()
        finally:
            conn.close()

    def dispose(self) -> None:
        self.engine.dispose()
