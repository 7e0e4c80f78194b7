"""What a county admin reads on the charts and the health row (R-M2): a visible title, axis
text that is not tiny, whole ticks for whole counts, printers told apart, no "-0 秒"."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sync.county.dashboard.charts import Series, bar_chart, line_chart
from sync.county.dashboard.common import PREFIX
from sync.county.dashboard.health import DeviceCell
from sync.county.models import Station
from tests.county.dashboard_support import login
from tests.support.county import County


def ticks(svg: str) -> list[str]:
    return re.findall(r'class="tick">([^<]*)</text>', svg)


def test_counts_get_whole_ticks_and_a_visible_title_r_m2() -> None:
    days = ["11-21", "11-22", "11-23"]
    for chart in (
        bar_chart("每日取号", days, [Series("东坡村", [3, 1, 2])]),
        line_chart("每日取号", days, [Series("东坡村", [3, 1, 2])]),
    ):
        assert '<text x="52" y="22" class="chart-title">每日取号</text>' in chart
        values = [t for t in ticks(chart) if t not in days]
        assert values == ["4", "3", "2", "1", "0"], values


def test_fractional_values_keep_their_decimals() -> None:
    chart = line_chart("等候时间（分钟）", ["a", "b"], [Series("等候", [3.8, 1.2])])
    assert [t for t in ticks(chart) if t not in ("a", "b")] == ["5", "3.8", "2.5", "1.2", "0"]


def test_the_two_printers_are_told_apart() -> None:
    at = datetime(2026, 11, 23, tzinfo=UTC)
    receipt = DeviceCell("printer.receipt", "ready", "打印机就绪", "", at)
    notice = DeviceCell("printer.notice", "ready", "打印机就绪", "", at)
    assert (receipt.chip, notice.chip) == ("小票 · 打印机就绪", "A4 · 打印机就绪")


def test_a_clock_offset_below_half_a_second_reads_0_not_minus_0(dash: County) -> None:
    dash.enrol("ST01", "东坡村便民服务站")
    with dash.services.db.tx() as s:
        station = s.get(Station, "ST01")
        assert station is not None
        station.clock_offset_s = -0.4
        s.add(station)
    login(dash.client)
    row = dash.client.get(f"{PREFIX}/health").text.split('data-station="ST01"')[1]
    row = row.split("</tr>")[0]
    assert "0 秒" in row and "-0 秒" not in row
