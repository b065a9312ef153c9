"""Answers of the public, read-only APIs: the HSDS API, the directory search and the OpenAPI
document that describes them both.

Any origin may read them (CORS), and a browser's preflight (``OPTIONS``) is answered so that a
page elsewhere may send conditional requests: ``PublicAnswersMiddleware`` does both, for the
addresses ``is_public`` names and no others; the rest of ``/api/v1/`` needs a token and stays
closed to other origins. Each answer carries an ETag of its body, a Last-Modified date when it
has one, and a short public cache time; a request whose If-None-Match matches gets 304 Not
Modified (Django's own rules): ``public_answer``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

# The public addresses, by URL name: all of the HSDS API, the search and the public document.
PUBLIC_NAMESPACES = frozenset({"hsds"})
PUBLIC_VIEWS = frozenset({"api:search", "openapi"})

CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "ETag"}
METHODS = "GET, HEAD, OPTIONS"
PREFLIGHT = {
    "Access-Control-Allow-Methods": METHODS,
    # Not safelisted, so a browser asks before it revalidates a copy it keeps.
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}


def is_public(request: HttpRequest) -> bool:
    """Whether the address asked for is one of the public answers (known once it is resolved)."""
    match = request.resolver_match
    return match is not None and (
        match.namespace in PUBLIC_NAMESPACES or match.view_name in PUBLIC_VIEWS
    )


def allow_any_origin(response: HttpResponse) -> HttpResponse:
    for name, value in CORS.items():
        response[name] = value
    return response


def preflight() -> HttpResponse:
    """Answer ``OPTIONS``, a browser's preflight among them: any origin may GET."""
    response = allow_any_origin(HttpResponse(status=204))
    response["Allow"] = METHODS
    for name, value in PREFLIGHT.items():
        response[name] = value
    return response


class PublicAnswersMiddleware:
    """Open the public addresses to any origin: answer their preflight, mark every answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Every answer, 304s and refusals (400, 404) too: a page elsewhere may read why.
        return allow_any_origin(response) if is_public(request) else response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        # Before the view: ninja refuses a method an address does not list (405).
        if request.method == "OPTIONS" and is_public(request):
            return preflight()
        return None


def public_answer(
    request: HttpRequest,
    response: HttpResponse,
    *,
    max_age: int,
    last_modified: datetime | None = None,
) -> HttpResponse:
    """Add the caching headers every public answer carries; a copy still current becomes 304."""
    if response.status_code != 200:
        return response
    etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={max_age}"
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    # The ETag only: it covers every byte of the answer. The date is the newest change among
    # the records listed, so it cannot see one that left the list (made inactive, deleted) or
    # a change to a row that has no date of its own (a phone): an If-Modified-Since is not
    # trusted to mean "unchanged" (RFC 9110 lets an origin server leave it unevaluated).
    return get_conditional_response(request, etag=etag, response=response) or response
