"""The core part of the JSON API: token authentication and ``/me``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ninja import Field, Router, Schema
from ninja.security import HttpBearer

if TYPE_CHECKING:
    from django.http import HttpRequest

    from alongside.core.tenancy import StaffRequest


class TokenAuth(HttpBearer):
    """``Authorization: Bearer als_…``; the token fixes both the user and the organization.

    ``CurrentOrganizationMiddleware`` has already checked the token and scoped the request to
    its organization; this tells django-ninja whether it did.
    """

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return getattr(request, "api_token", None)


router = Router(tags=["account"])


class DetailOut(Schema):
    """Every error without fields: ``{"detail": "..."}`` (also django-ninja's own)."""

    detail: str


class ErrorsOut(Schema):
    """A request with bad fields: the messages by field name."""

    errors: dict[str, list[str]] = Field(description="Messages by field name.")


class MeOut(Schema):
    username: str
    organization: str
    organization_name: str
    roles: list[str]


@router.get("/me", response=MeOut, summary="Who this token acts as")
def me(request: StaffRequest) -> dict[str, Any]:
    membership = request.membership
    return {
        "username": request.user.get_username(),
        "organization": membership.organization.slug,
        "organization_name": membership.organization.name,
        "roles": membership.roles,
    }
