"""Django calls ``password_changed`` on each validator whenever a password is set and saved, by
any way: the reset link, the admin, a command. That is the one place to act on it."""

from __future__ import annotations

from typing import Any


class PasswordChangeNotice:
    """Not a rule (it accepts every password): after a change, revoke the person's API tokens
    and tell them by e-mail (``core.services_account.password_changed``)."""

    def validate(self, password: str, user: Any = None) -> None:
        return None

    def password_changed(self, password: str, user: Any = None) -> None:
        from alongside.core.services_account import password_changed

        if user is not None and user.pk is not None:
            password_changed(user=user)

    def get_help_text(self) -> str:
        return ""
