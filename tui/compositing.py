"""Keep Chinese (double-width) characters whole where one widget is drawn over others.

Why toasts lost characters (issue 16, item 7): Textual's compositor cuts every screen line at
the left and right edge of *every* widget on that line, including widgets hidden under an
overlay such as a toast (通知). It then divides the top widget's line at each of those cuts
(``Strip.divide``), and a double-width character that straddles a cut is split into two
blank half-cells. The footer's key cells sit at odd columns, so a toast drawn over the
footer came out as "已取号 B001（  保医保）".

``install()`` replaces ``Compositor._render_chops`` with a version that divides a widget's
line only where the widget that is on top changes: cuts that fall inside a run of columns
owned by the same widget are not split (those chops are left empty, and the run's first
chop holds the whole run). The output is the same cells, with wide characters kept whole.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from textual._compositor import Compositor
from textual.geometry import Region
from textual.strip import Strip

_EMPTY = Strip([], 0)


def _runs(free: list[bool]) -> list[tuple[int, int, bool]]:
    """Consecutive runs of equal flags, as (start, end, flag) with end exclusive."""
    runs: list[tuple[int, int, bool]] = []
    start = 0
    for i in range(1, len(free) + 1):
        if i == len(free) or free[i] != free[start]:
            runs.append((start, i, free[start]))
            start = i
    return runs


def render_chops(
    self: Compositor, crop: Region, is_rendered_line: Callable[[int], bool]
) -> Sequence[Mapping[int, Strip]]:
    """``Compositor._render_chops``, dividing each strip only between owners (see above)."""
    cuts = self.cuts
    chops: list[dict[int, Strip | None]] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
    for region, clip, strips in self._get_renders(crop):
        render_region = region.intersection(clip)
        render_x = render_region.x
        first_cut, last_cut = render_region.column_span
        for y, strip in zip(render_region.line_range, strips, strict=False):
            if not is_rendered_line(y):
                continue
            line = chops[y]
            final_cuts = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
            if len(final_cuts) < 2:
                continue
            # Front to back: a cut still empty is this widget's (it is on top there).
            free = [line.get(cut) is None for cut in final_cuts[:-1]]
            runs = _runs(free)
            ends = [final_cuts[end] - render_x for _, end, _ in runs]
            for (start, end, mine), piece in zip(runs, strip.divide(ends), strict=False):
                if not mine:
                    continue
                line[final_cuts[start]] = piece
                for k in range(start + 1, end):
                    line[final_cuts[k]] = _EMPTY
    return cast("Sequence[Mapping[int, Strip]]", chops)


def install() -> None:
    """Use ``render_chops`` in every compositor (idempotent)."""
    target = cast("Any", Compositor)
    target._render_chops = render_chops
