"""``yizhan db upgrade`` before every server start costs no Alembic when the database is
already at the newest revision (R-N2: serve again soon after a power cut), and still
migrates a database that is behind."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory

from appliance.db.migrate import MIGRATIONS, alembic_config, downgrade, upgrade
from appliance.db.revision import at_head, head_revisions, sqlite_path


def test_the_head_read_from_the_files_is_alembics_head() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert head_revisions() == set(script.get_heads())
    assert MIGRATIONS.is_dir()


def test_at_head_only_for_a_database_exactly_at_the_newest_revision(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'station.db'}"
    assert sqlite_path(url) == tmp_path / "station.db"
    assert not at_head(url)  # no file yet
    upgrade(url)
    assert at_head(url)
    downgrade(url, "-1")
    assert not at_head(url)
    assert not at_head("postgresql+psycopg://county/db")  # only the station's SQLite


def _db_upgrade(data: Path) -> tuple[str, bool]:
    code = (
        "import sys; from yizhan.cli import main; main(['db', 'upgrade']); "
        "print('alembic' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={"YIZHAN_DATA_DIR": str(data), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )
    lines = done.stdout.strip().splitlines()
    return lines[0], lines[-1] == "True"


def test_the_start_of_the_server_loads_alembic_only_when_there_is_work(tmp_path: Path) -> None:
    first, loaded = _db_upgrade(tmp_path)
    assert first.startswith("数据库已升级到") and loaded
    again, loaded = _db_upgrade(tmp_path)
    assert again.startswith("数据库已是最新版本，无需升级") and not loaded
    downgrade(f"sqlite:///{tmp_path / 'station.db'}", "-1")
    behind, loaded = _db_upgrade(tmp_path)
    assert behind.startswith("数据库已升级到") and loaded
    assert at_head(f"sqlite:///{tmp_path / 'station.db'}")
