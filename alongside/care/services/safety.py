"""Safety concerns: what was seen and done, who was told, and the follow-up that closed it.

Rules:
- Raising a concern tells the organization's supervisors and organization admins (every
  active one but the person raising it), in Alongside and by e-mail where they chose e-mail.
  Supervision is a role of the organization, not a pairing of people, so all of them are told.
- The page then says what actually happened, person by person (``safety_told_message``); when nobody
  could be told it says so, and asks the person to call their supervisor.
- Closing a concern records what follow-up happened (required) and, if known, its date.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.care.access import TEAM_ROLES
from alongside.care.models import Encounter, Participant, SafetyConcern
from alongside.care.notifications import Code, participant_link
from alongside.core.notifications import (
    Email,
    how_told,
    members_with_role,
    notifications_about,
    notifications_settle,
    notify,
)
from alongside.core.people import display_name
from alongside.core.records import record_create, record_update
from alongside.core.roles import Role

SAFETY_RESOLVE_FIELDS = ("follow_up", "follow_up_on")


def safety_recipients(participant: Participant, actor: Any) -> list[Any]:
    """Who is told of a concern: the active supervisors and organization admins but the actor."""
    members = members_with_role(participant.organization, *TEAM_ROLES)
    return [m.user for m in members if m.user_id != getattr(actor, "pk", None)]


@transaction.atomic
def safety_concern_raise(
    *,
    participant: Participant,
    actor: Any,
    actions: list[str],
    note: str,
    encounter: Encounter | None = None,
) -> SafetyConcern:
    """Record a safety concern and what was done, and tell the supervisors and admins."""
    if encounter is not None and encounter.participant_id != participant.pk:
        raise ValidationError({"encounter": _("Choose an encounter of this person.")})
    recipients = safety_recipients(participant, actor)
    concern = SafetyConcern(
        organization=participant.organization,
        participant=participant,
        encounter=encounter,
        actions=sorted(set(actions)),
        note=note,
        raised_by=actor,
        supervisor_notified=bool(recipients),
    )
    record_create(
        concern, actor=actor, fields=["actions", "note", "encounter", "supervisor_notified"]
    )
    notify(
        recipients,
        Code.SAFETY_CONCERN,
        _("%(name)s raised a safety concern") % {"name": display_name(actor)},
        participant_link(participant.pk, "safety"),
        organization=participant.organization,
        actor=actor,
        key=str(concern.pk),
    )
    return concern


def _role_words(user_id: Any, supervisors: set[Any]) -> str:
    return _("your supervisor") if user_id in supervisors else _("an organization admin")


def safety_told_message(concern: SafetyConcern) -> str:
    """What the page says after a concern is raised: who was told, how and when."""
    told = notifications_about(Code.SAFETY_CONCERN, str(concern.pk))
    if not told:
        return _(
            "Recorded, but there is no supervisor or organization admin in Alongside to tell. "
            "Call your supervisor now and tell them what happened."
        )
    supervisors = {m.user_id for m in members_with_role(concern.organization, Role.SUPERVISOR)}
    sentences = [
        how_told(
            row,
            _("%(name)s, %(role)s,")
            % {
                "name": display_name(row.recipient),
                "role": _role_words(row.recipient_id, supervisors),
            },
        )
        for row in told
    ]
    if all(row.email not in {Email.SENT, Email.PENDING} for row in told):
        sentences.append(_("Nobody was e-mailed: if it cannot wait until they sign in, call them."))
    return " ".join([_("Recorded."), *sentences])


@transaction.atomic
def safety_concern_resolve(
    *,
    concern: SafetyConcern,
    actor: Any,
    follow_up: str = "",
    follow_up_on: date | None = None,
) -> SafetyConcern:
    """Close a safety concern with what follow-up happened; its notifications are settled."""
    if concern.resolved_at is not None:
        raise ValidationError(_("This concern is already resolved."))
    if not follow_up.strip():
        raise ValidationError(
            {"follow_up": _("Say what follow-up happened before closing the concern.")}
        )
    record_update(
        concern,
        actor=actor,
        fields=["resolved_at", "resolved_by", *SAFETY_RESOLVE_FIELDS],
        data={
            "resolved_at": timezone.now(),
            "resolved_by": actor,
            "follow_up": follow_up.strip(),
            "follow_up_on": follow_up_on,
        },
    )
    notifications_settle(
        kind_code=Code.SAFETY_CONCERN,
        key=str(concern.pk),
        actor=actor,
        organization=concern.organization,
    )
    return concern
