"""Typed station settings: one TOML file plus ``YIZHAN_*`` environment overrides.

Every field has a default and a line of help (``help`` metadata). ``docs/settings.md`` lists
them all; ``tests/test_settings_docs.py`` keeps the two in step.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ENV_PREFIX = "YIZHAN_"
CONFIG_ENV = "YIZHAN_CONFIG"


def _f(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    """All settings of one station appliance."""

    data_dir: str = _f("./var", "Directory for the database, receipts and logs.")
    database_url: str = _f(
        "", "SQLAlchemy URL of the station database; empty means SQLite at DATA_DIR/station.db."
    )
    station_code: str = _f("DEMO01", "Station code issued by the county (站点编码).")
    station_name: str = _f("示范村便民服务站", "Station name printed on tickets and pages.")
    timezone: str = _f("Asia/Shanghai", "IANA time zone of the station; business days follow it.")
    open_time: str = _f("08:30", "Daily opening time, HH:MM local.")
    close_time: str = _f("17:30", "Daily closing time, HH:MM local (R-Q5).")
    max_priority_streak: int = _f(
        2, "Most priority calls in a row per category while ordinary tickets wait (R-Q4)."
    )
    no_show_rejoin: str = _f(
        "end", "Rejoin rule after a no-show (过号): end, after (N places back) or forbid."
    )
    no_show_rejoin_after: int = _f(3, "For no_show_rejoin=after: places behind the queue head.")
    no_show_max_rejoins: int = _f(1, "How often one ticket may rejoin after no-shows.")
    max_absence_minutes: int = _f(15, "Allowed pause (暂停服务) before an alert fires (R-Q6).")
    wait_prior_minutes: float = _f(
        8.0, "Service minutes assumed per ticket until enough history exists."
    )
    wait_min_samples: int = _f(5, "Finished services needed before the learned estimate is used.")
    wait_sample_size: int = _f(30, "How many recent services the wait estimate learns from.")
    session_hours: int = _f(12, "Lifetime of a staff login token, in hours.")
    device_key: str = _f(
        "yizhan-demo-device-key", "Shared key the hardware service presents to issue tickets."
    )
    http_host: str = _f("127.0.0.1", "Address the station server listens on.")
    http_port: int = _f(8080, "Port the station server listens on.")
    server_url: str = _f("http://127.0.0.1:8080", "Station server URL used by the TUI and hw.")
    sms_notify_ahead: int = _f(
        3, "Text a waiting visitor 前面还有 N 人 when N or fewer are ahead (needs a phone number)."
    )
    public_url: str = _f(
        "", "Station address visitors' phones reach (ticket QR codes); empty means server_url."
    )
    button_category: str = _f("A", "Category prefix the call button (叫号按钮) issues tickets for.")
    printer_backend: str = _f(
        "simulated", "Receipt printer backend: cups, simulated (files under DATA_DIR) or none."
    )
    speaker_backend: str = _f(
        "file",
        "Voice calling (语音叫号): aplay (audio out via aplay/paplay/play), file "
        "(DATA_DIR/voice/last-call.wav), fake or none.",
    )
    voice_pack_dir: str = _f(
        "", "Folder of a recorded voice pack (see docs/voice-pack.md); empty means the default."
    )
    county_url: str = _f(
        "",
        "County centre URL (县级中心): sync target and `yizhan doctor` check; empty means not "
        "configured yet.",
    )
    sync_interval_s: float = _f(
        60.0, "Seconds between sync rounds when caught up (上传事件、下载参考数据)."
    )
    sync_batch_events: int = _f(
        200, "Events in the first sync batch; grows on success, shrinks on 413 or timeouts."
    )
    sync_batch_bytes: int = _f(
        256 * 1024,
        "Compressed bytes of the first sync batch; never above the county's advertised maximum.",
    )
    sync_timeout_s: float = _f(30.0, "HTTP timeout of one sync request, in seconds.")
    sync_backoff_max_s: float = _f(
        900.0, "Longest wait between sync retries after failures (exponential backoff, jitter)."
    )
    build_date: str = _f(
        "", "Earliest plausible date (YYYY-MM-DD) for the clock check; empty means the release."
    )
    disk_warn_mb: int = _f(
        1024, "`yizhan doctor` warns when the data dir has less free space (MB)."
    )
    disk_fail_mb: int = _f(200, "`yizhan doctor` fails when the data dir has less free space (MB).")
    gpio_backend: str = _f("fake", "GPIO backend: rpi (RPi.GPIO / rpi-lgpio on the Pi) or fake.")
    gpio_chip: int = _f(-1, "gpiochip number for rpi-lgpio (RPI_LGPIO_CHIP); -1 = library default.")
    gpio_button_pin: int = _f(17, "BCM pin of the call button (取号按钮).")
    gpio_button_pull_up: bool = _f(
        True, "Call button wired to ground with the internal pull-up (pressed = LOW)."
    )
    gpio_debounce_ms: int = _f(30, "A button level counts after it is stable this long (去抖), ms.")
    gpio_button_min_interval_s: float = _f(
        3.0, "Presses within this many seconds of the last accepted press are ignored."
    )
    gpio_long_press_s: float = _f(
        2.0, "Hold at least this long for a priority ticket (老弱病残孕)."
    )
    gpio_stuck_after_s: float = _f(
        10.0, "A button held longer is stuck: alert, ignored until released."
    )
    gpio_buzzer_pin: int = _f(18, "BCM pin of the buzzer (蜂鸣器).")
    gpio_buzzer_active_high: bool = _f(True, "The buzzer sounds when its pin is HIGH.")
    gpio_keypad_pins: str = _f(
        "5,6,13,19,26", "BCM pins of the rating keypad keys (评价器), comma separated."
    )
    gpio_keypad_levels: str = _f(
        "5,4,3,2,1", "Rating level of each keypad pin, in the same order (5 = 非常满意)."
    )
    gpio_keypad_pull_up: bool = _f(
        True, "Keypad keys wired to ground with pull-ups (pressed = LOW)."
    )
    gpio_keypad_min_interval_s: float = _f(
        1.0, "Keypad presses within this many seconds of the last rating are ignored."
    )
    gpio_keypad_window: int = _f(1, "Window number (窗口号) the rating keypad belongs to.")
    modem_backend: str = _f(
        "simulated",
        "SMS modem backend: simulated (DATA_DIR/sms/outbox.log), gsm (a serial GSM modem) or none.",
    )
    modem_port: str = _f(
        "/dev/ttyUSB2",
        "Serial port of the GSM modem's AT interface; prefer a /dev/serial/by-id/… link.",
    )
    modem_baud: int = _f(115200, "Baud rate of the modem's serial port.")
    modem_timeout: float = _f(5.0, "Seconds to wait for an AT command and for the `> ` prompt.")
    modem_send_timeout: float = _f(
        60.0, "Seconds to wait for the network to accept one SMS part after Ctrl-Z."
    )
    cups_server: str = _f(
        "", "CUPS server: a socket path or host[:port]; empty means the system default."
    )
    cups_receipt_queue: str = _f(
        "receipt", "CUPS raw queue of the thermal receipt printer (printer_backend=cups)."
    )
    notice_printer_backend: str = _f(
        "simulated",
        "A4 notice printer: cups, simulated (PDFs under DATA_DIR/notices) or none (print the "
        "condensed receipt version on the thermal printer).",
    )
    cups_notice_queue: str = _f(
        "notice", "CUPS queue of the A4 notice printer (PDF, media=A4, 2 copies)."
    )
    cups_stall_seconds: float = _f(
        15.0, "A CUPS job still printing after this many seconds means the printer is offline."
    )
    paper_width_mm: int = _f(58, "Receipt paper width: 58 or 80.")
    display_recent_calls: int = _f(6, "How many recent calls the hall display lists.")
    alert_check_seconds: float = _f(15.0, "How often the server checks for overdue pauses.")
    case_reminder_working_days: int = _f(
        1, "Remind staff this many working days before a case's 办结期限 (R-K3)."
    )
    case_sweep_seconds: float = _f(
        300.0, "How often the server sweeps cases: auto-accept, reminders, overdue (0 = never)."
    )
    station_phone: str = _f("", "Station phone number printed on notices (咨询电话).")
    case_query_ip_max_failures: int = _f(
        10, "Failed progress queries (办件进度查询) one client address may make per window (R-K7)."
    )
    case_query_ip_window_minutes: int = _f(
        10, "Window, in minutes, over which one client address's failed queries are counted."
    )
    case_query_case_max_failures: int = _f(
        5, "Failed progress queries allowed on one case number per window (R-K7)."
    )
    case_query_case_window_minutes: int = _f(
        60, "Window, in minutes, over which one case number's failed queries are counted."
    )

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir)

    @property
    def case_notice_path(self) -> Path:
        """Where the PDFs of the notices issued on cases are kept (one folder per case)."""
        return self.data_path / "case-notices"

    @property
    def visitor_url(self) -> str:
        return (self.public_url or self.server_url).rstrip("/")

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_path / 'station.db'}"


def setting_fields() -> list[dataclasses.Field[Any]]:
    return list(dataclasses.fields(Settings))


def _coerce(raw: Any, target: Any, name: str) -> Any:
    kind = target if isinstance(target, type) else type(target)
    try:
        if kind is bool:
            if isinstance(raw, bool):
                return raw
            return str(raw).strip().lower() in {"1", "true", "yes", "on"}
        if kind is int:
            return int(raw)
        if kind is float:
            return float(raw)
        return str(raw)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"setting {name}: cannot read {raw!r} as {kind.__name__}") from exc


def load_settings(
    config_path: str | os.PathLike[str] | None = None,
    env: dict[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Defaults, then the TOML file, then ``YIZHAN_*`` environment, then explicit overrides."""
    env = dict(os.environ) if env is None else env
    values: dict[str, Any] = {}
    path = config_path or env.get(CONFIG_ENV)
    if path and Path(path).exists():
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
        flat = {k: v for k, v in data.items() if not isinstance(v, dict)}
        for section in data.values():
            if isinstance(section, dict):
                flat.update(section)
        values.update(flat)
    known = {f.name: f for f in setting_fields()}
    unknown = set(values) - set(known)
    if unknown:
        raise ValueError(f"unknown settings in {path}: {', '.join(sorted(unknown))}")
    for name in known:
        key = ENV_PREFIX + name.upper()
        if key in env:
            values[name] = env[key]
    values.update(overrides)
    typed = {n: _coerce(v, type(known[n].default), n) for n, v in values.items()}
    settings = Settings(**typed)
    if settings.no_show_rejoin not in {"end", "after", "forbid"}:
        raise ValueError("setting no_show_rejoin must be end, after or forbid")
    return settings


def settings_markdown() -> str:
    """Render the settings reference (docs/settings.md)."""
    lines = [
        "# Settings",
        "",
        "Read from the TOML file named by `YIZHAN_CONFIG` (flat keys, or grouped in any",
        "tables), then overridden by environment variables `YIZHAN_<NAME>`.",
        "This file is generated by `yizhan settings-doc`; a test keeps it in step.",
        "",
        "| name | environment | default | help |",
        "|---|---|---|---|",
    ]
    for f in setting_fields():
        lines.append(
            f"| `{f.name}` | `{ENV_PREFIX}{f.name.upper()}` | `{f.default!r}` | {f.metadata['help']} |"
        )
    return "\n".join(lines) + "\n"
