"""Whose workforce records a member may see.

Rules: an organization admin sees everyone in the organization; a supervisor sees their own
and their supervisees' (anyone with a supervisory agreement naming them as supervisor, approved
or not yet, that has not ended); everyone else sees their own only. Anyone else's answers 404,
like a record of another organization: the page does not confirm the person exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from alongside.core.models import Membership, Organization
from alongside.core.roles import Role
from alongside.core.selectors import team_for_org
from alongside.core.tenancy import get_for_org_or_404
from alongside.workforce.models import SupervisoryAgreement

if TYPE_CHECKING:
    from alongside.core.tenancy import StaffRequest

TEAM_ROLES = (Role.SUPERVISOR, Role.ORG_ADMIN)


def sees_everyone(membership: Membership) -> bool:
    return membership.has_role(Role.ORG_ADMIN)


def sees_a_team(membership: Membership) -> bool:
    return membership.has_role(*TEAM_ROLES)


def supervisee_user_ids(membership: Membership) -> set[int]:
    """The people ``membership`` supervises under an agreement that has not ended."""
    if not membership.has_role(Role.SUPERVISOR):
        return set()
    today = timezone.localdate()
    return set(
        SupervisoryAgreement.objects.filter(supervisor__user_id=membership.user_id)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .values_list("supervisee__user_id", flat=True)
    )


def members_visible_to(membership: Membership) -> QuerySet[Membership]:
    """The organization's active members whose workforce records ``membership`` may see."""
    members = team_for_org(membership.organization).filter(is_active=True)
    if sees_everyone(membership):
        return members
    return members.filter(user_id__in={membership.user_id, *supervisee_user_ids(membership)})


def can_see(viewer: Membership, member: Membership) -> bool:
    if member.organization_id != viewer.organization_id:
        return False
    if sees_everyone(viewer) or member.user_id == viewer.user_id:
        return True
    return member.user_id in supervisee_user_ids(viewer)


def staff_member_or_404(request: StaffRequest, username: str) -> Membership:
    """The organization's member called ``username``, if the request may see their records."""
    member = get_for_org_or_404(
        Membership.objects.select_related("user"),
        request.organization,
        user__username=username,
        is_active=True,
    )
    if not can_see(request.membership, member):
        raise Http404
    return member


def supervisors_in(organization: Organization) -> QuerySet[Membership]:
    """Active members who may supervise: supervisors and organization admins."""
    members = team_for_org(organization).filter(is_active=True)
    # roles is a JSON list; a contains lookup is not portable to SQLite, so filter by id.
    ids = [m.pk for m in members if m.has_role(*TEAM_ROLES)]
    return members.filter(pk__in=ids)
