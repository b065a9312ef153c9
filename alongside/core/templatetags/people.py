"""Template filters that show staff as people: ``{{ user|person }}``, ``{{ code|role_label }}``."""

from __future__ import annotations

from typing import Any

from django import template

from alongside.core import people

register = template.Library()


@register.filter
def person(user: Any) -> str:
    """The staff member's name (see ``core.people.display_name``)."""
    return people.display_name(user)


@register.filter
def role_label(code: str) -> str:
    return people.role_label(code)
