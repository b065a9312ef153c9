from __future__ import annotations

from typing import Any

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
