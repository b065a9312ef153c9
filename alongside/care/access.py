"""Who may see which participants: the one place care views and (later) the API ask.

A participant outside what a membership may see answers 404, whether it belongs to another
organization or sits outside a restricted caseload.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_scopes.exceptions import ScopeError

from alongside.care.models import BreakGlass, CareSettings, Participant
from alongside.care.models.participants import ParticipantQuerySet
from alongside.core.audit import Action, audit_record
from alongside.core.models import Membership
from alongside.core.roles import Role
from alongside.core.tenancy import current_organization

if TYPE_CHECKING:
    from alongside.core.tenancy import StaffRequest

# Roles that open care records. Billing, warm-line responders and directory editors do not.
CARE_ROLES = (Role.PEER_SPECIALIST, Role.SUPERVISOR, Role.ORG_ADMIN)
# Roles that see the whole team's participants even when caseloads are restricted.
TEAM_ROLES = (Role.SUPERVISOR, Role.ORG_ADMIN)
BREAK_GLASS_DURATION = timedelta(hours=4)


def care_settings() -> CareSettings:
    """The care settings of the organization in scope, or unsaved defaults."""
    return CareSettings.objects.first() or CareSettings(organization=current_organization())


def can_see_care(membership: Membership | None) -> bool:
    return membership is not None and membership.has_role(*CARE_ROLES)


def sees_whole_team(membership: Membership) -> bool:
    return membership.has_role(*TEAM_ROLES)


def participants_visible_to(
    membership: Membership | None, *, at: datetime | None = None
) -> ParticipantQuerySet:
    """The participants ``membership`` may open right now."""
    if membership is None or not can_see_care(membership):
        return cast(ParticipantQuerySet, Participant.objects.none())
    if membership.organization_id != current_organization().pk:
        raise ScopeError("A membership is asked about outside its organization's scope.")
    participants = cast(ParticipantQuerySet, Participant.objects.all())
    if sees_whole_team(membership) or not care_settings().own_caseload_only:
        return participants
    assigned = Participant.specialists.through.objects.filter(
        participant_id=OuterRef("pk"), user_id=membership.user_id
    )
    grants = BreakGlass.objects.filter(
        user_id=membership.user_id,
        participant_id=OuterRef("pk"),
        expires_at__gt=at or timezone.now(),
    )
    return participants.filter(Q(Exists(assigned)) | Q(Exists(grants)))


def participant_for_request_or_404(request: StaffRequest, participant_id: Any) -> Participant:
    """The participant with this id if the request may see it; a GET is audited as a view."""
    participant = get_object_or_404(participants_visible_to(request.membership), pk=participant_id)
    if request.method in {"GET", "HEAD"}:
        participant_view_audit(request, participant)
    return participant


def participant_view_audit(request: StaffRequest, participant: Participant) -> None:
    """Audit that a page showed ``participant``'s record; POSTs that show it again call this."""
    audit_record(
        action=Action.VIEW, request=request, obj=participant, participant_id=str(participant.pk)
    )
