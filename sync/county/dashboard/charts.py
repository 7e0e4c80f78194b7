"""Inline SVG charts (图表) rendered in Python: no JavaScript, no external assets.

Every piece of text goes through ``html.escape``; the result is safe to mark up as-is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

PALETTE = ("#b3261e", "#1b6fb3", "#1b7f3b", "#b35c00", "#6a3fb3", "#00838f", "#5f6368")
WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 52, 16, 44, 60


@dataclass(frozen=True)
class Series:
    """One named series of values, aligned with the chart's labels."""

    name: str
    values: Sequence[float]


def _nice_max(value: float, whole: bool = False) -> float:
    """The axis top: a round number at or above ``value``; for whole counts (``whole``) a
    multiple of 4, so that the four gridlines fall on whole numbers too."""
    if whole:  # four gridline steps of 1, 2, 5, 10, 20, 25, 50 …
        magnitude = 1
        while True:
            for mult in (1, 2, 2.5, 5):
                step = mult * magnitude
                if step == int(step) and 4 * step >= value:
                    return float(4 * step)
            magnitude *= 10
    if value <= 0:
        return 1.0
    step = 1.0
    while step * 10 < value:
        step *= 10
    for mult in (1, 2, 2.5, 5, 10):
        if step * mult >= value:
            return step * mult
    return step * 10


def _fmt(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def _frame(title: str, top: float) -> list[str]:
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<text x="{LEFT}" y="22" class="chart-title">{escape(title)}</text>',
    ]
    plot_h = HEIGHT - TOP - BOTTOM
    for i in range(5):
        y = TOP + plot_h * i / 4
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" class="grid"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">'
            f"{escape(_fmt(top * (4 - i) / 4))}</text>"
        )
    return parts


def _legend(series: Sequence[Series]) -> list[str]:
    parts = []
    x = LEFT
    for i, s in enumerate(series):
        color = PALETTE[i % len(PALETTE)]
        parts.append(
            f'<rect x="{x}" y="{HEIGHT - 16}" width="10" height="10" fill="{color}"/>'
            f'<text x="{x + 14}" y="{HEIGHT - 7}" class="legend">{escape(s.name)}</text>'
        )
        x += 28 + 15 * len(s.name)
    return parts


def _x_labels(labels: Sequence[str], centers: list[float]) -> list[str]:
    every = max(1, len(labels) // 12)
    return [
        f'<text x="{cx:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" class="tick">'
        f"{escape(label)}</text>"
        for i, (label, cx) in enumerate(zip(labels, centers, strict=True))
        if i % every == 0
    ]


def empty_chart(title: str, message: str = "暂无数据") -> str:
    """A placeholder with the same frame, for when there is nothing to draw."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} 80" aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f'<text x="{WIDTH / 2}" y="45" text-anchor="middle" class="empty">{escape(message)}</text>'
        "</svg>"
    )


def _top(series: Sequence[Series]) -> float:
    values = [v for s in series for v in s.values]
    return _nice_max(max(values, default=0.0), whole=all(v == int(v) for v in values))


def bar_chart(title: str, labels: Sequence[str], series: Sequence[Series]) -> str:
    """Grouped bars: one group per label, one bar per series."""
    if not labels or not series:
        return empty_chart(title)
    top = _top(series)
    parts = _frame(title, top)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group_w = plot_w / len(labels)
    bar_w = max(2.0, group_w * 0.8 / len(series))
    centers = []
    for gi, _label in enumerate(labels):
        x0 = LEFT + gi * group_w + group_w * 0.1
        centers.append(LEFT + gi * group_w + group_w / 2)
        for si, s in enumerate(series):
            value = s.values[gi]
            h = plot_h * value / top
            color = PALETTE[si % len(PALETTE)]
            parts.append(
                f'<rect x="{x0 + si * bar_w:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar_w:.1f}" '
                f'height="{h:.1f}" fill="{color}"><title>{escape(s.name)} {escape(labels[gi])}：'
                f"{escape(_fmt(value))}</title></rect>"
            )
    parts += _x_labels(labels, centers)
    parts += _legend(series)
    parts.append("</svg>")
    return "".join(parts)


def line_chart(title: str, labels: Sequence[str], series: Sequence[Series]) -> str:
    """One polyline per series over the labels (e.g. days), with a dot at each point."""
    if not labels or not series:
        return empty_chart(title)
    top = _top(series)
    parts = _frame(title, top)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(labels) - 1) if len(labels) > 1 else 0.0
    centers = [LEFT + (i * step if len(labels) > 1 else plot_w / 2) for i in range(len(labels))]
    for si, s in enumerate(series):
        color = PALETTE[si % len(PALETTE)]
        points = [
            (cx, TOP + plot_h - plot_h * v / top) for cx, v in zip(centers, s.values, strict=True)
        ]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
        for (x, y), v, label in zip(points, s.values, labels, strict=True):
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}"><title>'
                f"{escape(s.name)} {escape(label)}：{escape(_fmt(v))}</title></circle>"
            )
    parts += _x_labels(labels, centers)
    parts += _legend(series)
    parts.append("</svg>")
    return "".join(parts)
