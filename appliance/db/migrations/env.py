"""Alembic environment for the station database."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import appliance.tables  # noqa: F401  (registers every feature's tables)
from appliance.db.database import Database

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url") or ""
    db = Database(url)
    with db.write_engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=db.is_sqlite,
        )
        with context.begin_transaction():
            context.run_migrations()
    db.dispose()


run_migrations_online()
