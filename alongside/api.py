"""The JSON API at ``/api/v1/``: one router per app, described at ``/api/v1/openapi.json``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ninja import NinjaAPI
from ninja.errors import ValidationError

from alongside.care.api import router as care_router
from alongside.core.api import TokenAuth
from alongside.core.api import router as core_router
from alongside.directory.api import router as directory_router

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

api = NinjaAPI(
    title="Alongside API",
    version="1",
    description="Peer support directory, care records and operations.",
    auth=TokenAuth(),
    urls_namespace="api",
)
api.add_router("", core_router)
api.add_router("", directory_router)
api.add_router("", care_router)


@api.exception_handler(ValidationError)
def bad_parameters(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Bad parameters answer 400 and name each field."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        # loc ends with the field name, or with a list index after it for repeated values.
        field = next((p for p in reversed(error.get("loc", [])) if isinstance(p, str)), "?")
        errors.setdefault(field, []).append(str(error.get("msg", "invalid")))
    return api.create_response(request, {"errors": errors}, status=400)
