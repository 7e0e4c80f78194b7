"""Enrolment (登记): the station key is made, the county keys pinned; a wrong code stores
nothing (R-N3)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from appliance.db.database import Database
from appliance.db.migrate import upgrade
from appliance.settings import load_settings
from sync import crypto
from sync.station.enrol import EnrolError, enrol
from sync.station.keys import key_path, load_station_key
from sync.station.state import load_state
from tests.sync.test_sync_station_fake import CODE, COUNTY_URL, FakeCounty, make_rig


def test_enrol_pins_the_county_keys_and_keeps_the_station_key_private(tmp_path: Path) -> None:
    county = FakeCounty()
    r = make_rig(tmp_path, county)
    st = load_state(r.db)
    assert st is not None
    assert st.county_public_key == county.public
    assert st.county_box_key == crypto.box_public_b64(county.box)
    assert st.station_id == "ST01" and st.county_url == COUNTY_URL
    key = load_station_key(r.settings)
    assert county.stations["ST01"] == crypto.public_key_b64(key)
    assert st.key_id == crypto.key_id(crypto.public_key_b64(key))
    assert stat.S_IMODE(key_path(r.settings).stat().st_mode) == 0o600
    with pytest.raises(EnrolError, match="已于"):  # enrolling twice needs force
        enrol(r.settings, CODE, db=r.db, transport=county.transport())
    r.db.dispose()


def test_a_wrong_code_is_refused_clearly_and_nothing_is_stored(tmp_path: Path) -> None:
    settings = load_settings(env={}, data_dir=str(tmp_path), county_url=COUNTY_URL)
    upgrade(settings.sqlalchemy_url)
    db = Database(settings.sqlalchemy_url)
    county = FakeCounty()
    with pytest.raises(EnrolError) as info:
        enrol(settings, "WRONG", db=db, transport=county.transport())
    assert "登记失败" in info.value.message and "登记码" in info.value.message
    assert load_state(db) is None
    assert not key_path(settings).exists()
    db.dispose()


def test_enrol_without_a_county_url_says_so(tmp_path: Path) -> None:
    settings = load_settings(env={}, data_dir=str(tmp_path))
    with pytest.raises(EnrolError, match="county_url"):
        enrol(settings, CODE)
