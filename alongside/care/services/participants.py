"""Participants: their details, enrollment, discharge, pathway, and caseload transfers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from alongside.care.access import CARE_ROLES
from alongside.care.models import Enrollment, Participant, PathwayChange, RaceEthnicity
from alongside.core.audit import Action, audit_record
from alongside.core.models import Membership, Organization
from alongside.core.records import record_create, record_update

# What a person's details form, the API and the services may write: the one list.
PARTICIPANT_FIELDS = (
    "preferred_name",
    "legal_name",
    "pronouns",
    "date_of_birth",
    "phone",
    "email",
    "address",
    "ok_to_call",
    "ok_to_text",
    "ok_to_leave_message",
    "preferred_language",
    "focus",
    "gender",
    "race_ethnicity",
    "veteran",
    "emergency_contact_name",
    "emergency_contact_phone",
    "emergency_contact_relationship",
    "pathway",
    "received_from_part2",
)
# A pathway changes only through ``participant_pathway_change``, which keeps the reason.
PARTICIPANT_EDITABLE = tuple(f for f in PARTICIPANT_FIELDS if f != "pathway")


def _in_choice_order(data: dict[str, Any]) -> dict[str, Any]:
    """Race and ethnicity answers once each, in the order the question lists them."""
    answers = data.get("race_ethnicity")
    if not isinstance(answers, list | tuple):
        return data
    known = [value for value in RaceEthnicity.values if value in answers]
    unknown = [value for value in answers if value not in RaceEthnicity.values]
    # Unknown answers stay, so that validation names them instead of dropping them quietly.
    return {**data, "race_ethnicity": known + unknown}


@transaction.atomic
def participant_create(
    *,
    organization: Organization,
    actor: Any,
    data: dict[str, Any],
    specialists: Iterable[Any] = (),
    enrolled_on: date | None = None,
    agreement_how: str = "",
) -> Participant:
    """Create a participant; with ``enrolled_on``, enroll them in the same step."""
    participant = Participant(organization=organization)
    record_create(
        participant,
        actor=actor,
        fields=PARTICIPANT_FIELDS,
        data=_in_choice_order(data),
        many={"specialists": specialists},
        participant_id=participant.pk,
    )
    if enrolled_on is not None:
        participant_enroll(
            participant=participant,
            actor=actor,
            enrolled_on=enrolled_on,
            agreement_how=agreement_how,
        )
    return participant


def participant_update(
    *,
    participant: Participant,
    actor: Any,
    data: dict[str, Any],
    specialists: Iterable[Any] | None = None,
) -> Participant:
    """Change a participant's details; a pathway change goes through ``pathway_change``."""
    record_update(
        participant,
        actor=actor,
        fields=PARTICIPANT_EDITABLE,
        data=_in_choice_order(data),
        many={"specialists": specialists},
        participant_id=participant.pk,
    )
    return participant


@transaction.atomic
def participant_enroll(
    *,
    participant: Participant,
    actor: Any,
    enrolled_on: date,
    agreement_how: str,
    agreement_recorded_on: date | None = None,
) -> Enrollment:
    """Open an enrollment (the first, or a re-enrollment after a discharge)."""
    if participant.enrollments.filter(discharged_on__isnull=True).exists():
        raise ValidationError(_("This person is already enrolled."))
    enrollment = Enrollment(
        organization=participant.organization,
        participant=participant,
        enrolled_on=enrolled_on,
        agreement_recorded_on=agreement_recorded_on or enrolled_on,
        agreement_how=agreement_how,
    )
    return record_create(
        enrollment,
        actor=actor,
        fields=["enrolled_on", "agreement_recorded_on", "agreement_how"],
    )


@transaction.atomic
def participant_reenroll(
    *, participant: Participant, actor: Any, enrolled_on: date, agreement_how: str
) -> Enrollment:
    """Enroll again someone who was discharged; the earlier enrollments stay as history."""
    if not participant.enrollments.filter(discharged_on__isnull=False).exists():
        raise ValidationError(_("This person was never discharged; enroll them instead."))
    return participant_enroll(
        participant=participant, actor=actor, enrolled_on=enrolled_on, agreement_how=agreement_how
    )


@transaction.atomic
def participant_discharge(
    *, participant: Participant, actor: Any, discharged_on: date, reason: str, note: str = ""
) -> Enrollment:
    """Close the open enrollment."""
    enrollment = (
        participant.enrollments.select_for_update().filter(discharged_on__isnull=True).first()
    )
    if enrollment is None:
        raise ValidationError(_("This person is not enrolled."))
    record_update(
        enrollment,
        actor=actor,
        fields=["discharged_on", "discharge_reason", "discharge_note"],
        data={"discharged_on": discharged_on, "discharge_reason": reason, "discharge_note": note},
    )
    return enrollment


@transaction.atomic
def participant_pathway_change(
    *, participant: Participant, actor: Any, to_pathway: str, reason: str
) -> PathwayChange:
    """Move between brief and ongoing support, keeping the reason."""
    if to_pathway == participant.pathway:
        raise ValidationError({"to_pathway": _("They are already on this pathway.")})
    change = PathwayChange(
        organization=participant.organization,
        participant=participant,
        from_pathway=participant.pathway,
        to_pathway=to_pathway,
        reason=reason,
        changed_by=actor,
    )
    change.full_clean()
    change.save()
    record_update(
        participant,
        actor=actor,
        fields=["pathway"],
        data={"pathway": to_pathway},
        participant_id=participant.pk,
    )
    return change


@transaction.atomic
def caseload_transfer(
    *,
    organization: Organization,
    from_user: Any,
    to_user: Any,
    actor: Any,
    participants: Iterable[Participant] | None = None,
) -> list[Participant]:
    """Assign ``from_user``'s participants (all, or those given) to ``to_user`` instead.

    Nothing of a person's record moves or changes hands: notes, plans and encounters keep
    their authors. What is kept of the transfer is the trail: one event per person whose
    specialists changed, naming them, and one for the caseload naming both specialists.
    """
    if from_user.pk == to_user.pk:
        raise ValidationError({"to_user": _("Choose someone other than the current specialist.")})
    receiving = Membership.objects.filter(
        organization=organization, user=to_user, is_active=True
    ).first()
    if receiving is None or not receiving.has_role(*CARE_ROLES):
        raise ValidationError({"to_user": _("Choose an active member who keeps a caseload.")})
    caseload = Participant.objects.filter(specialists=from_user).prefetch_related("specialists")
    if participants is not None:
        caseload = caseload.filter(pk__in=[p.pk for p in participants])
    moved = list(caseload.select_for_update(of=("self",)))
    for participant in moved:
        kept = [s for s in participant.specialists.all() if s.pk not in (from_user.pk, to_user.pk)]
        record_update(
            participant,
            actor=actor,
            fields=[],
            data={},
            many={"specialists": [*kept, to_user]},
            participant_id=participant.pk,
        )
    if moved:
        audit_record(
            action=Action.UPDATE,
            actor=actor,
            organization=organization,
            object_type="care.caseload_transfer",
            object_id=f"{from_user.pk}:{to_user.pk}",
            changed_fields=["specialists"],
        )
    return moved
