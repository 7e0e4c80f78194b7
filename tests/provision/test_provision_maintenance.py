"""The maintenance console (维护控制台, Ctrl+Alt+F2): root's password comes from
``maintenance_password`` in station.toml, set through ``chpasswd`` on the image only, and is
wiped from the card like the enrolment code (R-N4, R-I3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.provision.test_provision_file import GOOD, problems
from yizhan.provision import Provisioner, ProvisionRefused
from yizhan.provision_file import parse_provision_text, wipe_secrets

PASSWORD = "Lijia-2026-weihu"


def provisioner(tmp_path: Path, chpasswd: str) -> Provisioner:
    return Provisioner(
        boot_dir=tmp_path / "boot",
        config_path=tmp_path / "station.toml",
        data_dir=tmp_path / "data",
        chpasswd=chpasswd,
    )


def fake_chpasswd(tmp_path: Path, status: int = 0) -> tuple[str, Path]:
    """A ``chpasswd`` that keeps what it was given (the real one would change this machine)."""
    got = tmp_path / "chpasswd.in"
    script = tmp_path / "chpasswd"
    script.write_text(f"#!/bin/sh\ncat > {got}\nexit {status}\n", encoding="utf-8")
    script.chmod(0o755)
    return str(script), got


def test_the_password_is_set_for_root_and_wiped_from_the_card(tmp_path: Path) -> None:
    boot = tmp_path / "boot"
    boot.mkdir()
    card = boot / "station.toml"
    card.write_text(GOOD + f'maintenance_password = "{PASSWORD}"\n', encoding="utf-8")
    conf = parse_provision_text(card.read_text(encoding="utf-8"))
    command, got = fake_chpasswd(tmp_path)
    p = provisioner(tmp_path, command)
    p.set_maintenance_password(conf)
    assert got.read_text(encoding="utf-8") == f"root:{PASSWORD}\n"
    assert p.report.lines == ["✔ 维护密码已设置：按 Ctrl+Alt+F2，以 root 登录"]
    wipe_secrets(card)
    text = card.read_text(encoding="utf-8")
    assert PASSWORD not in text and 'maintenance_password = ""' in text


def test_without_a_password_the_screen_says_there_is_no_maintenance_login(
    tmp_path: Path,
) -> None:
    command, got = fake_chpasswd(tmp_path)
    p = provisioner(tmp_path, command)
    p.set_maintenance_password(parse_provision_text(GOOD))
    assert not got.exists()
    assert p.report.lines == ["⚠ 未设置维护密码（maintenance_password）：维护控制台无法登录"]


def test_outside_the_image_nothing_is_touched(tmp_path: Path) -> None:
    p = provisioner(tmp_path, "")
    p.set_maintenance_password(
        parse_provision_text(GOOD + f'maintenance_password = "{PASSWORD}"\n')
    )
    assert p.report.lines == []


def test_a_failed_chpasswd_stops_before_the_password_is_wiped(tmp_path: Path) -> None:
    command, _ = fake_chpasswd(tmp_path, status=1)
    p = provisioner(tmp_path, command)
    conf = parse_provision_text(GOOD + f'maintenance_password = "{PASSWORD}"\n')
    with pytest.raises(ProvisionRefused, match="维护密码没有设置成功"):
        p.set_maintenance_password(conf)


@pytest.mark.parametrize("bad", ["short", "x" * 65, "tab\there-long-enough"])
def test_a_weak_or_odd_password_is_one_clear_line(bad: str) -> None:
    [line] = problems(GOOD + f'maintenance_password = "{bad}"\n')
    assert line.startswith("maintenance_password（维护密码）：应为 10–64 个字符")
