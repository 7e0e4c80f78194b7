"""The power goes in the middle of an upgrade (R-N2): the database may already carry the new
release's revisions while ``current`` still names the old one. The next ``yizhan db upgrade``
(the server unit's ExecStartPre) restores the data from the backup the upgrade took and
removes the half-switched release, so the old version starts on its own data."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from appliance.upgrade.apply import upgrade
from appliance.upgrade.journal import journal_path, recover_interrupted_upgrade, write_journal
from sync.county.bundles import build_bundle
from tests.support.station import T0
from tests.upgrade.conftest import Upgradable, make_wheel
from tests.upgrade.test_install import issue_tickets, table_rows
from yizhan.cli import main

pytestmark = pytest.mark.slow  # makes a virtual environment


class PowerCut(BaseException):
    """Nothing after this point runs: no undo, no cleanup."""


def settings_file(u: Upgradable) -> Path:
    s = u.station.settings
    path = u.root / "station.toml"
    path.write_text(
        f'data_dir = "{s.data_dir}"\nreleases_dir = "{s.releases_dir}"\n'
        f'device_key = "{s.device_key}"\nprinter_backend = "none"\n'
        f'station_code = "{s.station_code}"\n'
    )
    return path


def test_next_start_undoes_an_upgrade_cut_short_r_n2(
    upgradable: Upgradable, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    issue_tickets(upgradable.station, 3)
    before = table_rows(upgradable.db)
    bundle = build_bundle([make_wheel(tmp_path / "w", "0.2.0")], upgradable.key, tmp_path / "o")

    def migrate_then_lose_power(release: Path) -> tuple[bool, str]:
        con = sqlite3.connect(upgradable.db)
        con.execute("DELETE FROM ticket")
        con.execute("UPDATE alembic_version SET version_num = '0999_from_the_future'")
        con.commit()
        con.close()
        raise PowerCut()

    with pytest.raises(PowerCut):
        upgrade(upgradable.station.settings, bundle, T0, migrator=migrate_then_lose_power)
    assert journal_path(upgradable.station.settings).exists()
    assert (upgradable.releases / "0.2.0").is_dir()
    assert not (upgradable.releases / "current").exists()  # never switched

    capsys.readouterr()
    assert main(["--config", str(settings_file(upgradable)), "db", "upgrade"]) == 0  # next boot
    assert "上次升级到 0.2.0 在完成前中断，已从升级前的备份" in capsys.readouterr().err
    assert table_rows(upgradable.db) == before
    assert not (upgradable.releases / "0.2.0").exists()
    assert not journal_path(upgradable.station.settings).exists()
    assert main(["--config", str(settings_file(upgradable)), "db", "upgrade"]) == 0
    assert "上次升级" not in capsys.readouterr().err  # once only


def test_a_journal_left_after_the_switch_only_goes_r_n2(upgradable: Upgradable) -> None:
    settings = upgradable.station.settings
    release = upgradable.releases / "0.2.0"
    release.mkdir(parents=True)
    (upgradable.releases / "current").symlink_to("0.2.0")
    write_journal(settings, "0.2.0", "0.1.0", upgradable.root / "no-backup", release)
    before = table_rows(upgradable.db)
    assert recover_interrupted_upgrade(settings, T0) is None
    assert not journal_path(settings).exists()
    assert release.is_dir() and table_rows(upgradable.db) == before
