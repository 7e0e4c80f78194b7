"""First boot against a real county and a real cupsd (R-N4, R-N3): database, device key,
enrolment (or a queued one), CUPS queues, the reference pull, the secret wiped; a different
station code refused until the data was exported."""

from __future__ import annotations

import json
import stat
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from appliance.backup.service import BackupService
from appliance.backup.tables import BackupRecord
from appliance.core.clock import FrozenClock
from appliance.db.database import Database
from appliance.events.log import append_event, last_event_seq
from appliance.settings import load_settings
from appliance.staff.service.device_key import device_key_path
from sync.station.pending import pending_path, try_pending_enrolment
from sync.station.state import load_state
from tests.provision.conftest import Root, station_toml
from tests.support.cups_server import CupsServer
from tests.support.station import T0, free_port
from yizhan.provision import provision_main

NEEDED = Path(__file__).resolve().parents[2] / "image-build/rootfs/usr/local/sbin"


def needed(root: Root) -> bool:
    """The unit's ExecCondition (a shell check, no Python): must provisioning run at boot?"""
    run = subprocess.run(
        [NEEDED / "yizhan-provision-needed", root.boot / "station.toml", root.data / "provisioned"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode in (0, 1), run.stderr
    return run.returncode == 0


def test_first_boot_sets_up_everything_and_wipes_the_code_r_n4(
    root: Root, cups_server: CupsServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code = root.code("PV01")
    root.write(
        station_toml(
            "PV01",
            root.county.url,
            code,
            receipt="socket://127.0.0.1:9100",
            notice="socket://127.0.0.1:9101",
            extra="display = true",
        )
    )
    assert needed(root)  # the first boot: no marker yet
    provisioner = root.provisioner(cups_server=cups_server.socket, clock=FrozenClock(T0))
    assert provision_main(provisioner) == 0, capsys.readouterr().out
    out = capsys.readouterr().out
    assert "已登记到县级中心" in out and "开通完成" in out

    settings = load_settings(root.config, env={})
    assert (settings.station_code, settings.public_url) == ("PV01", "http://192.168.1.20:8080")
    assert settings.printer_backend == "cups" and settings.paper_width_mm == 80
    assert settings.cups_server == cups_server.socket and not settings.demo
    assert settings.http_host == "0.0.0.0"  # phones reach public_url on the LAN
    assert code not in root.config.read_text(encoding="utf-8")
    key = device_key_path(settings)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600

    db = Database(settings.sqlalchemy_url)
    state = load_state(db)
    db.dispose()
    assert state is not None and state.station_id == "PV01" and state.county_url == root.county.url
    assert state.last_success_at is not None  # the reference pull ran (catalogue, calendar)
    assert (
        root.county.scalar(
            "SELECT count(*) FROM station WHERE id = 'PV01' AND enrolled_at IS NOT NULL"
        )
        == 1
    )

    printers = cups_server.connection().getPrinters()
    assert printers["receipt"]["device-uri"] == "socket://127.0.0.1:9100"
    assert printers["notice"]["device-uri"] == "socket://127.0.0.1:9101"

    boot_file = (root.boot / "station.toml").read_text(encoding="utf-8")
    assert code not in boot_file and "secret-pass-1" not in boot_file
    assert (
        'enrolment_code = ""   # 一次性登记码' in boot_file and 'station_code = "PV01"' in boot_file
    )
    wifi = root.path / "etc" / "NetworkManager" / "system-connections" / "yizhan-wifi.nmconnection"
    assert "psk=secret-pass-1" in wifi.read_text(encoding="utf-8")
    assert stat.S_IMODE(wifi.stat().st_mode) == 0o600
    assert (root.path / "etc" / "yizhan" / "display.enabled").exists()
    assert json.loads((root.data / "provisioned").read_text(encoding="utf-8"))["enrolled"]

    # booting again with the wiped file: nothing to redo, and the unit skips Python
    assert not needed(root)
    assert provision_main(root.provisioner(cups_server=cups_server.socket)) == 0
    assert "与上次开通时相同" in capsys.readouterr().out
    # an edited file (same station) is checked and applied again, without a 登记码
    root.write(boot_file.replace('"李家村便民服务站"', '"李家村党群服务中心便民服务站"'))
    assert needed(root)
    assert provision_main(root.provisioner(cups_server=cups_server.socket)) == 0
    assert "已登记到县级中心" in capsys.readouterr().out
    assert load_settings(root.config, env={}).station_name == "李家村党群服务中心便民服务站"


def test_a_wrong_code_is_an_invalid_field_and_nothing_is_wiped_r_n3(
    root: Root, capsys: pytest.CaptureFixture[str]
) -> None:
    root.code("PV02")
    root.write(station_toml("PV02", root.county.url, "WRONG-CODE"))
    assert provision_main(root.provisioner()) == 2
    out = capsys.readouterr().out
    assert "✘ enrolment_code（登记码）：登记失败" in out
    assert "enrolment_code（登记码）" in (root.boot / "配置错误.txt").read_text(encoding="utf-8")
    assert "WRONG-CODE" in (root.boot / "station.toml").read_text(encoding="utf-8")
    assert not (root.data / "provisioned").exists()


def test_an_unreachable_county_queues_the_enrolment_until_it_answers_r_n3(
    root: Root, capsys: pytest.CaptureFixture[str]
) -> None:
    code = root.code("PV03")
    dead = f"http://127.0.0.1:{free_port()}"
    root.write(station_toml("PV03", dead, code))
    provisioner = root.provisioner()
    assert provision_main(provisioner) == 0
    assert "登记已排队" in capsys.readouterr().out
    settings = load_settings(root.config, env={})
    pending = pending_path(settings)
    assert pending.read_text(encoding="utf-8").strip() == code
    assert stat.S_IMODE(pending.stat().st_mode) == 0o600
    assert code not in (root.boot / "station.toml").read_text(encoding="utf-8")

    db = Database(settings.sqlalchemy_url)
    try:
        assert try_pending_enrolment(settings, db) is None  # still unreachable: kept
        assert pending.exists()
        reachable = load_settings(root.config, env={}, county_url=root.county.url)
        state = try_pending_enrolment(reachable, db)
        assert state is not None and state.station_id == "PV03"
        assert not pending.exists()
    finally:
        db.dispose()


def test_another_station_code_is_refused_until_the_data_is_exported_r_n4(
    root: Root, capsys: pytest.CaptureFixture[str]
) -> None:
    root.write(station_toml("PV04", root.county.url, root.code("PV04")))
    assert provision_main(root.provisioner()) == 0
    settings = load_settings(root.config, env={})
    db = Database(settings.sqlalchemy_url)
    with db.write() as s:
        append_event(s, "ticket.issued", "ticket", "t1", {"number": "A001"}, T0)
    capsys.readouterr()

    root.write(station_toml("PV05", root.county.url, root.code("PV05")))
    assert provision_main(root.provisioner()) == 1
    out = capsys.readouterr().out
    assert "本机数据属于站点 PV04，不能改为 PV05" in out and "yizhan backup" in out
    assert load_settings(root.config, env={}).station_code == "PV04"  # nothing changed

    backups = BackupService(db, settings, FrozenClock(T0 + timedelta(hours=1)))
    backups.record(
        BackupRecord(
            name="yizhan-test",
            taken_at=T0 + timedelta(hours=1),
            path=str(root.data / "backups" / "yizhan-test"),
            files=1,
            bytes=1,
            manifest_sha256="0" * 64,
            event_seq=last_event_seq(db),
        )
    )
    db.dispose()
    assert provision_main(root.provisioner()) == 0
    out = capsys.readouterr().out
    assert "站点 PV04 的数据已导出" in out
    assert load_settings(root.config, env={}).station_code == "PV05"
    retired = list((root.data / "retired").iterdir())
    assert len(retired) == 1 and (retired[0] / "station.db").exists()
    fresh = Database(load_settings(root.config, env={}).sqlalchemy_url)
    state = load_state(fresh)
    fresh.dispose()
    assert state is not None and state.station_id == "PV05"
