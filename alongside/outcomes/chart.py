"""A measure's trend as an SVG drawn on the server: no script, nothing loaded from elsewhere.

The chart carries the same numbers as the table printed beside it (each point's day and total
are on the point as ``data-day`` and ``data-total``), so a screen reader user, who is given the
table, misses nothing. Reference points are dashed lines labelled as information; goals are
marks along the bottom: a hollow one where a goal was set, a filled one where it was achieved.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from alongside.care.plan_selectors import GoalMilestone
    from alongside.outcomes.selectors import Series

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 64
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


def _span(series: Series, goals: list[GoalMilestone]) -> tuple[date, date]:
    days = [day for day, _total in series.points]
    days += [g.set_on for g in goals] + [g.achieved_on for g in goals if g.achieved_on]
    first, last = min(days), max(days)
    if first == last:
        first, last = first - timedelta(days=15), last + timedelta(days=15)
    return first, last


def trend_svg(series: Series, goals: list[GoalMilestone], *, chart_id: str) -> SafeString:
    """The chart of ``series`` with ``goals`` on the same timeline."""
    if not series.points:
        return SafeString("")
    low, high = series.instrument.minimum, series.instrument.maximum
    first, last = _span(series, goals)
    length = (last - first).days

    def x(day: date) -> float:
        return round(LEFT + PLOT_W * (day - first).days / length, 1)

    def y(value: float) -> float:
        return round(TOP + PLOT_H * (high - value) / (high - low), 1)

    parts: list[str] = []
    # Axes and the scale's ends and middle.
    parts.append(
        format_html(
            '<line class="axis" stroke="#555" x1="{}" y1="{}" x2="{}" y2="{}"/>'
            '<line class="axis" stroke="#555" x1="{}" y1="{}" x2="{}" y2="{}"/>',
            LEFT,
            TOP,
            LEFT,
            TOP + PLOT_H,
            LEFT,
            TOP + PLOT_H,
            LEFT + PLOT_W,
            TOP + PLOT_H,
        )  # fmt: skip
    )
    for value in sorted({low, (low + high) // 2, high}):
        parts.append(
            format_html(
                '<text class="tick" fill="#222" font-size="13" x="{}" y="{}" text-anchor="end">'
                "{}</text>",
                LEFT - 6,
                y(value) + 4,
                value,
            )  # fmt: skip
        )
    for day, anchor in ((first, "start"), (last, "end")):
        parts.append(
            format_html(
                '<text class="tick" fill="#222" font-size="13" x="{}" y="{}" text-anchor="{}">'
                "{}</text>",
                x(day),
                TOP + PLOT_H + 16,
                anchor,
                day.strftime("%b %Y"),
            )  # fmt: skip
        )
    for point in series.instrument.reference_points:
        parts.append(
            format_html(
                '<line class="reference" stroke="#8a4b00" stroke-width="2" stroke-dasharray="6 4"'
                ' x1="{}" y1="{}" x2="{}" y2="{}" data-value="{}"/>'
                '<text class="reference-label" fill="#6b3a00" font-size="13" x="{}" y="{}"'
                ' text-anchor="end">{}</text>',
                LEFT,
                y(point["value"]),
                LEFT + PLOT_W,
                y(point["value"]),
                point["value"],
                LEFT + PLOT_W,
                y(point["value"]) - 4,
                f"{point['value']}: {point['label']}",
            )  # fmt: skip
        )
    coordinates = " ".join(f"{x(day)},{y(total)}" for day, total in series.points)
    parts.append(
        format_html(
            '<polyline class="trend" fill="none" stroke="#1d5fa8" stroke-width="3" points="{}"/>',
            coordinates,
        )
    )
    for day, total in series.points:
        parts.append(
            format_html(
                '<circle class="point" fill="#1d5fa8" cx="{}" cy="{}" r="5" data-day="{}"'
                ' data-total="{}">'
                "<title>{}: {}</title></circle>",
                x(day),
                y(total),
                day.isoformat(),
                total,
                day.isoformat(),
                total,
            )  # fmt: skip
        )
    marks = TOP + PLOT_H + 36
    for goal in goals:
        marked: list[tuple[date | None, str]] = [
            (goal.set_on, "set"),
            (goal.achieved_on, "achieved"),
        ]
        for when, kind in marked:
            if when is None or not first <= when <= last:
                continue
            label = _("Goal set") if kind == "set" else _("Goal achieved")
            parts.append(
                format_html(
                    '<circle class="goal goal--{}" stroke="#22662a" stroke-width="2" fill="{}"'
                    ' cx="{}" cy="{}" r="6" data-day="{}">'
                    "<title>{} {}: {}</title></circle>",
                    kind,
                    "#22662a" if kind == "achieved" else "#fff",
                    x(when),
                    marks,
                    when.isoformat(),
                    label,
                    when.isoformat(),
                    goal.text[:80],
                )  # fmt: skip
            )
    title = _("%(name)s over time: %(count)s totals, from %(low)s to %(high)s possible.") % {
        "name": series.instrument.short_name,
        "count": len(series.points),
        "low": low,
        "high": high,
    }
    return format_html(
        '<svg class="trend-chart" id="{}" viewBox="0 0 {} {}" role="img"'
        ' aria-labelledby="{}-title" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">{}</title>{}</svg>',
        chart_id, WIDTH, HEIGHT, chart_id, chart_id, escape(title),
        # Every part was built by format_html, which escaped what it put in.
        mark_safe("".join(parts)),  # noqa: S308
    )  # fmt: skip
