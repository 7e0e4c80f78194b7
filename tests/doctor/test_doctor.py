"""``yizhan doctor``: one line per check with a plain Chinese fix; exit code 1 on any ✘."""

from __future__ import annotations

import dataclasses
import http.server
import io
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from appliance.settings import Settings
from hw.printers import FakeReceiptPrinter
from hw.protocols import ModemStatus
from hw.voice.pack import DEFAULT_PACK_DIR
from tests.support.station import T0, LiveServer, Station, free_port
from yizhan.doctor import (
    CheckResult,
    Printers,
    doctor_main,
    exit_code,
    format_line,
    format_report,
    run_doctor,
)
from yizhan.doctor_checks import DiskUsage, DoctorContext

GB = 1024**3


@dataclass(frozen=True)
class DoctorSettings(Settings):
    """Station settings plus the fields the self-check reads (until settings.py has them)."""

    county_url: str = ""
    gpio_backend: str = "fake"
    speaker_backend: str = "file"
    voice_pack_dir: str = ""
    build_date: str = ""


class FakeModem:
    def __init__(self, status: ModemStatus) -> None:
        self._status = status

    def status(self) -> ModemStatus:
        return self._status


def settings_for(station: Station, **fields: Any) -> DoctorSettings:
    return DoctorSettings(**{**dataclasses.asdict(station.settings), **fields})


def plenty(_path: str) -> DiskUsage:
    return DiskUsage(64 * GB, 4 * GB, 60 * GB)


@pytest.fixture(scope="module")
def county() -> Iterator[str]:
    """A tiny county server on a loopback port that answers every GET with 200."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api/health"
    server.shutdown()


@dataclass
class Rig:
    """A healthy station with fake devices; tests break one thing at a time."""

    station: Station
    settings: DoctorSettings
    receipt: FakeReceiptPrinter
    notice: FakeReceiptPrinter
    modem: FakeModem
    dev_dir: Path

    def run(self, **overrides: Any) -> list[CheckResult]:
        kwargs: dict[str, Any] = {
            "printers": Printers(self.receipt, self.notice),
            "modem": self.modem,
            "now": T0 + timedelta(minutes=5),
            "dev_dir": self.dev_dir,
            "disk_usage": plenty,
        }
        kwargs.update(overrides)
        settings = kwargs.pop("settings", self.settings)
        return run_doctor(settings, **kwargs)


@pytest.fixture
def rig(station: Station, county: str, tmp_path: Path, live_server: LiveServer) -> Rig:
    dev = tmp_path / "dev"
    dev.mkdir()
    return Rig(
        station,
        settings_for(
            station,
            county_url=county,
            server_url=live_server.url,
            public_url="http://192.168.1.20:8080",
        ),
        FakeReceiptPrinter(),
        FakeReceiptPrinter(),
        FakeModem(ModemStatus.of("ready", signal=21)),
        dev,
    )


def by_name(results: list[CheckResult]) -> dict[str, CheckResult]:
    return {r.name: r for r in results}


def test_all_good_report(rig: Rig) -> None:
    results = rig.run()
    names = [r.name for r in results]
    assert names == [
        "小票打印机", "A4 打印机", "短信猫", "GPIO", "语音叫号",
        "系统时钟", "磁盘空间", "数据库", "县级中心", "硬件服务", "设备密钥",
        "访客地址",
    ]  # fmt: skip
    assert [r.status for r in results] == ["ok"] * len(results), format_report(results)
    assert exit_code(results) == 0
    report = format_report(results)
    assert report.count("\n") == len(results)
    assert all(line.startswith("✔ ") for line in report.splitlines())
    found = by_name(results)
    assert "信号 21/31" in found["短信猫"].found
    assert "2026-11-23 09:05:00" in found["系统时钟"].found  # local (Beijing) time
    assert "HTTP 200" in found["县级中心"].found
    assert "完整性检查通过" in found["数据库"].found


def test_out_of_paper_is_a_fail_line_with_the_fix(rig: Rig) -> None:
    rig.receipt.run_out_of_paper()
    results = rig.run()
    line = format_line(by_name(results)["小票打印机"])
    assert line.startswith("✘ 小票打印机：打印机缺纸")
    assert "请装入 58 mm 热敏纸" in line
    assert exit_code(results) == 1

    rig.receipt.restore()
    rig.notice.go_offline()
    notice = by_name(rig.run())["A4 打印机"]
    assert notice.status == "fail" and "电源" in notice.fix
    rig.notice.run_out_of_paper()
    assert "A4 纸" in by_name(rig.run())["A4 打印机"].fix


def test_printers_and_modem_not_configured_are_warnings(rig: Rig) -> None:
    no_modem = dataclasses.replace(rig.settings, modem_backend="none")
    results = rig.run(printers=Printers(None, None), modem=None, settings=no_modem)
    found = by_name(results)
    assert found["小票打印机"].status == "warn" and "未配置" in found["小票打印机"].found
    assert found["A4 打印机"].status == "warn" and "未配置" in found["A4 打印机"].found
    assert found["短信猫"].status == "warn" and "未配置" in found["短信猫"].found
    assert exit_code(results) == 0


def test_printers_from_settings(rig: Rig) -> None:
    """printer_backend=none on the test station: the receipt printer is 未配置, no crash."""
    found = by_name(rig.run(printers=None))
    assert found["小票打印机"].status == "warn"
    assert "printer_backend = none" in found["小票打印机"].found


@pytest.mark.parametrize(
    ("status", "mark", "words"),
    [
        (ModemStatus.of("no-sim"), "fail", "SIM 卡"),
        (ModemStatus.of("no-signal", signal=3), "fail", "天线"),
        (ModemStatus.of("offline"), "fail", "USB 线"),
        (ModemStatus.of("ready", signal=6), "warn", "窗边"),
    ],
)
def test_modem_sim_and_signal(rig: Rig, status: ModemStatus, mark: str, words: str) -> None:
    result = by_name(rig.run(modem=FakeModem(status)))["短信猫"]
    assert result.status == mark
    assert words in result.fix


def test_clock_behind_the_last_event_fails(rig: Rig) -> None:
    results = rig.run(now=T0 - timedelta(hours=1))
    clock = by_name(results)["系统时钟"]
    assert clock.status == "fail"
    assert "比最近一条记录（2026-11-23 09:00:00）还早" in clock.found
    assert "timedatectl" in clock.fix
    assert exit_code(results) == 1
    # a minute of drift is tolerated
    assert by_name(rig.run(now=T0 - timedelta(seconds=60)))["系统时钟"].status == "ok"


def test_clock_before_the_build_date_fails(rig: Rig) -> None:
    clock = by_name(rig.run(now=datetime(2020, 1, 1, tzinfo=UTC)))["系统时钟"]
    assert clock.status == "fail" and "早于软件发布日期" in clock.found
    later = rig.settings.__class__(
        **{**dataclasses.asdict(rig.settings), "build_date": "2027-01-01"}
    )
    clock = by_name(rig.run(settings=later))["系统时钟"]
    assert clock.status == "fail" and "2027-01-01" in clock.found


def test_disk_thresholds(rig: Rig) -> None:
    def free(mb: int) -> Any:
        return lambda _p: DiskUsage(64 * GB, 0, mb * 1024 * 1024)

    assert by_name(rig.run(disk_usage=free(5000)))["磁盘空间"].status == "ok"
    low = by_name(rig.run(disk_usage=free(500)))["磁盘空间"]
    assert low.status == "warn" and "500 MB" in low.found
    full = by_name(rig.run(disk_usage=free(100)))["磁盘空间"]
    assert full.status == "fail" and "删除" in full.fix


def corrupt_copy(station: Station, target: Path) -> Path:
    """A copy of the station database with garbage written over its pages after the first."""
    src = station.data_dir / "station.db"
    with sqlite3.connect(src) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    target.mkdir()
    db = target / "station.db"
    shutil.copyfile(src, db)
    data = bytearray(db.read_bytes())
    page = 4096
    for start in range(2 * page, len(data) - page, 3 * page):
        data[start + 8 : start + 600] = b"\xa5" * 592
    db.write_bytes(bytes(data))
    return db


def test_corrupted_database_fails_integrity(rig: Rig, tmp_path: Path) -> None:
    corrupt_copy(rig.station, tmp_path / "broken")
    settings = settings_for(rig.station, data_dir=str(tmp_path / "broken"))
    results = rig.run(settings=settings)
    found = by_name(results)
    assert found["数据库"].status == "fail"
    assert "备份" in found["数据库"].fix
    assert found["系统时钟"].status in {"ok", "warn"}  # reported, not crashed
    assert exit_code(results) == 1


def test_an_index_out_of_step_with_its_table_fails_integrity(rig: Rig, tmp_path: Path) -> None:
    target = tmp_path / "drift"
    target.mkdir()
    src = rig.station.data_dir / "station.db"
    with sqlite3.connect(src) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(src, target / "station.db")
    conn = sqlite3.connect(target / "station.db")
    conn.execute("PRAGMA writable_schema=ON")  # the index now claims to cover another column
    conn.execute(
        "UPDATE sqlite_master SET sql = 'CREATE INDEX ix_event_type ON event (entity)'"
        " WHERE name = 'ix_event_type'"
    )
    conn.commit()
    conn.close()
    db = by_name(rig.run(settings=settings_for(rig.station, data_dir=str(target))))["数据库"]
    assert db.status == "fail"
    assert "完整性检查发现问题" in db.found and "ix_event_type" in db.found


def test_garbage_or_missing_database_file_fails(rig: Rig, tmp_path: Path) -> None:
    (tmp_path / "garbage").mkdir()
    (tmp_path / "garbage" / "station.db").write_bytes(b"\x00garbage" * 1000)
    found = by_name(rig.run(settings=settings_for(rig.station, data_dir=str(tmp_path / "garbage"))))
    assert found["数据库"].status == "fail" and "无法读取" in found["数据库"].found
    assert found["系统时钟"].status == "warn"

    empty = tmp_path / "empty"
    found = by_name(rig.run(settings=settings_for(rig.station, data_dir=str(empty))))
    assert found["数据库"].status == "fail" and "yizhan db upgrade" in found["数据库"].fix
    assert not empty.exists()  # the self-check never creates a database


def test_county_unreachable_or_unset_is_a_warning(rig: Rig) -> None:
    closed = f"http://127.0.0.1:{free_port()}/"
    offline = dataclasses.replace(rig.settings, county_url=closed)
    results = rig.run(settings=offline, county_timeout=1.0)
    county = by_name(results)["县级中心"]
    assert county.status == "warn" and "无法连接" in county.found
    assert "断网不影响本站办理业务" in county.fix
    assert exit_code(results) == 0  # offline is a state, not a fault

    unset = by_name(rig.run(settings=settings_for(rig.station, county_url="")))["县级中心"]
    assert unset.status == "warn"
    assert unset.found == "未配置县级中心地址（本站单机运行，数据留在本机）"


def test_gpio_chip_and_pins(rig: Rig) -> None:
    rpi = settings_for(rig.station, county_url="", gpio_backend="rpi")
    missing = by_name(rig.run(settings=rpi))["GPIO"]
    assert missing.status == "fail" and "找不到 GPIO 芯片" in missing.found
    (rig.dev_dir / "gpiochip0").touch()
    present = by_name(rig.run(settings=rpi))["GPIO"]
    assert present.status == "ok" and "gpiochip0 可用" in present.found
    simulated = by_name(rig.run())["GPIO"]  # on a Pi, yet configured as fake
    assert simulated.status == "warn" and "gpio_backend 设为 rpi" in simulated.fix


def test_voice_pack_and_player(rig: Rig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    off = by_name(rig.run(settings=settings_for(rig.station, speaker_backend="none")))
    assert off["语音叫号"].status == "warn"
    custom = tmp_path / "recorded"
    shutil.copytree(DEFAULT_PACK_DIR, custom)
    (custom / "letter_Q.wav").unlink()
    broken = by_name(rig.run(settings=settings_for(rig.station, voice_pack_dir=str(custom))))
    assert broken["语音叫号"].status == "warn" and "letter_Q" in broken["语音叫号"].found
    monkeypatch.setattr("hw.voice.speaker.find_player", lambda: ["/usr/bin/aplay", "-q"])
    aplay = settings_for(rig.station, speaker_backend="aplay")
    assert by_name(rig.run(settings=aplay))["语音叫号"].status == "fail"  # no /dev/snd
    (rig.dev_dir / "snd").mkdir()
    assert by_name(rig.run(settings=aplay))["语音叫号"].status == "ok"


def test_a_check_that_raises_or_hangs_becomes_one_fail_line(rig: Rig) -> None:
    release = threading.Event()

    def raises(ctx: DoctorContext) -> CheckResult:
        raise RuntimeError("boom\nsecond line")

    def hangs(ctx: DoctorContext) -> CheckResult:
        release.wait(5)
        return CheckResult("挂起", "ok", "late")

    def chatty(ctx: DoctorContext) -> CheckResult:
        return CheckResult("多行", "warn", "第一行\n第二行", "先这样\n再那样")

    started = time.monotonic()
    results = rig.run(
        checks=[("出错", raises), ("挂起", hangs), ("多行", chatty)], check_timeout=0.3
    )
    release.set()
    assert time.monotonic() - started < 3
    assert [r.status for r in results] == ["fail", "fail", "warn"]
    assert "RuntimeError" in results[0].found and "没有结果" in results[1].found
    report = format_report(results)
    assert len(report.splitlines()) == 3
    assert "第一行 第二行 —— 先这样 再那样" in report


def test_doctor_main_prints_one_line_per_check_and_returns_the_exit_code(
    station: Station,
) -> None:
    out = io.StringIO()
    code = doctor_main(station.settings, out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("驿站自检：")
    assert lines[-1].startswith("自检完成：")
    checks = lines[1:-1]
    assert len(checks) == 12
    assert all(line[0] in "✔⚠✘" for line in checks)
    assert code == (1 if any(line.startswith("✘") for line in checks) else 0)
