"""The figures as a table (统计报表, R-M3): Chinese headers and one row of plain cells per
line, for the CSV / XLSX export and the terminal. Pure: stdlib only."""

from __future__ import annotations

from appliance.figures.rules.figures import FigureLine

PERIOD_LABELS = {"day": "日", "week": "周", "month": "月", "all": "全期"}
DIMENSION_LABELS = {"all": "全站", "category": "业务类别", "staff": "工作人员", "item": "事项"}

HEADERS = (
    "统计期间",
    "统计维度",
    "名称",
    "取号数",
    "服务办结数",
    "过号数",
    "等候时间中位数（分钟）",
    "等候时间P90（分钟）",
    "办理时长中位数（分钟）",
    "办理时长P90（分钟）",
    "受理办件数",
    "办结件数",
    "按时办结",
    "超期办结",
    "按时办结率（%）",
    "新增超期办件",
    "评价数",
    "非常满意",
    "满意",
    "基本满意",
    "不满意",
    "非常不满意",
    "主动评价数",
    "意见箱评价数",
    "默认评价数",
    "满意率（%）",
    "主动评价率（%）",
    "差评回访数",
    "回访办结数",
    "回访完成率（%）",
    "实名差评回访数",
    "实名差评回访办结数",
    "投诉登记数",
    "投诉办结数",
    "办不成事登记数",
    "办不成事办结数",
    "延时服务（分钟）",
)

Cell = str | int | float | None


def row_cells(line: FigureLine, dimension: str, label: str) -> tuple[Cell, ...]:
    """The cells of ``HEADERS`` for one line; an empty rate or time is an empty cell."""
    return (
        line.period if line.period != "all" else "全期",
        DIMENSION_LABELS.get(dimension, dimension),
        label,
        line.tickets,
        line.served,
        line.no_shows,
        line.wait_median_min,
        line.wait_p90_min,
        line.service_median_min,
        line.service_p90_min,
        line.cases,
        line.decided,
        line.on_time,
        line.late,
        line.on_time_pct,
        line.overdue,
        line.ratings,
        *line.levels,
        line.visitor_ratings,
        line.comment_box,
        line.defaulted,
        line.satisfaction_pct,
        line.active_pct,
        line.followups,
        line.followups_closed,
        line.followup_pct,
        line.real_name_followups,
        line.real_name_closed,
        line.complaints,
        line.complaints_closed,
        line.desk,
        line.desk_closed,
        line.overtime_minutes,
    )


__all__ = ["DIMENSION_LABELS", "HEADERS", "PERIOD_LABELS", "row_cells"]
