from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from alongside.core.crisis import crisis_lines


@register()
def crisis_lines_configured(app_configs: Any, **kwargs: Any) -> list[Error]:
    try:
        crisis_lines()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="alongside.E001")]
    return []


@register()
def proxy_settings(app_configs: Any, **kwargs: Any) -> list[Error]:
    from alongside.core.client import trusted_networks

    try:
        trusted_networks(tuple(settings.ALONGSIDE_TRUSTED_PROXIES))
    except ValueError as exc:
        return [
            Error(
                f"ALONGSIDE_TRUSTED_PROXIES: {exc}",
                hint="List addresses or networks such as 10.0.0.0/8, separated by commas.",
                id="alongside.E201",
            )
        ]
    return []
