"""Tenancy in one place: which organization a request acts for, and what it may see.

Rules:
- Every organization-owned model (``OrgScopedModel``) has a scoped manager (django-scopes): a
  query on it outside an active organization scope raises ``ScopeError``, and inside one it
  sees that organization's rows only. A forgotten filter cannot leak another organization's
  records; it fails loudly instead.
- ``CurrentOrganizationMiddleware`` activates the scope of the organization the signed-in
  member (or API token) is working in, for the whole request.
- Management commands opt out by name (``UNSCOPED_COMMANDS``); anything else that must cross
  organizations says so where it does (``Model.objects.with_scopes_disabled()``).
- Views and API routes take an id through exactly two getters: ``get_for_org_or_404`` here,
  and ``care.access.participant_for_request_or_404`` for a participant (which audits the read).
  A record of another organization answers 404 -- never 403, which would confirm it exists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404, redirect
from django_scopes import get_scope, scope, scopes_disabled
from django_scopes.exceptions import ScopeError
from django_scopes.state import state as scope_state

from alongside.core.models import Membership, Organization

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.http import HttpResponse

    from alongside.core.models import ApiToken

SESSION_KEY = "alongside_org"
M = TypeVar("M", bound=Model)

# Commands that work across every organization. Each is named here on purpose: a new command
# that touches organization-owned records runs scoped (and fails) until it is added.
UNSCOPED_COMMANDS = frozenset(
    {
        # Django's own, which read or write every table.
        "migrate",
        "flush",
        "dumpdata",
        "loaddata",
        "shell",
        "createsuperuser",
        # Ours.
        "audit_checkpoint",
        "audit_verify",
        "backup",
        "credentials_remind",
        "demo_seed",
        "load_care_sample_data",
        "load_workforce_sample_data",
        "restore",
        "rotate_field_key",
    }
)


class StaffRequest(HttpRequest):
    """What a view behind ``staff_required`` may rely on: a member working in an organization.

    Only a type: the middleware sets these attributes on Django's request.
    """

    user: User
    membership: Membership
    organization: Organization
    roles: frozenset[str]
    api_token: ApiToken | None


@contextmanager
def organization_scope(organization: Organization) -> Iterator[None]:
    """Let queries see ``organization``'s records, and only those, inside the block."""
    if organization is None:
        # django-scopes would read None as "no filter": every organization's rows.
        raise ValueError("An organization scope needs an organization.")
    with scope(organization=organization):
        yield


@contextmanager
def no_organization_scope() -> Iterator[None]:
    """Start from no scope at all, whatever the caller had (a request without a member)."""
    token = scope_state.set({})
    try:
        yield
    finally:
        scope_state.reset(token)


def open_unscoped_commands() -> None:
    """Let the commands named in ``UNSCOPED_COMMANDS`` run across organizations.

    Called once at start-up (``CoreConfig.ready``); it covers ``call_command`` and the command
    line alike. Any other command runs with no scope, so its organization-owned queries raise.
    """
    from django.core.management.base import BaseCommand

    execute = BaseCommand.execute
    if getattr(execute, "opens_unscoped_commands", False):
        return

    @wraps(execute)
    def execute_by_name(self: BaseCommand, /, *args: Any, **options: Any) -> Any:
        # ``self`` is positional-only: a command may have an option named anything else
        # (``shell -c`` arrives as ``command=``).
        name = type(self).__module__.rsplit(".", 1)[-1]
        if name in UNSCOPED_COMMANDS:
            with scopes_disabled():
                return execute(self, *args, **options)
        return execute(self, *args, **options)

    execute_by_name.opens_unscoped_commands = True  # type: ignore[attr-defined]
    BaseCommand.execute = execute_by_name  # type: ignore[method-assign,assignment]


def current_organization() -> Organization:
    """The organization whose scope is active; ``ScopeError`` when there is none."""
    organization = get_scope().get("organization")
    if not isinstance(organization, Organization):
        raise ScopeError("No organization scope is active.")
    return organization


def memberships_for(user: Any) -> QuerySet[Membership]:
    """The memberships a person may work in: a deactivated one is never chosen or switched to."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user, is_active=True).select_related("organization")


def membership_for_request(request: HttpRequest) -> Membership | None:
    """The membership the session has chosen, else the user's first one."""
    memberships = memberships_for(request.user)
    chosen = request.session.get(SESSION_KEY)
    if chosen:
        membership = memberships.filter(organization_id=chosen).first()
        if membership is not None:
            return membership
    return memberships.first()


def membership_for_token(token: ApiToken) -> Membership | None:
    """The membership an API token acts as (none once the person left or was deactivated)."""
    return (
        Membership.objects.filter(user=token.user, organization=token.organization, is_active=True)
        .select_related("organization")
        .first()
    )


def switch_organization(request: HttpRequest, organization_id: str) -> Membership:
    membership = memberships_for(request.user).filter(organization_id=organization_id).first()
    if membership is None:
        raise Http404
    request.session[SESSION_KEY] = str(membership.organization_id)
    return membership


def get_for_org_or_404(
    model_or_queryset: type[M] | QuerySet[M], organization: Organization, **lookup: Any
) -> M:
    """The getter every view and route uses for an organization-owned record's id."""
    queryset = (
        model_or_queryset
        if isinstance(model_or_queryset, QuerySet)
        else model_or_queryset._default_manager.all()
    )
    # The scope already limits a scoped model; the filter also covers a model that has none
    # (the audit trail) and a scope that is not the request's.
    return get_object_or_404(queryset.filter(organization=organization), **lookup)


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
