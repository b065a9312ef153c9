"""Encounter notes: drafts, signing, and amendments to signed notes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.care.models import Encounter, Goal, NoteAmendment, Participant
from alongside.core.records import record_create, record_update

ENCOUNTER_FIELDS = (
    "type",
    "date",
    "start_time",
    "end_time",
    "setting",
    "service_category",
    "worked_on",
    "response",
    "next_steps",
)


class SignedNoteError(ValidationError):
    """A signed note was about to change in place; amendments are the only way."""


def _minutes_between(start: time, end: time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def _duration(start: time | None, end: time | None) -> int:
    return max(0, _minutes_between(start, end)) if start and end else 0


def _with_duration(data: dict[str, Any], encounter: Encounter) -> dict[str, Any]:
    start = data.get("start_time", encounter.start_time)
    end = data.get("end_time", encounter.end_time)
    return {**data, "duration_minutes": _duration(start, end)}


def _check_goals(participant: Participant, goals: Iterable[Goal] | None) -> list[Goal] | None:
    if goals is None:
        return None
    goals = list(goals)
    if any(goal.participant_id != participant.pk for goal in goals):
        raise ValidationError({"goals": _("Choose goals of this person.")})
    return goals


@transaction.atomic
def encounter_create(
    *,
    participant: Participant,
    actor: Any,
    data: dict[str, Any],
    goals: Iterable[Goal] = (),
    specialist: Any = None,
) -> Encounter:
    """Write a draft encounter note; the duration comes from the start and end times."""
    encounter = Encounter(
        organization=participant.organization,
        participant=participant,
        specialist=specialist or actor,
        duration_minutes=_duration(data.get("start_time"), data.get("end_time")),
    )
    return record_create(
        encounter,
        actor=actor,
        fields=ENCOUNTER_FIELDS,
        data=data,
        many={"goals": _check_goals(participant, goals) or ()},
    )


@transaction.atomic
def encounter_update(
    *, encounter: Encounter, actor: Any, data: dict[str, Any], goals: Iterable[Goal] | None = None
) -> Encounter:
    """Change a draft note. A signed note never changes: amend it instead."""
    locked = Encounter.objects.select_for_update().get(pk=encounter.pk)
    if locked.is_signed:
        raise SignedNoteError(_("This note is signed. Add an amendment instead of editing it."))
    record_update(
        encounter,
        actor=actor,
        fields=(*ENCOUNTER_FIELDS, "duration_minutes"),
        data=_with_duration(data, encounter),
        many={"goals": _check_goals(encounter.participant, goals)},
    )
    return encounter


@transaction.atomic
def encounter_sign(*, encounter: Encounter, actor: Any) -> Encounter:
    """Sign a draft note; from now on it can only be amended."""
    locked = Encounter.objects.select_for_update().get(pk=encounter.pk)
    if locked.is_signed:
        raise SignedNoteError(_("This note is already signed."))
    if locked.specialist_id != getattr(actor, "pk", None):
        raise ValidationError(_("Only the specialist who wrote this note can sign it."))
    if not (locked.worked_on or locked.response or locked.next_steps):
        raise ValidationError({"worked_on": _("Write the note before signing it.")})
    record_update(
        locked,
        actor=actor,
        fields=["status", "signed_at", "signed_by"],
        data={"status": Encounter.Status.SIGNED, "signed_at": timezone.now(), "signed_by": actor},
    )
    encounter.refresh_from_db()
    return encounter


def note_amend(*, encounter: Encounter, actor: Any, text: str) -> NoteAmendment:
    """Append an amendment to a signed note, with who wrote it and when."""
    if not encounter.is_signed:
        raise ValidationError(_("A draft note can still be edited; amend only signed notes."))
    amendment = NoteAmendment(
        organization=encounter.organization, encounter=encounter, text=text, written_by=actor
    )
    return record_create(
        amendment, actor=actor, fields=["text"], participant_id=encounter.participant_id
    )
