"""Alembic environment for the county database (separate from the station's)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

import sync.county.db  # noqa: F401  (registers every county table)
from sync.county.models import county_metadata

config = context.config
target_metadata = county_metadata


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url") or ""
    engine = create_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            version_table=config.get_main_option("version_table") or "county_alembic_version",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
