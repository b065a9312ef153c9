"""Safety concerns: what was seen and done, and the supervisors who are told."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.care.models import Encounter, Notification, Participant, SafetyConcern
from alongside.core.records import record_create, record_update
from alongside.core.roles import Role


@transaction.atomic
def safety_concern_raise(
    *,
    participant: Participant,
    actor: Any,
    actions: list[str],
    note: str,
    encounter: Encounter | None = None,
) -> SafetyConcern:
    """Record a safety concern and what was done, and tell the organization's supervisors."""
    if encounter is not None and encounter.participant_id != participant.pk:
        raise ValidationError({"encounter": _("Choose an encounter of this person.")})
    concern = SafetyConcern(
        organization=participant.organization,
        participant=participant,
        encounter=encounter,
        actions=sorted(set(actions)),
        note=note,
        raised_by=actor,
        supervisor_notified=True,
    )
    record_create(
        concern, actor=actor, fields=["actions", "note", "encounter", "supervisor_notified"]
    )
    Notification.objects.create(
        organization=participant.organization,
        kind=Notification.Kind.SAFETY_CONCERN,
        audience_role=Role.SUPERVISOR,
        participant=participant,
        safety_concern=concern,
    )
    return concern


@transaction.atomic
def safety_concern_resolve(*, concern: SafetyConcern, actor: Any) -> SafetyConcern:
    """Mark a safety concern as followed up and resolved."""
    if concern.resolved_at is not None:
        raise ValidationError(_("This concern is already resolved."))
    record_update(
        concern,
        actor=actor,
        fields=["resolved_at", "resolved_by"],
        data={"resolved_at": timezone.now(), "resolved_by": actor},
    )
    Notification.objects.filter(safety_concern=concern, read_at__isnull=True).update(
        read_at=concern.resolved_at
    )
    return concern
