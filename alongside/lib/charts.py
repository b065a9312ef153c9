"""Small charts drawn on the server as SVG: no JavaScript, no library, the same on every run.

A chart is a picture of numbers that are also in a table beside it, so it is labelled as one
image (its title) for screen readers, and the table carries the detail. Colours come from the
design system's custom properties, with fallbacks, so a chart follows the page's theme.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None draws no bar (a suppressed or missing number)
    text: str  # what is written at the end of the bar


ROW = 28
LABEL_WIDTH = 200
BAR_WIDTH = 300
TEXT_WIDTH = 90
WIDTH = LABEL_WIDTH + BAR_WIDTH + TEXT_WIDTH
TEXT_STYLE = "fill: var(--color-text, #1b1f24)"


def _clip(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(*, chart_id: str, title: str, bars: Sequence[Bar]) -> SafeString:
    """Horizontal bars, one per ``bars`` item, scaled to the largest value."""
    largest = max((b.value for b in bars if b.value is not None), default=0) or 1
    height = ROW * len(bars) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
    ]
    for index, bar in enumerate(bars):
        y = 4 + index * ROW
        length = 0 if bar.value is None else round(BAR_WIDTH * max(bar.value, 0) / largest, 1)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 18}" text-anchor="end" '
            f'font-size="13" style="{TEXT_STYLE}">{escape(_clip(bar.label))}</text>'
        )
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{length}" height="{ROW - 10}" '
            f'style="fill: var(--color-primary, #1f5f8b)"/>'
        )
        parts.append(
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 18}" font-size="13" '
            f'style="{TEXT_STYLE}">{escape(bar.text)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)
