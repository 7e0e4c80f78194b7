"""The county publishes its own 实施清单 export as it is (R-S1, R-S2; issue 16, item 19): the
dashboard's catalogue upload takes the provincial XLSX layout, and the rows it publishes are
read by the stations exactly as the same workbook imported at a station."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from appliance.catalogue.rules import parse_items
from appliance.catalogue.service.importer import _json_document, read_catalogue_file
from appliance.core.errors import Invalid
from sync.county.dashboard.publish import publish_catalogue
from tests.catalogue.test_catalogue_provincial import AGED, provincial_xlsx
from tests.support.county import County


def test_a_provincial_export_is_published_as_the_stations_read_it_r_s1(
    county: County, tmp_path: Path
) -> None:
    path = provincial_xlsx(tmp_path / "实施清单.xlsx")
    result = publish_catalogue(county.services, path.read_bytes())
    assert result.rows == 2
    rows = county.rows("SELECT id, data FROM reference_row WHERE table_name = 'catalogue'")
    docs = [{**(d if isinstance(d, dict) else json.loads(d)), "code": i} for i, d in rows]
    raws, _ = _json_document(docs, "")  # what a station does with the rows it pulls
    at_station = sorted(parse_items(raws, drop_unknown_related=True), key=lambda i: i.code)
    imported, _ = read_catalogue_file(path)
    assert at_station == sorted(imported, key=lambda i: i.code)
    assert AGED[3] in {i.code for i in at_station}


def test_a_broken_workbook_is_refused_whole_in_chinese(county: County, tmp_path: Path) -> None:
    before = county.rows("SELECT count(*) FROM reference_row")
    with pytest.raises(Invalid, match="不是有效的 XLSX 文件"):
        publish_catalogue(county.services, b"PK\x03\x04 not really a workbook")
    bad = provincial_xlsx(
        tmp_path / "bad.xlsx", materials=[["1", "NO-SUCH", "身份证", "原件", 1, "是"]]
    )
    with pytest.raises(Invalid, match="事项目录表格有误"):
        publish_catalogue(county.services, bad.read_bytes())
    assert county.rows("SELECT count(*) FROM reference_row") == before
