"""The provisioning file (开通配置 ``station.toml`` on the FAT boot partition) and its checks.

The county technician edits it on any computer before the first boot. Every invalid field
gives exactly one Chinese line naming the field, what is wrong and what to write; the lines
are shown on the screen and written to ``配置错误.txt`` beside the file.

    station_code = "LX0101"              # 站点编码 (from the county)
    station_name = "李家村便民服务站"
    county_url = "https://county.example.cn"
    enrolment_code = "…"                 # 登记码, one-time; wiped after first boot
    public_url = "http://192.168.1.20:8080"   # what visitors' phones open (QR codes)
    timezone = "Asia/Shanghai"
    printer_model = "xprinter-58"        # see PRINTER_MODELS
    receipt_printer_uri = "usb://…"      # or socket://192.168.1.30:9100; empty = none
    notice_printer_uri = ""              # A4 printer; empty = none
    display = false                      # a second screen for the hall display
    maintenance_password = ""            # 维护密码: root on the console (Ctrl+Alt+F2), 10+
                                         # characters; wiped after first boot; empty = none
    [network]                            # nothing here = wired Ethernet (DHCP)
    wifi_ssid = ""
    wifi_password = ""                   # wiped after first boot too
    apn = ""                             # mobile data (4G dongle), e.g. "cmnet"
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

FILE_NAME = "station.toml"
ERROR_FILE = "配置错误.txt"
STATION_CODE = re.compile(r"^[A-Za-z0-9_-]{2,32}$")  # the county's rule (sync.county.enrolment)
SECRETS = ("enrolment_code", "wifi_password", "maintenance_password")
MAINTENANCE_PASSWORD_MIN = 10

# printer_model → receipt paper width in mm (0: no receipt printer, tickets on screen only)
PRINTER_MODELS: dict[str, int] = {
    "xprinter-58": 58,
    "xprinter-80": 80,
    "epson-tm-t82": 80,
    "gprinter-58": 58,
    "none": 0,
}
TOP_KEYS = {
    "station_code",
    "station_name",
    "county_url",
    "enrolment_code",
    "public_url",
    "timezone",
    "printer_model",
    "receipt_printer_uri",
    "notice_printer_uri",
    "display",
    "maintenance_password",
}
NETWORK_KEYS = {"wifi_ssid", "wifi_password", "apn"}
PRINTER_URI = re.compile(r"^(usb|socket|ipp|ipps|lpd|http|https)://\S+$")


def loopback_host(url: str) -> str | None:
    """The host of ``url`` when no visitor's phone can reach it (loopback or unspecified)."""
    host = (urlsplit(url).hostname or "").lower()
    if host in {"", "localhost"} or host.endswith(".localhost"):
        return host or "（空）"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    return host if address.is_loopback or address.is_unspecified else None


@dataclass(frozen=True)
class ProvisionFile:
    """A valid provisioning file."""

    station_code: str
    station_name: str
    county_url: str
    enrolment_code: str
    public_url: str
    timezone: str
    printer_model: str
    receipt_printer_uri: str
    notice_printer_uri: str
    display: bool
    maintenance_password: str
    wifi_ssid: str
    wifi_password: str
    apn: str

    @property
    def paper_width_mm(self) -> int:
        return PRINTER_MODELS[self.printer_model]


class ProvisionInvalid(Exception):
    """The file cannot be used; ``lines`` holds one Chinese line per problem."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


def _text(data: dict[str, Any], key: str, problems: list[str], label: str) -> str:
    value = data.get(key, "")
    if isinstance(value, str):
        return value.strip()
    problems.append(f'{key}（{label}）：应为用引号括起的文字，如 {key} = "…"')
    return ""


def _url(key: str, label: str, value: str, problems: list[str], example: str) -> None:
    parts = urlsplit(value)
    if not value:
        problems.append(f"{key}（{label}）：必须填写，如 {example}")
    elif parts.scheme not in {"http", "https"} or not parts.hostname:
        problems.append(f"{key}（{label}）：“{value}”不是 http:// 或 https:// 开头的地址")


def parse_provision_text(text: str, need_code: bool = True) -> ProvisionFile:
    """Parse and check the file's text; raises :class:`ProvisionInvalid` listing every problem.

    ``need_code`` is False once the station is enrolled (the code was wiped after use).
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProvisionInvalid([f"station.toml 格式错误：{exc}（请检查引号和等号）"]) from exc
    problems: list[str] = []
    network = data.pop("network", {})
    if not isinstance(network, dict):
        problems.append('[network]（网络）：应为一节，如 [network] 下写 wifi_ssid = "…"')
        network = {}
    for key in sorted(set(data) - TOP_KEYS):
        problems.append(f"{key}：不认识的配置项，请删除或检查拼写")
    for key in sorted(set(network) - NETWORK_KEYS):
        problems.append(f"network.{key}：不认识的网络配置项，请删除或检查拼写")

    code = _text(data, "station_code", problems, "站点编码")
    if not STATION_CODE.match(code):
        problems.append(
            f"station_code（站点编码）：“{code}”不对，应为县级中心发放的 2–32 位字母或数字"
        )
    name = _text(data, "station_name", problems, "站点名称")
    if not name or len(name) > 40:
        problems.append("station_name（站点名称）：必须填写，不超过 40 个字")
    county_url = _text(data, "county_url", problems, "县级中心地址")
    _url("county_url", "县级中心地址", county_url, problems, "https://county.example.cn")
    enrolment_code = _text(data, "enrolment_code", problems, "登记码")
    if need_code and not enrolment_code:
        problems.append("enrolment_code（登记码）：必须填写县级中心发放的一次性登记码")
    public_url = _text(data, "public_url", problems, "访客地址")
    _url("public_url", "访客地址", public_url, problems, "http://192.168.1.20:8080")
    if public_url and loopback_host(public_url) is not None:
        problems.append(
            f"public_url（访客地址）：“{public_url}”是本机地址，群众手机打不开；"
            "请填本站在局域网中的地址"
        )
    timezone = _text(data, "timezone", problems, "时区") or "Asia/Shanghai"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"timezone（时区）：“{timezone}”不是有效时区，一般填 Asia/Shanghai")
    model = _text(data, "printer_model", problems, "小票打印机型号") or "none"
    if model not in PRINTER_MODELS:
        known = "、".join(PRINTER_MODELS)
        problems.append(f"printer_model（小票打印机型号）：“{model}”不认识，可填：{known}")
    uris = {}
    for key, label in (("receipt_printer_uri", "小票打印机"), ("notice_printer_uri", "A4 打印机")):
        uri = _text(data, key, problems, label)
        if uri and not PRINTER_URI.match(uri):
            problems.append(f"{key}（{label}）：“{uri}”应以 usb://、socket:// 或 ipp:// 开头")
        uris[key] = uri
    if model == "none" and uris["receipt_printer_uri"]:
        problems.append("printer_model（小票打印机型号）：填了打印机地址，请同时填写型号")
    display = data.get("display", False)
    if not isinstance(display, bool):
        problems.append("display（叫号大屏）：应为 true 或 false（不加引号）")
        display = False

    maintenance = _text(data, "maintenance_password", problems, "维护密码")
    if maintenance and not (
        MAINTENANCE_PASSWORD_MIN <= len(maintenance) <= 64 and maintenance.isprintable()
    ):
        problems.append(
            f"maintenance_password（维护密码）：应为 {MAINTENANCE_PASSWORD_MIN}–64 个字符"
            "（字母、数字、符号），或留空不设维护登录"
        )
    ssid = _text(network, "wifi_ssid", problems, "无线网络名称")
    password = _text(network, "wifi_password", problems, "无线网络密码")
    apn = _text(network, "apn", problems, "移动数据接入点")
    if ssid and password and not 8 <= len(password) <= 63:
        problems.append("network.wifi_password（无线网络密码）：应为 8–63 个字符")
    if password and not ssid:
        problems.append("network.wifi_ssid（无线网络名称）：填了密码，请同时填写无线网络名称")
    if problems:
        raise ProvisionInvalid(_one_per_field(problems))
    return ProvisionFile(
        station_code=code,
        station_name=name,
        county_url=county_url.rstrip("/"),
        enrolment_code=enrolment_code,
        public_url=public_url.rstrip("/"),
        timezone=timezone,
        printer_model=model,
        receipt_printer_uri=uris["receipt_printer_uri"],
        notice_printer_uri=uris["notice_printer_uri"],
        display=bool(display),
        maintenance_password=maintenance,
        wifi_ssid=ssid,
        wifi_password=password,
        apn=apn,
    )


def _one_per_field(problems: list[str]) -> list[str]:
    """Keep the first line for each field (a wrong type would also fail the value's rule)."""
    seen: set[str] = set()
    kept = []
    for line in problems:
        key = re.split(r"[（：]", line, maxsplit=1)[0]
        if key not in seen:
            seen.add(key)
            kept.append(line)
    return kept


def wipe_secrets(path: Path) -> None:
    """Blank the one-time enrolment code and the Wi-Fi password in place, keeping every other
    line and comment, and flush it to the card (the FAT partition is readable anywhere)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    pattern = re.compile(r"^(\s*(?:" + "|".join(SECRETS) + r")\s*=\s*)(\"[^\"]*\"|'[^']*')")
    wiped = [pattern.sub(r'\1""', line) for line in lines]
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.writelines(wiped)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)


def write_errors(boot_dir: Path, lines: list[str]) -> Path:
    """``配置错误.txt`` beside the file: what the screen shows, for the technician's laptop."""
    path = boot_dir / ERROR_FILE
    head = "驿站首次开机：station.toml 有以下问题，请改正后重新插卡开机（每行一个问题）：\n"
    path.write_text(head + "".join(f"- {line}\n" for line in lines), encoding="utf-8")
    return path


def cmd_provision(args: argparse.Namespace) -> int:
    from yizhan.provision import Provisioner, provision_main

    provisioner = Provisioner(
        boot_dir=Path(args.boot_dir),
        config_path=Path(args.config),
        data_dir=Path(args.data_dir),
        cups_server=args.cups_server,
        nm_dir=Path(args.nm_dir) if args.nm_dir else None,
        display_flag=Path(args.display_flag) if args.display_flag else None,
        chpasswd=args.chpasswd,
    )
    return provision_main(provisioner, wait=args.wait)


def add_provision_command(sub: Any) -> None:
    """``yizhan provision``: registered by yizhan/cli.py."""
    p = sub.add_parser("provision", help="first boot: set up this station from station.toml")
    p.add_argument("--boot-dir", required=True, help="the boot partition, e.g. /boot/firmware")
    p.add_argument(
        "--config",
        default=os.environ.get("YIZHAN_CONFIG", "/etc/yizhan/station.toml"),
        help="the settings file to write",
    )
    p.add_argument(
        "--data-dir", default=os.environ.get("YIZHAN_DATA_DIR", "/var/lib/yizhan"), help="DATA_DIR"
    )
    p.add_argument("--cups-server", default="", help="CUPS socket or host[:port]; empty = local")
    p.add_argument(
        "--nm-dir",
        default="/etc/NetworkManager/system-connections",
        help="where the Wi-Fi / APN connection is written (empty: skip)",
    )
    p.add_argument(
        "--display-flag",
        default="/etc/yizhan/display.enabled",
        help="made when display = true (starts yizhan-display.service); empty: skip",
    )
    p.add_argument(
        "--chpasswd",
        default="",
        help="command that sets root's password from maintenance_password (the image: chpasswd);"
        " empty: the password is not set",
    )
    p.add_argument("--wait", action="store_true", help="on an invalid file, check it every 30 s")
    p.set_defaults(func=cmd_provision)
