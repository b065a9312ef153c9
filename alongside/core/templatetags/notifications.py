"""The staff header's unread count: ``{% unread_notifications as count %}``."""

from __future__ import annotations

from typing import Any

from django import template

from alongside.core.notifications import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: dict[str, Any]) -> int:
    """How many of the signed-in member's notifications are unread (one query; 0 for no one)."""
    request = context.get("request")
    if request is None or getattr(request, "membership", None) is None:
        return 0
    return unread_count(request.user)
