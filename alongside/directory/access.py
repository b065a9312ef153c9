"""Who may change which listings: the one place the directory's staff views ask.

The directory is run by one operator organization (``ALONGSIDE_OPERATOR_ORG``). Its directory
editors verify, review suggestions, decide claims and edit every listing. Another
organization's directory editors see their own claims and edit the listings of the providers
the operator approved them to keep. Anything else answers 404, never 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from alongside.core.models import Organization
from alongside.core.roles import Role
from alongside.core.tenancy import staff_required
from alongside.directory.models import ListingClaim, Service

if TYPE_CHECKING:
    from django.http import HttpResponse

    from alongside.core.tenancy import StaffRequest

editor_required = staff_required(Role.DIRECTORY_EDITOR)


def is_operator(organization: Organization | None) -> bool:
    """Whether ``organization`` runs the directory."""
    slug = settings.ALONGSIDE_OPERATOR_ORG
    return bool(slug) and organization is not None and organization.slug == slug


def operator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A directory editor of the operator; another organization's editor gets 404."""

    @editor_required
    @wraps(view)
    def wrapped(request: StaffRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_operator(request.organization):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def services_editable_by(organization: Organization | None) -> QuerySet[Service]:
    """Every listing for the operator; for another organization, its approved claims' listings."""
    if organization is None:
        return Service.objects.none()
    if is_operator(organization):
        return Service.objects.all()
    kept = ListingClaim.objects.filter(
        provider=OuterRef("organization"),
        claimant=organization,
        status=ListingClaim.Status.APPROVED,
    )
    return Service.objects.filter(Exists(kept))


def listing_for_editor_or_404(request: StaffRequest, service_id: Any) -> Service:
    """The listing with this id if the request's organization may change it."""
    return get_object_or_404(
        services_editable_by(request.organization).select_related("organization"),
        pk=service_id,
    )


def claims_visible_to(organization: Organization | None) -> QuerySet[ListingClaim]:
    """Every claim for the operator; for another organization, its own."""
    claims = ListingClaim.objects.select_related("provider", "claimant", "requested_by")
    if organization is None:
        return claims.none()
    if is_operator(organization):
        return claims
    return claims.filter(claimant=organization)


def claim_for_editor_or_404(request: StaffRequest, claim_id: Any) -> ListingClaim:
    """The claim with this id if the request's organization may see it."""
    return get_object_or_404(
        claims_visible_to(request.organization),
        pk=claim_id,
    )
