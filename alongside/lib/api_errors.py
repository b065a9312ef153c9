"""Refusals of the JSON APIs, in one shape: ``{"errors": {field: [messages]}}``."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from ninja.errors import ValidationError


def errors_response(errors: dict[str, list[str]], *, status: int) -> HttpResponse:
    body = json.dumps({"errors": errors})
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


def bad_parameters(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Bad parameters answer 400 and name each field (every API registers this handler)."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        # loc ends with the field name, or with a list index after it for repeated values.
        field = next((p for p in reversed(error.get("loc", [])) if isinstance(p, str)), "?")
        errors.setdefault(field, []).append(str(error.get("msg", "invalid")))
    return errors_response(errors, status=400)
