"""Storage durability settings and migrations (R-N2)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel

import appliance.tables  # noqa: F401
from appliance.db import migrate as station_migrate
from appliance.db.database import Database
from appliance.db.migrate import downgrade, upgrade
from appliance.events.log import last_event_seq
from sync.county import migrate as county_migrate


def test_sqlite_pragmas_wal_full_fk_busy(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    upgrade(url)
    db = Database(url)
    with db.read() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert s.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
    db.dispose()


def test_migrations_match_models(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    engine.dispose()
    assert diff == [], f"models changed without a migration: {diff}"


def test_downgrade_and_upgrade_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'd.db'}"
    upgrade(url)
    downgrade(url, "base")
    upgrade(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        tables = {
            r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))
        }
    engine.dispose()
    assert {"ticket", "event", "staff", "print_job"} <= tables


def test_write_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from appliance.events.log import append_event

    url = f"sqlite:///{tmp_path / 'r.db'}"
    upgrade(url)
    db = Database(url)
    try:
        with db.write() as s:
            append_event(s, "test", "x", "1", {}, datetime.now(UTC))
            raise RuntimeError("power cut mid-change")
    except RuntimeError:
        pass
    assert last_event_seq(db) == 0
    db.dispose()


@pytest.mark.parametrize("migrate", [station_migrate, county_migrate], ids=["station", "county"])
def test_migrations_form_one_line_r_n2(migrate: ModuleType) -> None:
    """One head and no branch points: a field database walks one path from any version."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1, script.get_heads()
    for rev in script.walk_revisions():
        assert not rev.is_branch_point, rev.revision
