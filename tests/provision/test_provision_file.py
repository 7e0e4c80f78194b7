"""The provisioning file: one clear Chinese line per invalid field, on the screen and in
配置错误.txt on the boot partition; nothing is set up from a bad file (R-N4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from yizhan.provision import Provisioner, provision_main
from yizhan.provision_file import (
    ProvisionInvalid,
    parse_provision_text,
    wipe_secrets,
)

GOOD = """station_code = "LX0101"
station_name = "李家村便民服务站"
county_url = "https://county.example.cn/"
enrolment_code = "ABCD-1234"
public_url = "http://192.168.1.20:8080"
printer_model = "xprinter-58"
receipt_printer_uri = "socket://192.168.1.30:9100"
"""


def problems(text: str) -> list[str]:
    with pytest.raises(ProvisionInvalid) as info:
        parse_provision_text(text)
    return info.value.lines


def test_a_good_file_is_read_with_defaults_r_n4() -> None:
    conf = parse_provision_text(GOOD)
    assert conf.station_code == "LX0101" and conf.county_url == "https://county.example.cn"
    assert conf.timezone == "Asia/Shanghai" and conf.paper_width_mm == 58
    assert conf.display is False and conf.wifi_ssid == "" and conf.apn == ""


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (('station_code = "LX0101"', 'station_code = "李家村"'), "station_code（站点编码）"),
        (('station_name = "李家村便民服务站"', 'station_name = ""'), "station_name（站点名称）"),
        (("https://county.example.cn/", "county.example.cn"), "county_url（县级中心地址）"),
        (('enrolment_code = "ABCD-1234"', 'enrolment_code = ""'), "enrolment_code（登记码）"),
        (("http://192.168.1.20:8080", "http://127.0.0.1:8080"), "public_url（访客地址）"),
        (('printer_model = "xprinter-58"', 'printer_model = "hp"'), "printer_model"),
        (("socket://192.168.1.30", "192.168.1.30"), "receipt_printer_uri（小票打印机）"),
        (('printer_model = "xprinter-58"', 'timezone = "Mars/Base"'), "timezone（时区）"),
        (('printer_model = "xprinter-58"', "display = 1"), "display（叫号大屏）"),
        (('printer_model = "xprinter-58"', 'stationcode = "x"'), "stationcode：不认识"),
        (('station_code = "LX0101"', "station_code = 12"), "station_code（站点编码）"),
    ],
)
def test_each_invalid_field_gives_one_line_naming_it_r_n4(
    change: tuple[str, str], field: str
) -> None:
    text = GOOD.replace(*change)
    assert text != GOOD
    lines = problems(text)
    assert any(line.startswith(field) for line in lines), lines
    assert all("\n" not in line for line in lines)
    assert len([line for line in lines if line.startswith(field.split("（")[0])]) == 1


def test_every_problem_is_listed_at_once_r_n4() -> None:
    lines = problems('station_code = "x"\npublic_url = "http://localhost"\n')
    fields = {line.split("（")[0].split("：")[0] for line in lines}
    assert {"station_code", "station_name", "county_url", "enrolment_code", "public_url"} <= fields


def test_syntax_errors_and_wifi_rules_r_n4() -> None:
    [line] = problems('station_code = "LX0101\n')
    assert line.startswith("station.toml 格式错误")
    lines = problems(GOOD + '[network]\nwifi_ssid = "cun"\nwifi_password = "short"\n')
    assert lines == ["network.wifi_password（无线网络密码）：应为 8–63 个字符"]
    lines = problems(GOOD + '[network]\nwifi_password = "longenough"\n')
    assert lines[0].startswith("network.wifi_ssid")


def test_wiping_keeps_every_other_line(tmp_path: Path) -> None:
    path = tmp_path / "station.toml"
    text = GOOD + '# 备注\n[network]\nwifi_ssid = "cun"\nwifi_password = "pa ss-word"  # 密码\n'
    path.write_text(text, encoding="utf-8")
    wipe_secrets(path)
    after = path.read_text(encoding="utf-8")
    assert "ABCD-1234" not in after and "pa ss-word" not in after
    assert 'enrolment_code = ""' in after and 'wifi_password = ""  # 密码' in after
    assert after.replace('""', "X").count("\n") == text.count("\n")
    conf = parse_provision_text(after, need_code=False)
    assert conf.enrolment_code == "" and conf.wifi_ssid == "cun"


def test_an_invalid_file_is_shown_written_to_the_card_and_nothing_is_set_up_r_n4(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    boot = tmp_path / "boot"
    boot.mkdir()
    (boot / "station.toml").write_text(GOOD.replace("LX0101", "李家"), encoding="utf-8")
    provisioner = Provisioner(boot, tmp_path / "etc" / "station.toml", tmp_path / "data")
    assert provision_main(provisioner) == 2
    out = capsys.readouterr().out
    assert "✘ station_code（站点编码）：“李家”不对" in out
    errors = (boot / "配置错误.txt").read_text(encoding="utf-8")
    assert "- station_code（站点编码）：“李家”不对" in errors
    assert not (tmp_path / "etc").exists() and not (tmp_path / "data").exists()
    assert "ABCD-1234" in (boot / "station.toml").read_text(encoding="utf-8")


def test_wait_checks_the_file_again_until_it_is_right_r_n4(tmp_path: Path) -> None:
    boot = tmp_path / "boot"
    boot.mkdir()
    (boot / "station.toml").write_text("station_code = \n", encoding="utf-8")
    provisioner = Provisioner(boot, tmp_path / "etc" / "station.toml", tmp_path / "data")
    waits: list[float] = []
    fixed = GOOD.replace("https://county.example.cn/", "http://127.0.0.1:9").replace(
        'receipt_printer_uri = "socket://192.168.1.30:9100"', ""
    )

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 2:  # the technician fixes the file
            (boot / "station.toml").write_text(fixed, encoding="utf-8")

    assert provision_main(provisioner, wait=True, sleep=sleep) == 0
    assert waits == [30.0, 30.0]
    assert not (boot / "配置错误.txt").exists()  # the old errors are gone with the problems
    # the county (port 9) is unreachable: the enrolment is queued, the code kept off the card
    assert provisioner.report.queued and not provisioner.report.enrolled
    assert "ABCD-1234" not in (boot / "station.toml").read_text(encoding="utf-8")


def test_an_apn_is_written_but_not_claimed_to_work_r_n4(tmp_path: Path) -> None:
    """The image masks ModemManager (it grabs the SMS modem's port), so a 4G APN connection
    cannot come up by itself: provisioning says so, and does not print a ✔ for it."""
    conf = parse_provision_text(GOOD + '\n[network]\napn = "cmnet"\n')
    nm = tmp_path / "nm"
    p = Provisioner(
        boot_dir=tmp_path / "boot",
        config_path=tmp_path / "station.toml",
        data_dir=tmp_path / "data",
        nm_dir=nm,
        display_flag=tmp_path / "display.enabled",
    )
    p.write_network(conf)
    assert "apn=cmnet" in (nm / "yizhan-mobile.nmconnection").read_text()
    [line] = p.report.lines
    assert line.startswith("⚠ 移动数据接入点 cmnet") and "ModemManager" in line
