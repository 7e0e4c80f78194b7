"""Fixtures of the county dashboard tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.county.dashboard_support import dashboard_county
from tests.support.county import County
from tests.support.pg_server import PgServer


@pytest.fixture
def dash(pg_server: PgServer, county_db: str, tmp_path: Path) -> Iterator[County]:
    with dashboard_county(pg_server, county_db, tmp_path / "county") as county:
        yield county
