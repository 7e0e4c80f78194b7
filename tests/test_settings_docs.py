"""Every setting is documented, and docs/settings.md is in step with the code."""

from __future__ import annotations

from pathlib import Path

import pytest

from appliance.settings import load_settings, setting_fields
from appliance.settings_doc import settings_markdown

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_has_help() -> None:
    for f in setting_fields():
        assert f.metadata.get("help"), f.name


def test_docs_settings_md_is_current() -> None:
    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert doc == settings_markdown(), "run `make docs` to regenerate docs/settings.md"


def test_env_overrides_toml_which_overrides_defaults(tmp_path: Path) -> None:
    cfg = tmp_path / "station.toml"
    cfg.write_text(
        'station_name = "东岗村便民服务站"\n[queue]\nmax_priority_streak = 3\n', encoding="utf-8"
    )
    s = load_settings(cfg, env={"YIZHAN_MAX_PRIORITY_STREAK": "4"})
    assert s.station_name == "东岗村便民服务站"
    assert s.max_priority_streak == 4
    assert load_settings(cfg, env={}).max_priority_streak == 3
    assert load_settings(env={}).max_absence_minutes == 15


def test_bad_settings_are_refused_clearly(tmp_path: Path) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text("no_such_setting = 1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no_such_setting"):
        load_settings(cfg, env={})
    with pytest.raises(ValueError, match="http_port"):
        load_settings(env={"YIZHAN_HTTP_PORT": "eighty"})
    with pytest.raises(ValueError, match="no_show_rejoin"):
        load_settings(env={"YIZHAN_NO_SHOW_REJOIN": "sometimes"})


def test_docs_county_settings_md_is_current() -> None:
    from sync.county.settings import county_settings_markdown

    doc = (ROOT / "docs" / "county-settings.md").read_text(encoding="utf-8")
    assert doc == county_settings_markdown(), (
        "run `make docs` to regenerate docs/county-settings.md"
    )
