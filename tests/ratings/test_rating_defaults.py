"""Services left unrated (R-E2, R-E4): closed for rating after ``rating_open_days``; with
``rating_default_level`` set the station records that level, marked as defaulted, and the
rates count active, defaulted and missing ratings apart."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from appliance.ratings.service.sweep import RatingSweep
from appliance.settings import load_settings
from tests.ratings.support import finish_case, followups, ratings, serve
from tests.support.fingerprint import fingerprint
from tests.support.station import Station, make_station

DAY = date(2026, 11, 23)


def sweep(st: Station) -> list[str]:
    return RatingSweep(st.services.ratings, st.services.followups).run().lines


def test_without_a_default_level_an_unrated_service_counts_as_missing_r_e4(
    station: Station,
) -> None:
    serve(station)
    station.clock.advance(days=7, seconds=1)
    before = fingerprint(station.services.db)
    assert sweep(station) == []
    assert fingerprint(station.services.db) == before
    r = station.services.ratings.rates(DAY, DAY)
    assert (r.services, r.rated, r.missing, r.pending, r.active_rate) == (1, 0, 1, 0, 0.0)


def test_a_default_level_is_recorded_marked_and_counted_apart_r_e4(tmp_path: Path) -> None:
    st = make_station(tmp_path, rating_default_level="4")
    try:
        serve(st)  # A001: left unrated
        st.clock.advance(seconds=30)
        serve(st)  # A002: the visitor presses 5 on the keypad
        st.services.ratings.keypad("1", 5)
        number = finish_case(st, phone="无")  # a case nobody rates
        st.clock.advance(days=6)
        assert sweep(st) == []  # still open for rating
        st.clock.advance(days=1, minutes=1)
        assert sorted(sweep(st)) == [
            "逾期未评价，记为默认评价 A001：4",
            f"逾期未评价，记为默认评价 {number}：4",
        ]
        assert sweep(st) == []  # once
        defaulted = {x.subject_ref: x for x in ratings(st) if x.source == "default"}
        assert set(defaulted) == {"A001", number} and followups(st) == []
        r = st.services.ratings.rates(DAY, DAY)
        assert (r.services, r.rated, r.visitor, r.defaulted, r.missing) == (3, 3, 1, 2, 0)
        assert r.active_rate == 1 / 3 and r.good_rate == 1.0  # the defaults are not views
    finally:
        st.services.close()


def test_a_bad_default_level_setting_is_refused_at_start_r_e4() -> None:
    with pytest.raises(ValueError, match="rating_default_level"):
        load_settings(env={}, rating_default_level="9")
    with pytest.raises(ValueError, match="rating_open_days"):
        load_settings(env={}, rating_open_days=0)
