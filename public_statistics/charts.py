"""Server-rendered charts: the numbers of an SVG chart (``trend_chart``), and the markup of its repeated parts
(``trend_marks``: a group a month, written here with every value escaped, as one variable of the template)."""

import math
from collections.abc import Callable
from datetime import date

from django.utils.safestring import SafeString

from portal.html import html, html_join
from public_statistics.selectors import Figures

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 720, 260, 56, 40, 16


def _nice_max(value: int) -> int:
    if value <= 0:
        return 1
    magnitude = 10 ** int(math.floor(math.log10(value)))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return int(step * magnitude) if step * magnitude >= 1 else 1
    return value


def trend_chart(trend: list[tuple[date, Figures]]) -> dict:
    """Two bars a month, received and resolved, on a shared scale, with four gridlines."""
    top = _nice_max(max([max(f.received, f.resolved) for _, f in trend] + [0]))
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP
    slot = plot_w / max(len(trend), 1)
    bar = max(min(slot / 2 - 2, 24), 1)
    months = []
    for i, (month, f) in enumerate(trend):
        x = LEFT + i * slot + (slot - 2 * bar) / 2
        h_received, h_resolved = plot_h * f.received / top, plot_h * f.resolved / top
        months.append(
            {
                "label": f"{month:%m/%Y}",
                "short": f"{month:%m}" if len(trend) > 12 else f"{month:%m/%y}",
                "received": f.received,
                "resolved": f.resolved,
                "x1": round(x, 1),
                "x2": round(x + bar, 1),
                "w": round(bar, 1),
                "y1": round(TOP + plot_h - h_received, 1),
                "h1": round(h_received, 1),
                "y2": round(TOP + plot_h - h_resolved, 1),
                "h2": round(h_resolved, 1),
                "tx": round(LEFT + i * slot + slot / 2, 1),
            }
        )
    grid = [{"y": round(TOP + plot_h - plot_h * k / 4, 1), "value": round(top * k / 4)} for k in range(5)]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - 8,
        "base": TOP + plot_h,
        "label_y": HEIGHT - BOTTOM + 16,
        "months": months,
        "grid": grid,
        "show_every": 1 if len(trend) <= 12 else 3,
    }


def trend_marks(chart: dict, count: Callable[[object], str]) -> SafeString:
    """The gridlines with their values, then each month's two bars with its title (``m["title"]``) and, every
    ``show_every`` months, its label: the repeated part of the overview's chart."""
    grid = html_join(
        "",
        '<line x1="{0}" x2="{1}" y1="{2}" y2="{2}" stroke="#ccc"/>'
        '<text x="{3}" y="{2}" text-anchor="end" dominant-baseline="middle" font-size="11" fill="#333">{4}</text>',
        (
            (chart["left"], chart["right"], g["y"], chart["left"] - 6, count(g["value"]))
            for g in chart["grid"]
        ),
    )
    every, label_y = chart["show_every"], chart["label_y"]
    months = html_join(
        "",
        '<g><title>{}</title><rect x="{}" y="{}" width="{}" height="{}" fill="#1f5fa8"/>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="#e08a00"/>{}</g>',
        (
            (
                m["title"],
                m["x1"],
                m["y1"],
                m["w"],
                m["h1"],
                m["x2"],
                m["y2"],
                m["w"],
                m["h2"],
                html(
                    '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#333">{}</text>',
                    m["tx"],
                    label_y,
                    m["short"],
                )
                if i % every == 0
                else "",
            )
            for i, m in enumerate(chart["months"])
        ),
    )
    return SafeString(grid + months)


# Five classes from pale to dark (colour-blind safe sequential blues), with the text colour readable on each.
PALETTE = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
NO_DATA = "#e6e6e6"


def classes(values: list[float], *, fixed: list[float] | None = None) -> list[float]:
    """Upper bounds of five classes: ``fixed`` when given (rates), else quintiles of the values."""
    if fixed:
        return fixed
    ordered = sorted(v for v in values if v is not None)
    if not ordered:
        return [0] * 5
    return [ordered[min(len(ordered) - 1, math.ceil(len(ordered) * k / 5) - 1)] for k in range(1, 6)]


def colour(value: float | None, bounds: list[float]) -> str:
    if value is None:
        return NO_DATA
    for bound, fill in zip(bounds, PALETTE, strict=True):
        if value <= bound:
            return fill
    return PALETTE[-1]
