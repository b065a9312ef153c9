"""Answers of the public, read-only APIs (the HSDS API and the directory search).

Any origin may read them (CORS), and a browser's preflight (``OPTIONS``) is answered so that a
page elsewhere may send conditional requests. Each answer carries an ETag of its body, a
Last-Modified date when it has one, and a short public cache time; a request whose
If-None-Match matches gets 304 Not Modified (Django's own rules).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "ETag"}
METHODS = "GET, HEAD, OPTIONS"
PREFLIGHT = {
    "Access-Control-Allow-Methods": METHODS,
    # Not safelisted, so a browser asks before it revalidates a copy it keeps.
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}


def allow_any_origin(response: HttpResponse) -> HttpResponse:
    for name, value in CORS.items():
        response[name] = value
    return response


def preflight(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Answer ``OPTIONS``, a browser's preflight among them: any origin may GET."""
    response = allow_any_origin(HttpResponse(status=204))
    response["Allow"] = METHODS
    for name, value in PREFLIGHT.items():
        response[name] = value
    return response


def answers_preflight(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A public view that also answers ``OPTIONS`` (outside any method check it has)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            return preflight(request)
        return view(request, *args, **kwargs)

    return wrapper


def public_answer(
    request: HttpRequest,
    response: HttpResponse,
    *,
    max_age: int,
    last_modified: datetime | None = None,
) -> HttpResponse:
    """Add the headers every public answer carries; a copy still current becomes 304."""
    allow_any_origin(response)
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
    answer = get_conditional_response(request, etag=etag, response=response)
    return allow_any_origin(answer or response)
