"""The core part of the JSON API: token authentication and ``/me``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ninja import Router, Schema
from ninja.security import HttpBearer

from alongside.core.models import Membership
from alongside.core.services import api_token_authenticate

if TYPE_CHECKING:
    from django.http import HttpRequest


class TokenAuth(HttpBearer):
    """``Authorization: Bearer als_…``; the token fixes both the user and the organization."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = api_token_authenticate(token)
        if api_token is None:
            return None
        membership = Membership.objects.filter(
            user=api_token.user, organization=api_token.organization
        ).first()
        if membership is None:
            return None
        request.user = api_token.user
        request.membership = membership  # type: ignore[attr-defined]
        request.organization = api_token.organization  # type: ignore[attr-defined]
        return api_token


router = Router(tags=["account"])


class MeOut(Schema):
    username: str
    organization: str
    organization_name: str
    roles: list[str]


@router.get("/me", response=MeOut, summary="Who this token acts as")
def me(request: HttpRequest) -> dict[str, Any]:
    membership = request.membership  # type: ignore[attr-defined]
    return {
        "username": request.user.get_username(),
        "organization": membership.organization.slug,
        "organization_name": membership.organization.name,
        "roles": membership.roles,
    }
