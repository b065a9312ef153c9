"""Break-glass access to a record outside one's caseload, and the organization's care settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.care.access import BREAK_GLASS_DURATION, TEAM_ROLES, care_settings
from alongside.care.models import BreakGlass, Participant
from alongside.care.models.participants import CareSettings
from alongside.care.notifications import Code
from alongside.core.audit import Action
from alongside.core.models import Organization
from alongside.core.notifications import members_with_role, notifications_settle, notify
from alongside.core.people import display_name
from alongside.core.records import record_create, record_update

CARE_SETTINGS_FIELDS = (
    "own_caseload_only",
    "not_seen_days",
    "safety_protocol",
    "require_cosign",
    "plan_review_days",
)


@transaction.atomic
def break_glass_open(
    *, participant: Participant, actor: Any, reason: str, at: datetime | None = None
) -> BreakGlass:
    """Open a record outside one's caseload for a few hours; supervisors review it after."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you need to open this record.")})
    at = at or timezone.now()
    grant = BreakGlass(
        organization=participant.organization,
        participant=participant,
        user=actor,
        reason=reason,
        opened_at=at,
        expires_at=at + BREAK_GLASS_DURATION,
    )
    record_create(grant, actor=actor, fields=["reason", "expires_at"], action=Action.BREAK_GLASS)
    notify(
        [
            m.user
            for m in members_with_role(participant.organization, *TEAM_ROLES)
            if m.user_id != actor.pk
        ],
        Code.BREAK_GLASS,
        _("%(name)s opened a record with break-glass") % {"name": display_name(actor)},
        reverse("care:dashboard") + "#break-glass",
        organization=participant.organization,
        actor=actor,
        key=str(grant.pk),
    )
    return grant


@transaction.atomic
def break_glass_review(*, grant: BreakGlass, actor: Any) -> BreakGlass:
    """A supervisor has looked at why the record was opened."""
    record_update(
        grant,
        actor=actor,
        fields=["reviewed_by", "reviewed_at"],
        data={"reviewed_by": actor, "reviewed_at": timezone.now()},
    )
    notifications_settle(
        kind_code=Code.BREAK_GLASS, key=str(grant.pk), actor=actor, organization=grant.organization
    )
    return grant


@transaction.atomic
def care_settings_update(
    *,
    organization: Organization,
    actor: Any,
    own_caseload_only: bool,
    not_seen_days: int,
    safety_protocol: str = "",
    require_cosign: bool = False,
    is_part2_program: bool | None = None,
    plan_review_days: int | None = None,
) -> CareSettings:
    """Change the organization's care settings (and whether it is a Part 2 program)."""
    if is_part2_program is not None:
        record_update(
            organization,
            actor=actor,
            fields=["is_part2_program"],
            data={"is_part2_program": is_part2_program},
        )
    settings_row = care_settings()
    data = {
        "own_caseload_only": own_caseload_only,
        "not_seen_days": not_seen_days,
        "safety_protocol": safety_protocol,
        "require_cosign": require_cosign,
    }
    if plan_review_days is not None:  # None keeps what is set.
        data["plan_review_days"] = plan_review_days
    if settings_row.pk is None:
        for name, value in data.items():
            setattr(settings_row, name, value)
        return record_create(settings_row, actor=actor, fields=CARE_SETTINGS_FIELDS)
    record_update(settings_row, actor=actor, fields=CARE_SETTINGS_FIELDS, data=data)
    return settings_row
