"""The county computes the station's figures from the same events (R-M1): the scripted day's
events, read by the station's outbox and sent as a real signed batch, give exactly the golden figures at the county, and the
station and the county agree line for line by day, category, staff member and item."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from sqlmodel import Session

from appliance.figures.rules.figures import FigureLine
from sync.county.figures import station_figures
from sync.station.outbox import pending_events
from tests.figures.scripted_day import DAY, GOLDEN, run_day
from tests.support.county import County
from tests.support.station import Station

D = date.fromisoformat(DAY)


def golden_part(line: FigureLine) -> dict[str, object]:
    found = asdict(line)
    found["levels"] = list(line.levels)
    return {k: v for k, v in found.items() if k in GOLDEN}


def test_station_and_county_agree_on_the_scripted_day_r_m1(
    station: Station, county: County
) -> None:
    run_day(station)
    st = county.enrol("ST01", "东坡村便民服务站")
    sent = pending_events(station.services.db, 0, 10_000)  # exactly what the outbox sends
    assert len(sent) > 40 and county.send(st, sent).status_code == 200
    with Session(county.services.db.engine) as s:
        at_county = {
            by: station_figures(s, "ST01", D, D, "day", by)
            for by in ("all", "category", "staff", "item")
        }
        [other] = station_figures(s, "ST02", D, D)  # another station: nothing of ST01's
        assert (other.tickets, other.cases, other.ratings) == (0, 0, 0)
    assert golden_part(at_county["all"][0]) == GOLDEN
    for by, lines in at_county.items():
        at_station = station.services.figures.lines(D, D, "day", by)
        assert lines == at_station, by
