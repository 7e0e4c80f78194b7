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
    station_code: str = _f("YZ0001", "Station code issued by the county (站点编码).")
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
        "",
        "Key the hardware service presents (X-Device-Key). Empty: the per-station random key in "
        "DATA_DIR/keys/device.key (mode 0600), made by `yizhan db upgrade` or the first "
        "`yizhan serve`. Set it only to share a key; at least 32 varied characters.",
    )
    demo: bool = _f(False, "Demo mode (make run): the published demo device key is accepted too.")
    pin_min_length: int = _f(6, "Shortest new PIN; a shorter old PIN must change at next login.")
    login_free_failures: int = _f(
        3, "Wrong PINs per code before each further one blocks it longer (address: 3× as many)."
    )
    login_alert_failures: int = _f(5, "Wrong PINs per code that alert the head (address: 3×).")
    login_max_delay_minutes: int = _f(15, "Longest login block after wrong PINs, in minutes.")
    login_decay_minutes: int = _f(15, "One counted wrong PIN is forgotten per this many minutes.")
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
    case_extension_max_days: int = _f(
        10,
        "Longest 延期 of a case, in working days (行政许可法第四十二条: 经负责人批准可以延长十日); "
        "one extension per case, approved by the station head, unless the item allows more.",
    )
    consultation_check_seconds: float = _f(
        300.0,
        "How often the server looks for consultations (咨询台账) past their agreed reply date "
        "and raises alerts (R-C2; 0 = never).",
    )
    desk_check_seconds: float = _f(
        300.0,
        "How often the server looks for complex “办不成事” entries past their 5 working days "
        "and raises alerts (R-P1; 0 = never).",
    )
    fault_check_seconds: float = _f(
        30.0,
        "How often the server opens and closes automatic fault entries (故障台账) from the "
        "devices, the hardware service and the county sync (R-I1; 0 = never).",
    )
    appointment_slot_minutes: int = _f(30, "Minutes per appointment slot (预约时段, R-Q7).")
    appointment_capacity: int = _f(2, "Appointments each category takes per slot (R-Q7).")
    appointment_capacity_by_category: str = _f("", "Per-category capacity, e.g. 'A=3,B=1'.")
    appointment_days_ahead: int = _f(14, "How many days ahead an appointment may be booked.")
    appointment_checkin_early_minutes: int = _f(10, "Minutes before its slot check-in opens.")
    appointment_grace_minutes: int = _f(15, "Minutes after a slot ends before it is forfeited.")
    appointment_sweep_seconds: float = _f(
        300.0, "How often missed appointments are forfeited and reminders queued (0 = never)."
    )
    appointment_public_per_hour: int = _f(5, "Bookings per hour from one address on /book.")
    knowledge_public_top: int = _f(
        20, "How many of the most-asked knowledge entries the public page 常见问题 shows (R-C3)."
    )
    station_phone: str = _f("", "Station phone number printed on notices (咨询电话).")
    case_query_ip_max_failures: int = _f(
        10, "Failed progress queries (办件进度查询) one client address may make per window (R-K7)."
    )
    case_query_ip_window_minutes: int = _f(
        10, "Window, in minutes, over which one client address's failed queries are counted."
    )
    case_query_case_max_failures: int = _f(
        5,
        "Unused since the progress query is limited per address only (a stranger could "
        "lock the applicant out); kept so older settings files still load.",
    )
    case_query_case_window_minutes: int = _f(60, "Unused (see case_query_case_max_failures).")
    http_header_timeout_s: float = _f(
        10.0,
        "A request's headers must arrive within this many seconds, else the connection closes.",
    )
    http_body_timeout_s: float = _f(
        30.0, "A request's body must arrive within this many seconds of its headers (else 408)."
    )
    http_max_body_bytes: int = _f(256 * 1024, "Largest request body the station accepts (bytes).")
    http_max_json_depth: int = _f(
        32, "Deepest nesting of arrays and objects in a JSON body, checked before parsing."
    )
    http_max_connections_per_client: int = _f(
        32, "Open connections one client address may hold; more are refused (503)."
    )
    http_max_connections: int = _f(
        256, "Open connections and requests in progress in all; more are answered 503."
    )

    hw_heartbeat_seconds: float = _f(
        5.0, "How often `yizhan hw` tells the server it is alive (心跳), in seconds."
    )
    hw_silent_seconds: float = _f(
        20.0,
        "No heartbeat from `yizhan hw` for this long is a fault shown on the TUI, the hall "
        "display, `yizhan doctor` and the county.",
    )
    hw_startup_grace_seconds: float = _f(
        60.0, "After the server starts, seconds it waits for the first heartbeat of `yizhan hw`."
    )
    print_unclaimed_seconds: float = _f(
        30.0, "A print job the hardware service has not claimed for this long is a fault."
    )
    hw_check_seconds: float = _f(
        2.0, "How often the server checks the heartbeat and the unclaimed print jobs."
    )
    backup_keep: int = _f(7, "Backup generations kept in DATA_DIR/backups and on a USB stick.")
    backup_usb_glob: str = _f(
        "/media/yizhan-usb*",
        "Where a USB stick for backups is mounted (glob); a copy goes to <mount>/yizhan-backups.",
    )
    backup_warn_hours: float = _f(
        36.0, "The TUI warns when the last good backup (`yizhan backup`) is older than this."
    )
    clock_set_command: str = _f(
        "",
        "Command that sets the system clock, given UTC 'YYYY-MM-DD HH:MM:SS' as last argument; "
        "empty means clock_settime (needs CAP_SYS_TIME).",
    )
    clock_county_max_skew_s: float = _f(
        120.0,
        "The sync agent sets the station clock from the county's reply when the two differ by "
        "more than this many seconds (0 = never).",
    )
    # ---- ratings (好差评, R-E1–R-E4) ----
    rating_offer_seconds: float = _f(
        180.0,
        "After a service ends, how long the window's keypad and tablet page offer it for "
        "rating (seconds).",
    )
    rating_open_days: int = _f(
        7, "A finished service can be rated for this many days; then it is closed for rating."
    )
    rating_default_level: str = _f(
        "",
        "Level (1–5) recorded, marked as defaulted, for a service left unrated when rating "
        "closes; empty: none (the service counts as missing a rating).",
    )
    rating_qr: bool = _f(
        True, "Print the one-time rating QR code on queue receipts and case notices."
    )
    rating_sms_invite: bool = _f(
        True, "Send the 邀请评价 SMS (reply 1–5) when a case with a phone number finishes."
    )
    rating_sweep_seconds: float = _f(
        30.0,
        "How often the server reads SMS rating replies and checks follow-up deadlines (0 = off).",
    )
    followup_contact_days: int = _f(
        1, "Working days to contact the visitor (核实) after a bad rating."
    )
    followup_rectify_days: int = _f(
        15, "Working days to close the follow-up of a bad rating (整改/说明, 回访, 办结)."
    )
    region_code: str = _f("", "行政区划代码 (6 digits) written into archive packages (R-A3).")
    archive_sweep_seconds: float = _f(600.0, "Seconds between archive passes (R-A1; 0 = never).")
    county_update_pubkey: str = _f(
        "", "Base64 Ed25519 key that signs update bundles; empty: the county key from enrolment."
    )
    releases_dir: str = _f(
        "/opt/yizhan/releases", "`yizhan upgrade` installs <dir>/<version>/, links <dir>/current."
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
    if settings.rating_default_level.strip() not in {"", "1", "2", "3", "4", "5"}:
        raise ValueError("setting rating_default_level must be empty or 1–5")
    if settings.rating_open_days < 1:
        raise ValueError("setting rating_open_days must be at least 1")
    if settings.pin_min_length < 4:
        raise ValueError("setting pin_min_length must be at least 4")
    return settings
