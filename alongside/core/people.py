"""How staff appear to each other: by name, and with their roles in words."""

from __future__ import annotations

from typing import Any

from alongside.core.roles import Role


def display_name(user: Any) -> str:
    """The person's first and last name, or their username when they have given none."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def role_label(code: str) -> str:
    """A role in words ("Peer support specialist"); an unknown code is shown as it is."""
    try:
        return str(Role(code).label)
    except ValueError:
        return code
