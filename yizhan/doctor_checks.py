"""Self-check results and the device checks (设备自检): printers, modem, GPIO, voice.

Each check takes a :class:`DoctorContext` and returns one :class:`CheckResult`, one line of
the report. A check may raise; :func:`yizhan.doctor.run_doctor` turns that into a ✘ line,
so the report is always complete. Device checks use only ``status()`` of the backends (or
look at ``/dev``) and never print, send or play anything. Device modules are imported
lazily: one that is not installed or not built yet is reported as 未配置.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, NamedTuple, Protocol
from zoneinfo import ZoneInfo

from appliance.db.database import Database
from appliance.settings import Settings
from hw.gpio.config import GpioConfig
from hw.protocols import ModemStatus, PrinterStatus
from hwservice.devices import make_modem, make_notice_printer, make_receipt_printer
from yizhan.provision_file import loopback_host

Status = Literal["ok", "warn", "fail"]

COUNTY_TIMEOUT_SECONDS = 3.0
WEAK_SIGNAL = 10  # AT+CSQ rssi below this (about -93 dBm) is weak; 99 = unknown
BCM_PINS = range(0, 28)

SUPPORT_FIX = "请把这一行拍照发给县级技术支持"


@dataclass(frozen=True)
class CheckResult:
    """One line of the self-check report (自检结果)."""

    name: str
    status: Status
    found: str
    fix: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


class StatusSource(Protocol):
    """Anything with a printer ``status()``: a receipt or a notice printer backend."""

    def status(self) -> PrinterStatus: ...


class ModemStatusSource(Protocol):
    def status(self) -> ModemStatus: ...


@dataclass(frozen=True)
class Printers:
    """The printers to check; ``None`` means not configured (未配置)."""

    receipt: StatusSource | None
    notice: StatusSource | None = None


class DiskUsage(NamedTuple):
    total: int
    used: int
    free: int


@dataclass
class DoctorContext:
    """What the checks look at. ``None`` devices are built from settings when checked."""

    settings: Settings
    now: datetime
    printers: Printers | None = None
    modem: ModemStatusSource | None = None
    db: Database | None = None
    dev_dir: Path = Path("/dev")
    disk_usage: Callable[[str], Any] = shutil.disk_usage
    county_timeout: float = COUNTY_TIMEOUT_SECONDS
    _printers: Printers | None = field(default=None, repr=False)

    def setting(self, name: str, default: Any) -> Any:
        return getattr(self.settings, name, default)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.settings.timezone)

    def local(self, at: datetime) -> str:
        return at.astimezone(self.tz).strftime("%Y-%m-%d %H:%M:%S")


def ok(name: str, found: str) -> CheckResult:
    return CheckResult(name, "ok", found)


def warn(name: str, found: str, fix: str) -> CheckResult:
    return CheckResult(name, "warn", found, fix)


def fail(name: str, found: str, fix: str) -> CheckResult:
    return CheckResult(name, "fail", found, fix)


# ---- printers -------------------------------------------------------------------------------


def configured_printers(ctx: DoctorContext) -> Printers:
    """The printers passed in, else the ones the settings build (a missing factory = None)."""
    if ctx.printers is not None:
        return ctx.printers
    if ctx._printers is None:
        ctx._printers = Printers(
            make_receipt_printer(ctx.settings), make_notice_printer(ctx.settings)
        )
    return ctx._printers


def _printer_result(name: str, status: PrinterStatus, paper: str) -> CheckResult:
    found = status.label + (f"（{status.detail}）" if status.detail else "")
    if status.state == "ready":
        return ok(name, found)
    fixes = {
        "media-empty": f"请装入{paper}，合上盖子；排队的小票会自动补打",
        "offline": "请检查打印机电源和 USB 线（或网线），开机后会自动重试",
        "paused": "打印队列已暂停：请在打印机管理页（CUPS）点“恢复打印机”，或运行 sudo cupsenable 打印机名",
    }
    return fail(name, found, fixes.get(status.state, SUPPORT_FIX))


def check_receipt_printer(ctx: DoctorContext) -> CheckResult:
    name = "小票打印机"
    printer = configured_printers(ctx).receipt
    if printer is None:
        return warn(
            name,
            f"未配置（printer_backend = {ctx.settings.printer_backend}）",
            "取号时不会打印小票；如已接打印机，请在设置中选择打印机类型",
        )
    width = ctx.settings.paper_width_mm
    return _printer_result(name, printer.status(), f" {width} mm 热敏纸（光面朝打印头）")


def check_notice_printer(ctx: DoctorContext) -> CheckResult:
    name = "A4 打印机"
    printer = configured_printers(ctx).notice
    if printer is None:
        return warn(
            name,
            "未配置 A4 通知书打印机",
            "通知书会以小票形式打印；如需 A4，请连接打印机并在设置中配置",
        )
    return _printer_result(name, printer.status(), " A4 纸")


# ---- modem ----------------------------------------------------------------------------------


def check_modem(ctx: DoctorContext) -> CheckResult:
    name = "短信猫"
    modem = ctx.modem
    close: Callable[[], Any] | None = None
    if modem is None:
        modem = make_modem(ctx.settings)
        close = getattr(modem, "close", None)
    if modem is None:
        return warn(name, "未配置短信猫", "不会发短信提醒；如已接短信猫，请在设置中配置串口")
    try:
        status = modem.status()
    finally:
        if callable(close):
            close()
    signal = status.signal
    bars = f"信号 {signal}/31" if signal is not None and signal != 99 else "信号未知"
    detail = f"（{status.detail}）" if status.detail else ""
    if status.state == "ready":
        if signal is not None and (signal == 99 or signal < WEAK_SIGNAL):
            return warn(
                name,
                f"SIM 卡正常，信号弱：{bars}{detail}",
                "短信可能发送失败：请把短信猫或天线挪到窗边、高处",
            )
        return ok(name, f"{status.label}，SIM 卡正常，{bars}{detail}")
    fixes = {
        "no-sim": "请关机后插好 SIM 卡（注意方向），确认卡未停机、未设 PIN 码",
        "no-signal": "请把短信猫或天线挪到窗边、高处，并拧紧天线；短信会排队等有信号再发",
        "offline": "请检查短信猫的 USB 线和电源（指示灯应亮），再运行本自检",
    }
    return fail(name, f"{status.label}{detail}", fixes.get(status.state, SUPPORT_FIX))


# ---- GPIO -----------------------------------------------------------------------------------


def _gpio_config(settings: Settings) -> tuple[str, int, dict[str, tuple[int, ...]]]:
    """(backend, chip, device → pins) from the ``gpio_*`` settings."""
    config = GpioConfig.from_settings(settings)
    pins = {
        "按钮": (int(config.button_pin),),
        "蜂鸣器": (int(config.buzzer_pin),),
        "评价器": tuple(int(p) for p in config.keypad_pins),
    }
    return str(config.backend), int(config.chip), pins


def check_gpio(ctx: DoctorContext) -> CheckResult:
    name = "GPIO"
    try:
        backend, chip, pins = _gpio_config(ctx.settings)
    except ValueError as exc:
        return fail(name, f"GPIO 设置有误：{exc}", "请检查 gpio_* 设置：每个引脚只能用一次")
    chips = sorted(ctx.dev_dir.glob("gpiochip*"))
    wiring = "，".join(f"{dev} {','.join(map(str, p))}" for dev, p in pins.items())
    if backend != "rpi":
        found = f"模拟按钮（gpio_backend = {backend}）"
        if chips:
            return warn(
                name,
                found + f"，但本机有 {chips[0]}",
                "如已接好取号按钮和评价器，请把 gpio_backend 设为 rpi",
            )
        return ok(name, found)
    bad = sorted({p for group in pins.values() for p in group if p not in BCM_PINS})
    if bad:
        return fail(name, f"引脚号超出范围：{bad}", "GPIO 引脚用 BCM 编号 0–27，请改正 gpio_* 设置")
    wanted = ctx.dev_dir / f"gpiochip{chip}" if chip >= 0 else (chips[0] if chips else None)
    if wanted is None or not wanted.exists():
        where = wanted or ctx.dev_dir / "gpiochip*"
        return fail(
            name,
            f"找不到 GPIO 芯片 {where}",
            "请确认在树莓派上运行；如芯片号不同，请设置 gpio_chip（如 Pi 5 旧内核为 4）",
        )
    if not os.access(wanted, os.R_OK | os.W_OK):
        return fail(
            name,
            f"没有权限使用 {wanted}",
            "请把运行服务的用户加入 gpio 组：sudo usermod -aG gpio 用户名，然后重启",
        )
    return ok(name, f"{wanted} 可用；{wiring}" if wiring else f"{wanted} 可用")


# ---- voice ----------------------------------------------------------------------------------


def check_voice(ctx: DoctorContext) -> CheckResult:
    from hw.voice.pack import VoicePackError, load_voice_pack
    from hw.voice.speaker import find_player

    name = "语音叫号"
    backend = str(ctx.setting("speaker_backend", "file") or "file").strip().lower()
    if backend == "none":
        return warn(
            name, "语音叫号已关闭（speaker_backend = none）", "如需播报叫号，请接好音箱并设为 aplay"
        )
    custom = str(ctx.setting("voice_pack_dir", "") or "")
    problem = ""
    try:
        pack = load_voice_pack(custom or None)
    except VoicePackError as exc:
        if not custom:
            return fail(name, exc.message, "请重新安装本软件，或运行 scripts/make_voice_pack.py")
        problem = exc.message
        pack = load_voice_pack()
    if backend == "aplay":
        player = find_player()
        if player is None:
            return fail(name, "未找到音频播放程序", "请安装：sudo apt-get install alsa-utils")
        if not (ctx.dev_dir / "snd").exists():
            return fail(
                name, "找不到声卡（/dev/snd）", "请接好音箱或 HDMI 显示器并开机，再运行本自检"
            )
        found = f"{Path(player[0]).name} 播放，语音包“{pack.name}”"
    else:
        found = f"模拟播报（speaker_backend = {backend}），语音包“{pack.name}”"
    if problem:
        return warn(name, problem, "已改用默认语音包；请补录缺少的片段，见 docs/voice-pack.md")
    return ok(name, found)


# ---- the hardware service (心跳) ---------------------------------------------------------

HW_FIX = (
    "请重启硬件服务：sudo systemctl restart yizhan-hw；"
    "如反复出现，运行 journalctl -u yizhan-hw 查看原因，并联系县级技术支持"
)


def _device_key(settings: Settings) -> str:
    """The key ``yizhan hw`` presents (the station's key file, else the setting)."""
    if settings.device_key:
        return settings.device_key
    from appliance.staff.service.device_key import client_device_key

    return client_device_key(settings)


def check_hardware_service(ctx: DoctorContext) -> CheckResult:
    """The server's verdict on ``yizhan hw`` (heartbeat, stuck loops, unclaimed print jobs)."""
    import httpx
    import msgspec

    from appliance.devices.schemas import HardwareHealth

    name = "硬件服务"
    url = str(ctx.setting("server_url", "")).rstrip("/")
    key = _device_key(ctx.settings)
    try:
        response = httpx.get(
            f"{url}/api/device/heartbeat", headers={"X-Device-Key": key}, timeout=3.0
        )
    except httpx.HTTPError as exc:
        return fail(
            name,
            f"站点服务器没有响应（{url}，{type(exc).__name__}），无法确认硬件服务",
            "请启动站点服务器：sudo systemctl restart yizhan-server",
        )
    if response.status_code in (401, 403):
        return fail(name, "站点服务器不认本机的设备密钥", "请核对设置中的 device_key")
    if response.status_code == 503:
        return fail(name, "站点服务器因系统时间不对暂停服务", "请先在工作人员终端校准时间")
    if response.status_code != 200:
        return fail(name, f"站点服务器返回 HTTP {response.status_code}", SUPPORT_FIX)
    health = msgspec.json.decode(response.content, type=HardwareHealth)
    found = health.label + (f"（{health.detail}）" if health.detail else "")
    return ok(name, found) if health.ok else fail(name, found, HW_FIX)


# ---- the address on QR codes -----------------------------------------------------------------

PUBLIC_URL_FIX = (
    "请在 station.toml 设置 public_url 为群众手机能访问的地址，"
    "如 http://192.168.1.20:8080，然后重启站点服务器"
)


def check_public_url(ctx: DoctorContext) -> CheckResult:
    """Ticket and notice QR codes carry ``visitor_url``: a loopback address fails a real
    station (only the demo station may keep it)."""
    name = "访客地址"
    url = ctx.settings.visitor_url
    host = loopback_host(url)
    if host is None:
        return ok(name, f"二维码地址 {url}")
    found = f"二维码地址 {url} 是本机地址，群众手机打不开"
    if ctx.settings.demo:
        return warn(name, found + "（演示模式）", PUBLIC_URL_FIX)
    return fail(name, found, PUBLIC_URL_FIX)
