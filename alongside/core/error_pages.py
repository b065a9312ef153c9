"""The designed error pages while DEBUG is on: for the demo (``ALONGSIDE_DESIGNED_ERROR_PAGES``).

With DEBUG=1 Django answers a missing page or a crash with its technical pages, which show
settings, code and the URLs it tried: right for a developer, wrong for someone trying the demo.
Installed only when the setting is on (the default with ALONGSIDE_DEMO=1), this middleware
answers with the pages production shows. ALONGSIDE_DESIGNED_ERROR_PAGES=0 brings the technical
pages back. Without DEBUG, Django shows the designed pages itself and this is not installed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from alongside.core.views import errors

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("django.request")


class DesignedErrorPagesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # No URL matched, so the 404 is Django's own technical page, not a view's answer.
        if response.status_code == 404 and getattr(request, "resolver_match", None) is None:
            return errors.not_found(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Http404):
            return errors.not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return None  # Django shows the designed 403 page whatever DEBUG is.
        # Django logs a crash when it shows its own page; answering here, log it the same way.
        logger.error("Internal Server Error: %s", request.path, exc_info=exception)
        return errors.server_error(request)
