"""Installing an update bundle for real (R-N2, R-N4): each version in its own venv under a tmp
``releases_dir``, the database migrated by the new release's own ``yizhan db upgrade``
(Alembic), ``current`` switched only when that succeeds; a migration that fails half-way
leaves the data as the backup taken just before, and ``current`` where it was."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory

from appliance.core.clock import FrozenClock
from appliance.db.migrate import alembic_config
from appliance.queue.rules.tickets import TicketSource
from appliance.upgrade.apply import newest_bundle
from sync.county.bundles import build_bundle
from tests.support.station import T0, Station
from tests.upgrade.conftest import Upgradable, make_wheel
from yizhan.upgrade import upgrade_main

pytestmark = pytest.mark.slow  # makes virtual environments

BROKEN_CLI = """\
import os
from alembic import command
from appliance.db.migrate import MIGRATIONS, alembic_config

def main():
    # `yizhan db upgrade heads` of a release whose newest revision breaks half-way
    cfg = alembic_config(os.environ["YIZHAN_DATABASE_URL"])
    cfg.set_main_option("version_locations", f"{MIGRATIONS / 'versions'} {EXTRA!r}")
    command.upgrade(cfg, "heads")
"""

BROKEN_REVISION = """\
from alembic import op

revision = "0999_broken"
down_revision = {heads!r}
branch_labels = None
depends_on = None

def upgrade():
    # damage that Alembic's rollback cannot undo: committed half-way ...
    op.execute("DELETE FROM ticket")
    op.execute("COMMIT")
    op.execute("CREATE TABLE upgrade_probe (x INTEGER)")
    raise RuntimeError("迁移测试：故意失败")  # ... and then the migration fails

def downgrade():
    pass
"""


def table_rows(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    con = sqlite3.connect(db)
    try:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: sorted(con.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr) for n in names}
    finally:
        con.close()


def issue_tickets(st: Station, n: int) -> None:
    from appliance.wiring import build_services

    services = build_services(st.settings, st.clock)
    try:
        for _ in range(n):
            services.queue.issue("A", TicketSource.KIOSK, "normal")
    finally:
        services.close()


def run(u: Upgradable, bundle: Path | None, **kw: Any) -> tuple[int, str]:
    """``yizhan upgrade``; each run a minute later (backups are named to the second)."""
    out = io.StringIO()
    RUNS.append(1)
    clock = FrozenClock(T0 + timedelta(minutes=len(RUNS)))
    code = upgrade_main(
        u.station.settings,
        str(bundle) if bundle else None,
        out=out,
        clock=clock,
        server_check=False,
        **kw,
    )
    return code, out.getvalue()


RUNS: list[int] = []


def current(u: Upgradable) -> str | None:
    link = u.releases / "current"
    return os.readlink(link) if link.is_symlink() else None


def release_says(release: Path, *args: str) -> str:
    return subprocess.run(
        [str(release / "bin" / "yizhan"), *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=release,
    ).stdout


def test_good_upgrade_migrates_then_switches_current_r_n2(
    upgradable: Upgradable, tmp_path: Path
) -> None:
    issue_tickets(upgradable.station, 3)
    before = table_rows(upgradable.db)
    bundle = build_bundle(
        [make_wheel(tmp_path / "w", "0.2.0")], upgradable.key, tmp_path / "o", requires_from=">=0.1"
    )
    code, text = run(upgradable, bundle)
    assert code == 0, text
    assert "已从 0.1.0 升级到 0.2.0" in text
    assert current(upgradable) == "0.2.0"
    release = upgradable.releases / "current"
    assert release_says(release, "settings-doc").startswith("# Settings")  # it runs
    probe = "import importlib.metadata as m; print(m.version('yizhan'))"
    version = subprocess.run(
        [str(release / "bin" / "python"), "-I", "-c", probe], capture_output=True, text=True
    )
    assert version.stdout.strip() == "0.2.0"
    assert table_rows(upgradable.db) == before  # the data went through the migration whole
    backups = list((upgradable.station.data_dir / "backups").iterdir())
    assert len(backups) == 1 and str(backups[0]) in text  # taken before anything changed
    assert not (upgradable.station.data_dir / "updates" / ".staging").exists()


def test_failed_migration_restores_backup_and_keeps_current_r_n2(
    upgradable: Upgradable, tmp_path: Path
) -> None:
    good = build_bundle([make_wheel(tmp_path / "a", "0.2.0")], upgradable.key, tmp_path / "a")
    assert run(upgradable, good)[0] == 0
    issue_tickets(upgradable.station, 4)
    before = table_rows(upgradable.db)
    assert len(before["ticket"]) == 4

    extra = tmp_path / "broken-versions"
    extra.mkdir()
    heads = tuple(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())
    (extra / "0999_broken.py").write_text(BROKEN_REVISION.format(heads=heads))
    cli = BROKEN_CLI.replace("{EXTRA!r}", str(extra))
    wheel = make_wheel(
        tmp_path / "b",
        "0.3.0",
        script="yizhan_probe.cli:main",
        modules={"yizhan_probe/cli.py": cli},
    )
    broken = build_bundle([wheel], upgradable.key, tmp_path / "b", requires_from=">=0.2.0")
    code, text = run(upgradable, broken)

    assert code == 1
    lines = text.splitlines()
    assert len(lines) == 1 and lines[0].startswith("✘ 升级失败：数据库迁移失败，已从升级前的备份")
    assert "仍在运行版本 0.2.0" in lines[0] and "迁移测试：故意失败" in lines[0]
    assert current(upgradable) == "0.2.0"  # never switched
    assert not (upgradable.releases / "0.3.0").exists()  # the broken release is gone
    after = table_rows(upgradable.db)
    assert after == before  # every row back, no half-made table
    damaged = next(upgradable.station.data_dir.glob("restore-previous-*")) / "station.db"
    assert table_rows(damaged)["ticket"] == []  # the migration really had destroyed them
    old = upgradable.releases / "current"
    assert release_says(old, "settings-doc").startswith("# Settings")  # the old one still runs


def test_usb_installs_the_newest_bundle_on_the_stick_r_n2(
    upgradable: Upgradable, tmp_path: Path
) -> None:
    stick = tmp_path / "usb"
    build_bundle([make_wheel(tmp_path / "a", "0.2.0")], upgradable.key, stick)
    build_bundle([make_wheel(tmp_path / "b", "0.10.0")], upgradable.key, stick / "yizhan-updates")
    (stick / "yizhan-update-9.9.tar.partial").write_bytes(b"")  # not a bundle name: skipped
    code, text = run(upgradable, None, usb=True, usb_sticks=[stick])
    assert code == 0, text
    assert "yizhan-update-0.10.0.tar" in text.splitlines()[0]
    assert current(upgradable) == "0.10.0"
    code, text = run(upgradable, None, usb=True, usb_sticks=[tmp_path / "empty"])
    assert code == 1 and "未在 U 盘" in text


def test_newest_bundle_compares_versions_not_text() -> None:
    paths = [Path(f"/m/yizhan-update-{v}.tar") for v in ("0.9.0", "0.10.0", "0.2")]
    assert newest_bundle(paths) == Path("/m/yizhan-update-0.10.0.tar")
    assert newest_bundle([Path("/m/other.tar")]) is None
