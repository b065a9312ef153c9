"""Template helpers of the workforce pages: hours in plain figures, have/need rows."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import gettext as _

from alongside.workforce import rules

register = template.Library()


@register.filter
def hours(value: Decimal | float | int | None) -> str:
    return "" if value is None else rules.hours_text(value)


@register.filter
def topic(slug: str) -> str:
    return rules.topic_words(slug).capitalize()


@register.filter
def ce_rows(tally: rules.Tally) -> list[tuple[str, tuple[Decimal, Decimal | None]]]:
    """A tally as table rows: each topic minimum, then the total."""
    rows = [(rules.topic_words(t).capitalize(), pair) for t, pair in tally.by_topic.items()]
    return [*rows, (_("All topics"), tally.total)]


@register.filter
def progress_rows(progress: Any) -> list[tuple[str, tuple[Any, Any]]]:
    rows = ce_rows(progress.training)
    rows = [(_("Training: %(what)s") % {"what": label}, pair) for label, pair in rows]
    return [
        *rows,
        (_("Experience (hours)"), progress.experience),
        (_("Supervised experience (hours)"), progress.supervised),
    ]
