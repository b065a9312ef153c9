"""``{% staff_panels %}``: the cards apps registered for the staff dashboard (core.panels)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from alongside.core.panels import panels_for

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_panels(context: Any) -> SafeString:
    request = context.get("request")
    if request is None:
        return mark_safe("")  # noqa: S308 -- empty
    engine = context.template.engine
    # As an inclusion tag renders: a new context on top of this one, so the page's context
    # processors are not run again for each card.
    cards = [
        engine.get_template(name).render(context.new(card)) for name, card in panels_for(request)
    ]
    return mark_safe("".join(cards))  # noqa: S308 -- each card is a rendered, escaped template
