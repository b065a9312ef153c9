"""Listing claims: an organization asks to keep a provider's listings current itself, and
the directory's operator approves or rejects it. Either side can end a claim later."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.core.audit import Action, audit_record
from alongside.core.models import Organization as CoreOrganization
from alongside.directory.access import is_operator
from alongside.directory.models import ClaimStatus, ListingClaim, Organization

PROVIDERS_SHOWN = 20


def providers_named(query: str) -> QuerySet[Organization]:
    """Providers whose name holds ``query``, with how many listings each has."""
    query = query.strip()
    if not query:
        return Organization.objects.none()
    return Organization.objects.filter(name__icontains=query).annotate(listings=Count("services"))[
        :PROVIDERS_SHOWN
    ]


@transaction.atomic
def claim_request(
    *, claimant: CoreOrganization, provider: Organization, actor: Any, note: str = ""
) -> ListingClaim:
    """Ask the operator to let ``claimant`` keep ``provider``'s listings."""
    if is_operator(claimant):
        raise ValidationError(_("The directory's operator already edits every listing."))
    kept = ListingClaim.objects.filter(
        claimant=claimant, provider=provider, status=ListingClaim.Status.APPROVED
    )
    if kept.exists():
        raise ValidationError(_("Your organization already keeps these listings."))
    claim = ListingClaim(claimant=claimant, provider=provider, requested_by=actor, note=note)
    claim.full_clean()
    claim.save()
    audit_record(action=Action.CREATE, actor=actor, organization=claimant, obj=claim)
    return claim


def _decide(
    claim: ListingClaim,
    status: ClaimStatus,
    actor: Any,
    organization: CoreOrganization | None,
    note: str,
) -> ListingClaim:
    claim.status = status
    claim.decided_by = actor
    claim.decided_at = timezone.now()
    claim.decision_note = note
    claim.full_clean()
    claim.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        organization=organization,
        obj=claim,
        changed_fields=["status"],
    )
    return claim


@transaction.atomic
def claim_decide(
    *,
    claim: ListingClaim,
    approve: bool,
    actor: Any,
    organization: CoreOrganization | None = None,
    note: str = "",
) -> ListingClaim:
    """The operator's answer to a pending claim."""
    if claim.status != ListingClaim.Status.PENDING:
        raise ValidationError(_("This claim was already decided."))
    status = ListingClaim.Status.APPROVED if approve else ListingClaim.Status.REJECTED
    return _decide(claim, status, actor, organization, note)


@transaction.atomic
def claim_withdraw(
    *,
    claim: ListingClaim,
    actor: Any,
    organization: CoreOrganization | None = None,
    note: str = "",
) -> ListingClaim:
    """End a pending or approved claim: the claimant gives it up, or the operator ends it."""
    if claim.status not in {ListingClaim.Status.PENDING, ListingClaim.Status.APPROVED}:
        raise ValidationError(_("This claim has already ended."))
    return _decide(claim, ListingClaim.Status.WITHDRAWN, actor, organization, note)
