from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from alongside.core.models import ApiToken, Membership
from alongside.core.roles import SEES_PARTICIPANT_DATA
from alongside.core.services import api_token_authenticate
from alongside.core.tenancy import (
    membership_for_request,
    membership_for_token,
    no_organization_scope,
    organization_scope,
)
from alongside.lib.logging import request_id_var
from alongside.lib.public_answers import is_public

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

Handler = Callable[["HttpRequest"], "HttpResponse"]
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

LAST_SEEN_KEY = "alongside_last_seen"
STARTED_KEY = "alongside_started"


class RequestIdMiddleware:
    """Give every request an id, put it in the logs and echo it in ``X-Request-ID``."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


class PrivateAnswersMiddleware:
    """Keep staff pages and private API answers out of every cache; deny unused browser features.

    Staff pages, sign-in pages, the admin and the token API (all but its public answers) are
    sent with ``Cache-Control: private, no-store``, as is every page a signed-in person gets:
    participant data must not stay in a shared cache or in the browser's history on a
    shared computer. Every answer carries ``Permissions-Policy``. Static files (WhiteNoise,
    outside this middleware) stay cacheable.
    """

    private_prefixes = ("/staff/", "/accounts/", "/admin/", "/library/edit/", "/api/v1/")

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.ALONGSIDE_PERMISSIONS_POLICY)
        if self._private(request):
            response["Cache-Control"] = "private, no-store"
        return response

    def _private(self, request: HttpRequest) -> bool:
        if is_public(request):
            return False
        if request.path.startswith(self.private_prefixes):
            return True
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated)


class SessionLifetimeMiddleware:
    """Sign staff out after an idle spell, and in any case after an absolute lifetime."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(LAST_SEEN_KEY, now)
            started = request.session.get(STARTED_KEY, now)
            idle = now - last_seen > settings.SESSION_IDLE_TIMEOUT
            expired = now - started > settings.SESSION_ABSOLUTE_LIFETIME
            if idle or expired:
                logout(request)
                messages.info(
                    request,
                    _("You were signed out after %(minutes)d minutes without activity.")
                    % {"minutes": settings.SESSION_IDLE_TIMEOUT // 60}
                    if idle
                    else _("You were signed out because your session reached its time limit."),
                )
                return redirect_to_login(request.get_full_path())
            # Write the session at most once a minute, not on every request.
            if now - last_seen >= 60 or LAST_SEEN_KEY not in request.session:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


def needs_two_factor(user: Any) -> bool:
    if not settings.ALONGSIDE_REQUIRE_2FA or not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    role_lists = Membership.objects.filter(user=user).values_list("roles", flat=True)
    return any(SEES_PARTICIPANT_DATA.intersection(roles) for roles in role_lists)


class TwoFactorRequiredMiddleware:
    """Staff pages need a verified second factor for every role that sees participant data."""

    guarded_prefixes = ("/staff/", "/admin/", "/library/edit/")

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.path.startswith(self.guarded_prefixes)
            and request.user.is_authenticated
            and not request.user.is_verified()  # type: ignore[union-attr,attr-defined]
            and needs_two_factor(request.user)
        ):
            return redirect("core:two_factor")
        return self.get_response(request)


class CurrentOrganizationMiddleware:
    """Say which member and organization a request acts for, and scope it to that organization.

    Signed-in staff act for the organization their session chose; an API request with a bearer
    token acts as the token's membership. Either way the request runs inside that organization's
    scope (``core.tenancy``); a request with neither has no scope, and any query of an
    organization-owned record in it raises.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = self._api_token(request)
        if token is not None:
            request.user = token.user
            membership = membership_for_token(token)
        elif request.user.is_authenticated:
            membership = membership_for_request(request)
        else:
            membership = None
        # The one place these are set; views behind staff_required read them as StaffRequest.
        request.api_token = token if membership else None  # type: ignore[attr-defined]
        request.membership = membership  # type: ignore[attr-defined]
        request.organization = membership.organization if membership else None  # type: ignore[attr-defined]
        request.roles = frozenset(membership.roles if membership else ())  # type: ignore[attr-defined]
        # Each request starts from its own scope, never from the caller's (a test's, say).
        with organization_scope(membership.organization) if membership else no_organization_scope():
            return self.get_response(request)

    @staticmethod
    def _api_token(request: HttpRequest) -> ApiToken | None:
        if not request.path.startswith("/api/"):
            return None
        kind, _space, secret = request.headers.get("Authorization", "").partition(" ")
        if kind.lower() != "bearer" or not secret:
            return None
        return api_token_authenticate(secret.strip())
