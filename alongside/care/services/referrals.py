"""Referrals to directory listings or named providers, and their progress."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from alongside.care.models import Participant, Referral
from alongside.care.notifications import tell_referral_updated
from alongside.core.records import record_create, record_update
from alongside.directory.selectors import listing_name

REFERRAL_FIELDS = ("status", "warm_handoff_note")


def referral_create(
    *,
    participant: Participant,
    actor: Any,
    provider_name: str = "",
    directory_service_id: Any = None,
    status: str = Referral.Status.SUGGESTED,
    warm_handoff_note: str = "",
) -> Referral:
    """Refer to a directory listing (by id) or to a named provider."""
    if directory_service_id and not provider_name:
        provider_name = listing_name(directory_service_id) or ""
        if not provider_name:
            raise ValidationError(
                {"directory_service_id": _("That directory listing was not found.")}
            )
    referral = Referral(
        organization=participant.organization,
        participant=participant,
        directory_service_id=directory_service_id or None,
        provider_name=provider_name,
        status=status,
        warm_handoff_note=warm_handoff_note,
        made_by=actor,
    )
    return record_create(
        referral,
        actor=actor,
        fields=["provider_name", "directory_service_id", "status", "warm_handoff_note"],
    )


@transaction.atomic
def referral_update(*, referral: Referral, actor: Any, data: dict[str, Any]) -> Referral:
    """Move a referral along (made, connected, declined, closed) or add to the hand-off note.

    A new status is told to the referral's maker and the person's specialists.
    """
    changed = record_update(referral, actor=actor, fields=REFERRAL_FIELDS, data=data)
    if "status" in changed:
        tell_referral_updated(referral, actor=actor)
    return referral
