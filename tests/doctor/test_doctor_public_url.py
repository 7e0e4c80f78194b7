"""`doctor` fails when the QR codes would carry a loopback address on a real station (R-N4):
`public_url` empty falls back to the server's own 127.0.0.1 address."""

from __future__ import annotations

from pathlib import Path

import pytest

from appliance.settings import load_settings
from yizhan.doctor import exit_code, run_doctor
from yizhan.doctor_checks import check_public_url
from yizhan.provision_file import loopback_host

CHECKS = (("访客地址", check_public_url),)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080",
        "http://127.8.9.10",
        "http://localhost:8080/",
        "http://[::1]:8080",
        "http://0.0.0.0:8080",
        "http://kiosk.localhost",
        "",
    ],
)
def test_loopback_addresses_are_recognised(url: str) -> None:
    assert loopback_host(url) is not None


@pytest.mark.parametrize(
    "url", ["http://192.168.1.20:8080", "https://zhan.example.cn", "http://[fe80::1]:80"]
)
def test_reachable_addresses_pass(url: str) -> None:
    assert loopback_host(url) is None


def test_doctor_fails_a_real_station_whose_qr_codes_point_at_itself_r_n4(tmp_path: Path) -> None:
    settings = load_settings(env={}, data_dir=str(tmp_path))  # public_url empty → server_url
    [line] = run_doctor(settings, checks=CHECKS)
    assert line.status == "fail" and "127.0.0.1" in line.found
    assert "public_url" in line.fix
    assert exit_code([line]) == 1


def test_a_public_address_passes_and_the_demo_only_warns_r_n4(tmp_path: Path) -> None:
    good = load_settings(env={}, data_dir=str(tmp_path), public_url="http://192.168.1.20:8080")
    [line] = run_doctor(good, checks=CHECKS)
    assert line.status == "ok" and "192.168.1.20" in line.found
    demo = load_settings(env={}, data_dir=str(tmp_path), demo=True)
    [line] = run_doctor(demo, checks=CHECKS)
    assert line.status == "warn" and "演示模式" in line.found
    loop = load_settings(env={}, data_dir=str(tmp_path), public_url="http://localhost:8080")
    [line] = run_doctor(loop, checks=CHECKS)
    assert line.status == "fail"
