"""``yizhan provision --boot-dir PATH``: first boot (首次开机) from the boot partition's file.

Runs as root from ``yizhan-provision.service`` before the station's services. In order:

1. read and check ``station.toml`` (:mod:`yizhan.provision_file`); on any problem print one
   Chinese line per field, write them to ``配置错误.txt`` on the boot partition and stop (exit
   2; with ``--wait`` check the file again every 30 s);
2. refuse a different station code on data that was not exported (backed up) first;
3. write the settings file (``/etc/yizhan/station.toml``) and the network connection;
4. create the database (Alembic) and the random device key;
5. set up the CUPS queues (receipt: raw; A4 notices: Generic PDF);
6. enrol with the county, or queue the enrolment until the county is reachable;
7. pull the catalogue and the calendar through one sync round;
8. set root's password for the maintenance console from ``maintenance_password`` (only with
   ``--chpasswd``, as the image's unit runs it);
9. wipe the enrolment code (and the Wi-Fi and maintenance passwords) from the boot file, and
   mark the data directory provisioned.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlmodel import col, func, select

from appliance.backup.tables import BackupRecord
from appliance.core.clock import Clock, SystemClock
from appliance.db.database import Database
from appliance.db.migrate import upgrade
from appliance.events.tables import Event
from appliance.settings import Settings, load_settings
from appliance.staff.service.device_key import ensure_device_key
from sync.station.agent import SyncAgent
from sync.station.client import OutcomeUnknown
from sync.station.enrol import EnrolError, enrol
from sync.station.pending import queue_enrolment
from sync.station.state import load_state
from yizhan.provision_file import (
    ERROR_FILE,
    FILE_NAME,
    ProvisionFile,
    ProvisionInvalid,
    parse_provision_text,
    wipe_secrets,
    write_errors,
)

MARKER = "provisioned"
PDF_PPD = "/usr/share/ppd/cupsfilters/Generic-PDF_Printer-PDF.ppd"
WAIT_SECONDS = 30.0
KEEP_ON_RETIRE = {"backups", "retired"}


class ProvisionRefused(Exception):
    """Provisioning must not go on; ``message`` is Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class ProvisionReport:
    lines: list[str] = field(default_factory=list)
    enrolled: bool = False
    queued: bool = False

    def say(self, line: str) -> None:
        self.lines.append(line)
        print(line, flush=True)


@dataclass
class Provisioner:
    """One provisioning run; the paths and the clock are arguments so tests use a temp root."""

    boot_dir: Path
    config_path: Path
    data_dir: Path
    cups_server: str = ""
    nm_dir: Path | None = None
    display_flag: Path | None = None
    clock: Clock = field(default_factory=SystemClock)
    transport: httpx.BaseTransport | None = None
    lpadmin: str = "lpadmin"
    chpasswd: str = ""  # the image: "chpasswd" (root's password); empty: never touched
    report: ProvisionReport = field(default_factory=ProvisionReport)

    # ---- the file ---------------------------------------------------------------------------
    def marker(self) -> dict[str, Any] | None:
        try:
            data = json.loads((self.data_dir / MARKER).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def read_file(self) -> ProvisionFile:
        path = self.boot_dir / FILE_NAME
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise ProvisionInvalid(
                [f"找不到 {FILE_NAME}：请把它放在启动分区（RASPIFIRM）"]
            ) from exc
        except UnicodeDecodeError as exc:
            raise ProvisionInvalid(
                [f"{FILE_NAME} 不是 UTF-8 编码：请用记事本另存为 UTF-8"]
            ) from exc
        marker = self.marker()
        return parse_provision_text(text, need_code=not (marker and marker.get("enrolled")))

    # ---- refusals -----------------------------------------------------------------------------
    def check_station_code(self, conf: ProvisionFile) -> None:
        """A different station code on existing data: only when every event is in a backup."""
        marker = self.marker()
        if marker is None or marker.get("station_code") == conf.station_code:
            return
        old = str(marker.get("station_code"))
        if not (self.data_dir / "station.db").exists():
            return
        db = Database(f"sqlite:///{self.data_dir / 'station.db'}")
        try:
            with db.read() as s:
                last = s.exec(
                    select(BackupRecord).order_by(col(BackupRecord.taken_at).desc()).limit(1)
                ).first()
                after = last.event_seq if last is not None else 0
                unsaved = s.exec(
                    select(func.count())
                    .select_from(Event)
                    .where(col(Event.seq) > after, col(Event.type) != "backup.completed")
                ).one()
        finally:
            db.dispose()
        if unsaved:
            raise ProvisionRefused(
                f"本机数据属于站点 {old}，不能改为 {conf.station_code}：还有 {unsaved} 条记录"
                f"未导出。请先运行 yizhan backup 导出数据（或把 station_code 改回 {old}）"
            )
        retired = self.data_dir / "retired" / f"{old}-{self.clock.now():%Y%m%d%H%M%S}"
        retired.mkdir(parents=True)
        for entry in self.data_dir.iterdir():
            if entry.name not in KEEP_ON_RETIRE:
                shutil.move(str(entry), retired / entry.name)
        self.report.say(f"✔ 站点 {old} 的数据已导出，移到 {retired}，本机改为 {conf.station_code}")

    # ---- settings and network ------------------------------------------------------------------
    def write_settings(self, conf: ProvisionFile) -> Settings:
        existing: dict[str, Any] = {}
        if self.config_path.exists():
            import tomllib

            existing = tomllib.loads(self.config_path.read_text(encoding="utf-8"))
            existing = {k: v for k, v in existing.items() if not isinstance(v, dict)}
        values: dict[str, Any] = {
            **existing,
            "data_dir": str(self.data_dir),
            "station_code": conf.station_code,
            "station_name": conf.station_name,
            "county_url": conf.county_url,
            "public_url": conf.public_url,
            # visitors' phones open public_url on the LAN: listen beyond loopback
            "http_host": "0.0.0.0",
            "timezone": conf.timezone,
            "demo": False,
            "printer_backend": "cups" if conf.receipt_printer_uri else "none",
            "notice_printer_backend": "cups" if conf.notice_printer_uri else "none",
        }
        if conf.paper_width_mm:
            values["paper_width_mm"] = conf.paper_width_mm
        if self.cups_server:
            values["cups_server"] = self.cups_server
        lines = ["# 驿站站点设置：由 yizhan provision 根据启动分区的 station.toml 写入\n"]
        lines += [
            f"{key} = {json.dumps(value, ensure_ascii=False)}\n" for key, value in values.items()
        ]
        self.config_path.parent.mkdir(parents=True, exist_ok=True)
        self.config_path.write_text("".join(lines), encoding="utf-8")
        settings = load_settings(self.config_path, env={})
        self.report.say(
            f"✔ 站点 {conf.station_code} {conf.station_name}，设置已写入 {self.config_path}"
        )
        return settings

    def set_maintenance_password(self, conf: ProvisionFile) -> None:
        """root's password for the maintenance console (Ctrl+Alt+F2), through ``chpasswd``."""
        if not self.chpasswd:
            return
        if not conf.maintenance_password:
            self.report.say("⚠ 未设置维护密码（maintenance_password）：维护控制台无法登录")
            return
        try:
            subprocess.run(
                [self.chpasswd],
                input=f"root:{conf.maintenance_password}\n",
                text=True,
                capture_output=True,
                check=True,
                timeout=60,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise ProvisionRefused(f"维护密码没有设置成功（{type(exc).__name__}），请重试") from exc
        self.report.say("✔ 维护密码已设置：按 Ctrl+Alt+F2，以 root 登录")

    def write_network(self, conf: ProvisionFile) -> None:
        if self.nm_dir is None or not (conf.wifi_ssid or conf.apn):
            return
        self.nm_dir.mkdir(parents=True, exist_ok=True)
        if conf.wifi_ssid:
            security = (
                f"[wifi-security]\nkey-mgmt=wpa-psk\npsk={conf.wifi_password}\n\n"
                if conf.wifi_password
                else ""
            )
            body = (
                "[connection]\nid=yizhan-wifi\ntype=wifi\nautoconnect=true\n\n"
                f"[wifi]\nmode=infrastructure\nssid={conf.wifi_ssid}\n\n{security}"
                "[ipv4]\nmethod=auto\n\n[ipv6]\nmethod=auto\n"
            )
            _write_private(self.nm_dir / "yizhan-wifi.nmconnection", body)
            self.report.say(f"✔ 无线网络 {conf.wifi_ssid} 已配置")
        if conf.apn:
            body = (
                "[connection]\nid=yizhan-mobile\ntype=gsm\nautoconnect=true\n\n"
                f"[gsm]\napn={conf.apn}\n\n[ipv4]\nmethod=auto\n\n[ipv6]\nmethod=auto\n"
            )
            _write_private(self.nm_dir / "yizhan-mobile.nmconnection", body)
            # ModemManager is masked on the appliance (it takes the SMS modem's port), so this
            # connection cannot dial by itself: say so instead of a false ✔ (docs/deploy.md)
            self.report.say(
                f"⚠ 移动数据接入点 {conf.apn} 已写入，但本机为短信模块停用了 ModemManager，"
                "4G 网卡不会自动拨号：请用有线、无线网络或自带路由的 4G 网卡上网"
            )

    # ---- database, key, printers -------------------------------------------------------------
    def prepare_data(self, settings: Settings) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        upgrade(settings.sqlalchemy_url)
        ensure_device_key(settings)
        self.report.say("✔ 数据库已建立，设备密钥已生成")

    def setup_printers(self, conf: ProvisionFile, settings: Settings) -> None:
        host = ["-h", self.cups_server] if self.cups_server else []
        queues = [
            (settings.cups_receipt_queue, conf.receipt_printer_uri, ["-m", "raw"], "小票打印机"),
            (
                settings.cups_notice_queue,
                conf.notice_printer_uri,
                ["-P", PDF_PPD, "-o", "PageSize=A4"],
                "A4 打印机",
            ),
        ]
        for queue, uri, model, label in queues:
            if not uri:
                self.report.say(f"- {label}：未配置")
                continue
            command = [self.lpadmin, *host, "-p", queue, "-E", "-v", uri, *model]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise ProvisionRefused(
                    f"{label}打印队列 {queue} 设置失败：{done.stderr.strip() or done.stdout.strip()}"
                )
            self.report.say(f"✔ {label}打印队列 {queue} → {uri}")

    # ---- county ---------------------------------------------------------------------------------
    def enrol(self, conf: ProvisionFile, settings: Settings, db: Database) -> None:
        state = load_state(db)
        if state is not None and state.station_id == conf.station_code:
            self.report.enrolled = True
            self.report.say(f"✔ 已登记到县级中心（{state.county_url}）")
            return
        try:
            enrol(settings, conf.enrolment_code, db=db, clock=self.clock, transport=self.transport)
        except EnrolError as exc:
            if isinstance(exc.__cause__, OutcomeUnknown):
                queue_enrolment(settings, conf.enrolment_code)
                self.report.queued = True
                self.report.say("⚠ 暂时连不上县级中心：登记已排队，联网后自动完成")
                return
            raise ProvisionInvalid([f"enrolment_code（登记码）：{exc.message}"]) from exc
        self.report.enrolled = True
        self.report.say(f"✔ 已登记到县级中心（{conf.county_url}）")

    def pull_reference(self, settings: Settings, db: Database) -> None:
        agent = SyncAgent(settings, db=db, clock=self.clock, transport=self.transport)
        try:
            result = agent.run_once()
        finally:
            agent.close()
        if result.error:
            self.report.say(f"⚠ 事项目录和节假日暂未下载（{result.error}），同步服务会继续重试")
        else:
            rows = result.down.rows if result.down else 0
            self.report.say(f"✔ 已下载事项目录、节假日等参考数据（{rows} 行）")

    # ---- the whole run --------------------------------------------------------------------------
    def unchanged(self) -> bool:
        """The file is the one provisioned last time (every boot after the first is quick)."""
        marker = self.marker()
        try:
            current = _sha256(self.boot_dir / FILE_NAME)
        except OSError:
            return False
        return marker is not None and marker.get("file_sha256") == current

    def run(self) -> ProvisionReport:
        if self.unchanged():
            self.report.enrolled = bool((self.marker() or {}).get("enrolled"))
            self.report.say("✔ station.toml 与上次开通时相同，无需重新开通")
            return self.report
        conf = self.read_file()
        self.check_station_code(conf)
        settings = self.write_settings(conf)
        self.write_network(conf)
        self.prepare_data(settings)
        self.setup_printers(conf, settings)
        if self.display_flag is not None:
            if conf.display:
                self.display_flag.parent.mkdir(parents=True, exist_ok=True)
                self.display_flag.touch()
            else:
                self.display_flag.unlink(missing_ok=True)
        db = Database(settings.sqlalchemy_url)
        try:
            self.enrol(conf, settings, db)
            if self.report.enrolled:
                self.pull_reference(settings, db)
        finally:
            db.dispose()
        self.set_maintenance_password(conf)
        wipe_secrets(self.boot_dir / FILE_NAME)
        (self.boot_dir / ERROR_FILE).unlink(missing_ok=True)
        self.write_marker(conf)
        self.report.say("✔ 登记码和密码已从 station.toml 中抹去。开通完成，可以开门办理。")
        return self.report

    def write_marker(self, conf: ProvisionFile) -> None:
        data = {
            "station_code": conf.station_code,
            "enrolled": self.report.enrolled,
            "queued": self.report.queued,
            "at": self.clock.now().isoformat(),
            "file_sha256": _sha256(self.boot_dir / FILE_NAME),
        }
        (self.data_dir / MARKER).write_text(json.dumps(data, ensure_ascii=False), "utf-8")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write_private(path: Path, body: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(body)


def provision_main(
    provisioner: Provisioner,
    wait: bool = False,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """0 when provisioned, 2 when the file is invalid, 1 when refused. ``wait``: on an invalid
    file, check it again every ``WAIT_SECONDS`` until it is right."""
    while True:
        try:
            provisioner.run()
            return 0
        except ProvisionInvalid as exc:
            print("station.toml 有问题，请改正（也已写入启动分区的 配置错误.txt）：", flush=True)
            for line in exc.lines:
                print(f"✘ {line}", flush=True)
            write_errors(provisioner.boot_dir, exc.lines)
            if not wait:
                return 2
        except ProvisionRefused as exc:
            print(f"✘ {exc.message}", flush=True)
            write_errors(provisioner.boot_dir, [exc.message])
            if not wait:
                return 1
        print(f"（{WAIT_SECONDS:.0f} 秒后重新检查 station.toml）", flush=True)
        sleep(WAIT_SECONDS)
