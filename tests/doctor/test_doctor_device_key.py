"""``yizhan doctor`` on the device key (issue 12, defect 2, R-I3): ✘ on the demo key, a weak
key, a missing key file or one other users can read; ⚠ in demo mode; ✔ on the station's own
random key."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from appliance.settings import load_settings
from appliance.staff.rules import DEMO_DEVICE_KEY
from appliance.staff.service.device_key import ensure_device_key
from tests.support.station import T0
from yizhan.doctor import run_doctor
from yizhan.doctor_keys import check_device_key

CHECKS = [("设备密钥", check_device_key)]


def doctor(tmp_path: Path, **settings: object) -> tuple[str, str, str]:
    s = load_settings(env={}, data_dir=str(tmp_path), **settings)
    [line] = run_doctor(s, now=T0 + timedelta(minutes=5), checks=CHECKS)
    return line.status, line.found, line.fix


@pytest.mark.parametrize(
    ("key", "why"),
    [
        (DEMO_DEVICE_KEY, "公开的演示密钥"),
        ("k", "过短"),
        ("a" * 40, "过于简单"),
    ],
)
def test_the_demo_key_or_a_weak_key_fails_r_i3(tmp_path: Path, key: str, why: str) -> None:
    status, found, fix = doctor(tmp_path, device_key=key)
    assert status == "fail" and why in found and "yizhan db upgrade" in fix


def test_the_station_key_file_passes_and_a_missing_one_fails_r_i3(tmp_path: Path) -> None:
    status, found, fix = doctor(tmp_path)
    assert status == "fail" and "找不到" in found and "yizhan db upgrade" in fix
    settings = load_settings(env={}, data_dir=str(tmp_path))
    path = ensure_device_key(settings)
    status, found, _ = doctor(tmp_path)
    assert status == "ok" and str(path) in found and "仅服务用户可读" in found


def test_a_key_file_others_can_read_fails_r_i3(tmp_path: Path) -> None:
    path = ensure_device_key(load_settings(env={}, data_dir=str(tmp_path)))
    path.chmod(0o644)
    status, found, fix = doctor(tmp_path)
    assert status == "fail" and "644" in found and "chmod 600" in fix


def test_demo_mode_is_a_warning_r_i3(tmp_path: Path) -> None:
    status, found, _ = doctor(tmp_path, demo=True)
    assert status == "warn" and "演示" in found
    ensure_device_key(load_settings(env={}, data_dir=str(tmp_path)))
    status, found, fix = doctor(tmp_path, demo=True)
    assert status == "warn" and "演示模式" in found and "demo" in fix


def test_a_strong_explicit_key_passes(tmp_path: Path) -> None:
    status, found, _ = doctor(tmp_path, device_key="Zq8-" + "x7Lp2mN9rT4vW6yB" * 2)
    assert status == "ok" and "36 位" in found
