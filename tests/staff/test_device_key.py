"""The hardware service's key (issue 12, defect 2, R-I3): one random key per station, kept
readable only by the service user; the published demo key only in demo mode; a server that
refuses to start on a default or weak key; keys compared in constant time."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from appliance.http import credentials
from appliance.http.app import create_app
from appliance.settings import Settings
from appliance.staff.rules import DEMO_DEVICE_KEY
from appliance.staff.service.device_key import device_key_path, ensure_device_key
from tests.support.station import Station, make_station
from yizhan import cli

CLAIM = "/api/device/print-jobs/claim"


def claim(client: TestClient, key: str | None) -> int:
    headers = {} if key is None else {"X-Device-Key": key}
    return client.post(CLAIM, json={"lease_seconds": 30}, headers=headers).status_code


@pytest.fixture
def keyed(tmp_path: Path) -> Iterator[Station]:
    """A station as set up in the field: no explicit key, its own key file."""
    st = make_station(tmp_path, device_key="")
    ensure_device_key(st.settings)
    yield st
    st.services.close()


def test_db_upgrade_makes_one_private_random_key_per_station_r_i3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = []
    for name in ("one", "two"):
        monkeypatch.setenv("YIZHAN_DATA_DIR", str(tmp_path / name))
        monkeypatch.delenv("YIZHAN_DEVICE_KEY", raising=False)
        assert cli.main(["db", "upgrade"]) == 0
        path = tmp_path / name / "keys" / "device.key"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        keys.append(path.read_text().strip())
        assert cli.main(["db", "upgrade"]) == 0  # again: the same key
        assert path.read_text().strip() == keys[-1]
    assert keys[0] != keys[1] and min(len(k) for k in keys) >= 32
    assert DEMO_DEVICE_KEY not in keys
    assert "设备密钥" in capsys.readouterr().out


def test_the_key_file_is_what_the_server_accepts_r_i3(keyed: Station) -> None:
    key = device_key_path(keyed.settings).read_text().strip()
    with TestClient(create_app(keyed.settings, services=keyed.services)) as client:
        assert claim(client, key) == 201
        for other in (DEMO_DEVICE_KEY, "", key[:-1], key + "x", None):
            assert claim(client, other) == 403


def test_the_demo_key_only_in_demo_mode_r_i3(tmp_path: Path) -> None:
    for demo, expected in ((False, 403), (True, 201)):
        st = make_station(tmp_path / str(demo), device_key="", demo=demo)
        try:
            with TestClient(create_app(st.settings, services=st.services)) as client:
                assert claim(client, DEMO_DEVICE_KEY) == expected
                if not demo:
                    r = client.post(CLAIM, json={"lease_seconds": 30})
                    assert "设备密钥" in r.json()["message"]
        finally:
            st.services.close()


def test_keys_are_compared_in_constant_time_r_i3(
    station: Station, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[bytes, bytes]] = []
    real = credentials.hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        seen.append((a, b))
        return real(a, b)

    monkeypatch.setattr(credentials.hmac, "compare_digest", spy)
    assert claim(client, "wrong") == 403
    assert claim(client, station.settings.device_key) == 201
    assert (b"wrong", station.settings.device_key.encode()) in seen


@pytest.mark.parametrize(
    ("key", "why"),
    [(DEMO_DEVICE_KEY, "公开的演示密钥"), ("short-key", "过短"), ("ab" * 20, "过于简单")],
)
def test_serve_refuses_to_start_with_a_default_or_weak_key_r_i3(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    key: str,
    why: str,
) -> None:
    started: list[Any] = []
    monkeypatch.setattr(cli, "trusted_start", lambda *a: started.append(a) or False)
    monkeypatch.setenv("YIZHAN_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("YIZHAN_DEVICE_KEY", key)
    monkeypatch.delenv("YIZHAN_DEMO", raising=False)
    assert cli.main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "拒绝启动" in err and why in err and "yizhan db upgrade" in err
    assert started == []  # nothing else ran

    monkeypatch.setenv("YIZHAN_DEMO", "1")  # the demo may use it
    assert cli.main(["serve"]) == 1 and len(started) == 1  # got as far as starting


def test_serve_makes_the_key_when_setup_did_not_r_i3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "trusted_start", lambda *a: False)
    monkeypatch.setenv("YIZHAN_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("YIZHAN_DEVICE_KEY", raising=False)
    monkeypatch.delenv("YIZHAN_DEMO", raising=False)
    cli.main(["serve"])
    assert stat.S_IMODE((tmp_path / "keys" / "device.key").stat().st_mode) == 0o600


def test_the_hardware_service_and_the_button_read_the_key_file_r_i3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hwservice.button_sim
    import hwservice.main

    seen: list[Settings] = []
    monkeypatch.setattr(hwservice.main, "run_hw", lambda s, keyboard=False: seen.append(s) or 0)
    monkeypatch.setattr(hwservice.button_sim, "run_button_simulator", lambda s: seen.append(s) or 0)
    monkeypatch.setenv("YIZHAN_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("YIZHAN_DEVICE_KEY", raising=False)
    cli.main(["hw"])  # no key file on this machine: the demo key, which only a demo accepts
    assert seen[-1].device_key == DEMO_DEVICE_KEY
    key = ensure_device_key(seen[-1]).read_text().strip()
    cli.main(["hw"])
    cli.main(["button"])
    assert [s.device_key for s in seen[-2:]] == [key, key]
