"""The JSON API at ``/api/v1/``: one router per app, described at ``/api/v1/openapi.json``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ninja import NinjaAPI
from ninja.errors import ValidationError

from alongside.care.api import router as care_router
from alongside.core.api import TokenAuth
from alongside.core.api import router as core_router
from alongside.directory.api import router as directory_router
from alongside.lib.public_answers import allow_any_origin, preflight

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

api = NinjaAPI(
    title="Alongside API",
    version="1",
    description="Peer support directory, care records and operations.",
    auth=TokenAuth(),
    urls_namespace="api",
)
# The search is public: a browser on another site asks first (OPTIONS) before a conditional
# GET. Only the search answers; the rest needs a token and stays closed to other origins.
directory_router.add_api_operation(
    "/search", ["OPTIONS"], preflight, auth=None, include_in_schema=False
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
    response = api.create_response(request, {"errors": errors}, status=400)
    if request.resolver_match and request.resolver_match.view_name == "api:search":
        # The search is public: any origin may read why it was refused, as its answers.
        allow_any_origin(response)
    return response
