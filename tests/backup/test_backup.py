"""Backups (备份, R-I3, R-N2): a consistent copy with its manifest, kept generations, a USB
copy, the age on the status bar; a restore that verifies first, refuses a damaged backup with
one Chinese line, and never leaves a half-restored data directory."""

from __future__ import annotations

import io
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from appliance.backup.archive import BACKUPS, USB_FOLDER, take_backup, usb_targets
from appliance.backup.cli import backup_main, known_revisions, restore_main
from appliance.backup.restore import (
    RestoreRefused,
    recover_interrupted_restore,
    restore_backup,
    verify_backup,
)
from appliance.backup.rules import MANIFEST, age_text, backup_summary, to_prune
from appliance.queue.rules.tickets import TicketSource
from appliance.settings import Settings
from tests.support.station import LiveServer, Station, make_station


def fill(st: Station) -> None:
    """Tickets, kept notice PDFs and keys, as a station has after a morning."""
    for _ in range(3):
        st.services.queue.issue("A", TicketSource.KIOSK, "normal")
    notices = st.data_dir / "case-notices" / "YZ0001-20261123-0001"
    notices.mkdir(parents=True)
    (notices / "0-receipt.pdf").write_bytes(b"%PDF-1.4 receipt\n" * 50)
    for folder, name in (("keys", "device.key"), ("sync", "station.key")):
        (st.data_dir / folder).mkdir(exist_ok=True)
        (st.data_dir / folder / name).write_text(f"secret {name}\n")
        os.chmod(st.data_dir / folder / name, 0o600)


def tables(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    con = sqlite3.connect(db)
    try:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: sorted(con.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr) for n in names}
    finally:
        con.close()


def files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for tree in ("case-notices", "keys", "sync")
        for p in (root / tree).rglob("*")
        if p.is_file()
    }


def test_age_text_and_pruning() -> None:
    assert age_text(30) == "刚刚" and age_text(3 * 3600 + 5) == "3 小时前"
    assert age_text(3 * 86400) == "3 天前"
    assert backup_summary(None, 36) == ("备份：从未备份", True)
    assert backup_summary(7200, 36) == ("备份：2 小时前", False)
    text, warn = backup_summary(40 * 3600, 36)
    assert warn and "超过 36 小时" in text
    names = [f"yizhan-S-2026112{d}-090000" for d in range(1, 6)]
    assert to_prune([*names, "notes", ".partial-x"], 3) == names[:2]


def test_backup_is_consistent_and_restores_every_table_and_file_r_i3(tmp_path: Path) -> None:
    st = make_station(tmp_path / "live", backup_keep=2)
    fill(st)
    usb = tmp_path / "usb"
    usb.mkdir()
    out = io.StringIO()
    assert backup_main(st.settings, out, st.clock, usb=[usb]) == 0, out.getvalue()
    assert "✔ 已备份" in out.getvalue() and "U 盘" in out.getvalue()
    [gen] = [p for p in (st.data_dir / BACKUPS).iterdir() if not p.name.startswith(".")]
    manifest = json.loads((gen / MANIFEST).read_text())
    assert manifest["station_code"] == "YZ0001" and manifest["event_seq"] > 0
    listed = {f["path"] for f in manifest["files"]}
    assert {"station.db", "keys/device.key", "sync/station.key"} <= listed
    assert "case-notices/YZ0001-20261123-0001/0-receipt.pdf" in listed
    assert (gen / "keys" / "device.key").stat().st_mode & 0o777 == 0o600
    assert (usb / USB_FOLDER / gen.name / MANIFEST).read_bytes() == (gen / MANIFEST).read_bytes()
    state = st.services.backups.state()
    assert state.summary == "备份：刚刚" and not state.warn and state.path == str(gen)

    # generations beyond backup_keep go, here and on the stick
    for minutes in (1, 2):
        st.clock.advance(minutes=minutes)
        assert backup_main(st.settings, io.StringIO(), st.clock, usb=[usb]) == 0
    kept = sorted(p.name for p in (st.data_dir / BACKUPS).iterdir())
    assert len(kept) == 2 and gen.name not in kept
    assert sorted(p.name for p in (usb / USB_FOLDER).iterdir()) == kept

    # restore into a fresh data directory: every table and every file as backed up
    latest = st.data_dir / BACKUPS / kept[-1]
    fresh = Settings(**{**st.settings.__dict__, "data_dir": str(tmp_path / "fresh")})
    result = restore_backup(fresh, latest, st.clock.now(), known_revisions=known_revisions())
    assert result.previous is None and result.files == len(listed)
    expected = tables(latest / "station.db")
    assert tables(tmp_path / "fresh" / "station.db") == expected
    assert expected["ticket"] and expected["backup_record"]  # not a vacuous comparison
    assert files(tmp_path / "fresh") == files(st.data_dir)
    assert not (tmp_path / "fresh" / ".restore").exists()


def test_a_damaged_backup_is_refused_and_nothing_changes_r_i3(tmp_path: Path) -> None:
    st = make_station(tmp_path / "live")
    fill(st)
    result = take_backup(st.settings, st.clock.now())
    target = make_station(tmp_path / "target")
    before = tables(target.data_dir / "station.db")

    def refused(why: str) -> None:
        with pytest.raises(RestoreRefused, match=why):
            restore_backup(target.settings, result.path, target.clock.now())
        assert tables(target.data_dir / "station.db") == before
        assert not (target.data_dir / ".restore").exists()

    db = result.path / "station.db"
    raw = bytearray(db.read_bytes())
    raw[len(raw) // 2] ^= 0xFF  # one byte
    db.write_bytes(bytes(raw))
    refused("station.db 的校验值不符")
    raw[len(raw) // 2] ^= 0xFF
    db.write_bytes(bytes(raw))
    verify_backup(result.path)  # sound again

    (result.path / "keys" / "extra.key").write_text("planted")
    refused("清单之外的文件")
    (result.path / "keys" / "extra.key").unlink()

    manifest = json.loads((result.path / MANIFEST).read_text())
    manifest["files"][0]["path"] = "../../etc/passwd"
    (result.path / MANIFEST).write_text(json.dumps(manifest))
    refused("路径不安全")
    (result.path / MANIFEST).unlink()
    refused("没有备份清单")

    out = io.StringIO()
    assert restore_main(target.settings, result.path, out, target.clock) == 1
    assert out.getvalue().startswith("✘ 拒绝恢复：")


def test_another_stations_backup_needs_a_flag(tmp_path: Path) -> None:
    st = make_station(tmp_path / "live")
    result = take_backup(st.settings, st.clock.now())
    other = make_station(tmp_path / "other", station_code="OTHER2")
    with pytest.raises(RestoreRefused, match="YZ0001 的备份"):
        restore_backup(other.settings, result.path, other.clock.now())
    restore_backup(other.settings, result.path, other.clock.now(), allow_other_station=True)


def test_a_swap_cut_short_is_completed_before_serving_r_n2(tmp_path: Path) -> None:
    st = make_station(tmp_path / "live")
    fill(st)
    result = take_backup(st.settings, st.clock.now())
    target = make_station(tmp_path / "target")
    target.services.close()
    data = target.data_dir
    work = data / ".restore"
    # what restore_backup leaves when the power goes after the first item was swapped
    for rel in [p.relative_to(result.path) for p in result.path.rglob("*") if p.is_file()]:
        if rel.name != MANIFEST:
            (work / "new" / rel).parent.mkdir(parents=True, exist_ok=True)
            (work / "new" / rel).write_bytes((result.path / rel).read_bytes())
    (work / "journal.json").write_text(json.dumps({"stamp": "cut"}))
    (work / "old").mkdir()
    os.replace(data / "station.db", work / "old" / "station.db")
    os.replace(work / "new" / "station.db", data / "station.db")
    assert "已完成恢复" in (recover_interrupted_restore(data) or "")
    assert tables(data / "station.db") == tables(result.path / "station.db")
    assert files(data) == files(st.data_dir)
    assert (data / "restore-previous-cut" / "station.db").exists()
    assert recover_interrupted_restore(data) is None


def test_restore_refuses_while_the_server_runs(live_server: LiveServer, tmp_path: Path) -> None:
    st = live_server.station
    result = take_backup(st.settings, st.clock.now())
    settings = Settings(**{**st.settings.__dict__, "server_url": live_server.url})
    out = io.StringIO()
    assert restore_main(settings, result.path, out, st.clock) == 1
    assert "站点服务器正在运行" in out.getvalue()


def test_usb_sticks_are_found_only_where_mounted(tmp_path: Path) -> None:
    for name in ("yizhan-usb1", "yizhan-usb2", "other"):
        (tmp_path / name).mkdir()
    pattern = str(tmp_path / "yizhan-usb*")
    assert usb_targets(pattern, is_mount=lambda _p: False) == []
    mounted = usb_targets(pattern, is_mount=lambda p: p.endswith("1"))
    assert mounted == [tmp_path / "yizhan-usb1"]
