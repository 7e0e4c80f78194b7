"""``CountyServices``: what every county handler and command needs, built from settings."""

from __future__ import annotations

from dataclasses import dataclass

from appliance.core.clock import Clock, SystemClock
from sync.county.db import CountyDatabase
from sync.county.keys import CountyKeys, load_or_create_keys
from sync.county.settings import CountySettings


@dataclass
class CountyServices:
    settings: CountySettings
    db: CountyDatabase
    keys: CountyKeys
    clock: Clock

    def close(self) -> None:
        self.db.dispose()


def build_county_services(settings: CountySettings, clock: Clock | None = None) -> CountyServices:
    return CountyServices(
        settings=settings,
        db=CountyDatabase(settings.database_url),
        keys=load_or_create_keys(settings),
        clock=clock or SystemClock(),
    )
