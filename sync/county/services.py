"""``CountyServices``: what every county handler and command needs, built from settings."""

from __future__ import annotations

from dataclasses import dataclass

from appliance.core.clock import Clock, SystemClock
from sync.county.db import CountyDatabase
from sync.county.keys import CountyKeys, load_or_create_keys
from sync.county.refusals import RefusalGate
from sync.county.settings import CountySettings


@dataclass
class CountyServices:
    settings: CountySettings
    db: CountyDatabase
    keys: CountyKeys
    clock: Clock
    refusals: RefusalGate  # refused batches and enrolments per address, in memory

    def close(self) -> None:
        self.db.dispose()


def build_county_services(settings: CountySettings, clock: Clock | None = None) -> CountyServices:
    clock = clock or SystemClock()
    return CountyServices(
        settings=settings,
        db=CountyDatabase(settings.database_url),
        keys=load_or_create_keys(settings),
        clock=clock,
        refusals=RefusalGate.build(
            settings.refusal_max_per_address, settings.refusal_window_minutes, clock
        ),
    )
