"""Audit every login, failed login and logout through Django's documented auth signals."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from alongside.core.audit import Action, audit_record
from alongside.core.middleware import LAST_SEEN_KEY, STARTED_KEY


@receiver(user_logged_in, dispatch_uid="alongside_login")
def _on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[STARTED_KEY] = now
        request.session[LAST_SEEN_KEY] = now
    audit_record(action=Action.LOGIN, request=request, actor=user)


@receiver(user_logged_out, dispatch_uid="alongside_logout")
def _on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action=Action.LOGOUT, request=request, actor=user)


@receiver(user_login_failed, dispatch_uid="alongside_login_failed")
def _on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    audit_record(action=Action.LOGIN_FAILED, request=request, actor_username=username)
