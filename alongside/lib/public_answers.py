"""Answers of the public, read-only APIs (the HSDS API and the directory search).

Any origin may read them (CORS), each carries an ETag of its body and a short public cache
time, and a request whose If-None-Match matches gets 304 Not Modified.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.http import http_date

CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "ETag"}


def allow_any_origin(response: HttpResponse) -> HttpResponse:
    for name, value in CORS.items():
        response[name] = value
    return response


def _matches(header: str, etag: str) -> bool:
    tags = [t.strip().removeprefix("W/") for t in header.split(",") if t.strip()]
    return "*" in tags or etag in tags


def public_answer(
    request: HttpRequest,
    response: HttpResponse,
    *,
    max_age: int,
    last_modified: datetime | None = None,
) -> HttpResponse:
    """Add the headers every public answer carries; a matching If-None-Match becomes 304."""
    allow_any_origin(response)
    if response.status_code != 200:
        return response
    validators = {
        "ETag": f'"{hashlib.sha256(response.content).hexdigest()[:32]}"',
        "Cache-Control": f"public, max-age={max_age}",
    }
    if last_modified is not None:
        validators["Last-Modified"] = http_date(last_modified.timestamp())
    if _matches(request.headers.get("If-None-Match", ""), validators["ETag"]):
        response = allow_any_origin(HttpResponseNotModified())
    for name, value in validators.items():
        response[name] = value
    return response
