"""Tenancy in one place: which organization a request acts for, and what it may see.

Every staff view and API endpoint goes through these helpers, so a record of another
organization answers 404 -- never 403, which would confirm that it exists.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

from alongside.core.models import Membership, Organization

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

SESSION_KEY = "alongside_org"
M = TypeVar("M", bound=Model)


def memberships_for(user: Any) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("organization")


def membership_for_request(request: HttpRequest) -> Membership | None:
    """The membership the session has chosen, else the user's first one."""
    memberships = memberships_for(request.user)
    chosen = request.session.get(SESSION_KEY)
    if chosen:
        membership = memberships.filter(organization_id=chosen).first()
        if membership is not None:
            return membership
    return memberships.first()


def switch_organization(request: HttpRequest, organization_id: str) -> Membership:
    membership = memberships_for(request.user).filter(organization_id=organization_id).first()
    if membership is None:
        raise Http404
    request.session[SESSION_KEY] = str(membership.organization_id)
    return membership


def scoped(model_or_queryset: type[M] | QuerySet[M], organization: Organization) -> QuerySet[M]:
    """The rows of ``model_or_queryset`` that belong to ``organization``."""
    queryset = (
        model_or_queryset
        if isinstance(model_or_queryset, QuerySet)
        else model_or_queryset._default_manager.all()
    )
    return queryset.filter(organization=organization)


def get_for_org_or_404(
    model_or_queryset: type[M] | QuerySet[M], organization: Organization, **lookup: Any
) -> M:
    """The one getter every view and endpoint uses for an id it was given."""
    return get_object_or_404(scoped(model_or_queryset, organization), **lookup)


def staff_required(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Require a signed-in member of an organization, holding one of ``roles`` if given."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = getattr(request, "membership", None)
            if membership is None:
                return redirect("core:no_membership")
            if roles and not membership.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
