from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings

from alongside.core.crisis import crisis_lines

if TYPE_CHECKING:
    from django.http import HttpRequest


def alongside(request: HttpRequest) -> dict[str, Any]:
    return {
        "site_name": settings.ALONGSIDE_SITE_NAME,
        "demo_mode": settings.ALONGSIDE_DEMO,
        "crisis_lines": crisis_lines(),
        "crisis_chat_url": settings.ALONGSIDE_CRISIS_CHAT_URL,
        "current_membership": getattr(request, "membership", None),
        "require_2fa": settings.ALONGSIDE_REQUIRE_2FA,
    }
