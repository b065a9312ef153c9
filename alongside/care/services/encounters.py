"""Encounter notes: drafts, signing, review by a supervisor, and amendments to signed notes.

Rules:
- Only the note's author (its specialist) changes or signs it; a supervisor returns a draft
  with a comment, or co-signs a signed note, and never edits someone else's words.
- Signing signs the version the author read over: the confirmation carries the note's digest,
  and a note that changed since answers with an error instead of a signature.
- A signed note never changes; amendments are added below it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import time
from typing import Any
from uuid import UUID, uuid4

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.care.access import TEAM_ROLES
from alongside.care.models import Encounter, Goal, NoteAmendment, Participant, ServiceCategory
from alongside.care.notifications import tell_note_returned
from alongside.core.models import Membership
from alongside.core.record_hooks import amendment_recorded, edit_refusal
from alongside.core.records import record_create, record_update

ENCOUNTER_FIELDS = (
    "type",
    "contact",
    "date",
    "start_time",
    "end_time",
    "ends_next_day",
    "setting",
    "service_categories",
    "worked_on",
    "response",
    "next_steps",
)


class SignedNoteError(ValidationError):
    """A signed note was about to change in place; amendments are the only way."""


class NotTheAuthorError(ValidationError):
    """Someone other than the note's author tried to change or sign it."""


class NoteChangedError(ValidationError):
    """The note changed between the author reading it over and signing it."""


def _minutes_between(start: time, end: time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def _duration(start: time | None, end: time | None, next_day: bool = False) -> int:
    if not (start and end):
        return 0
    return max(0, _minutes_between(start, end) + (24 * 60 if next_day else 0))


def _with_duration(data: dict[str, Any], encounter: Encounter) -> dict[str, Any]:
    start = data.get("start_time", encounter.start_time)
    end = data.get("end_time", encounter.end_time)
    next_day = data.get("ends_next_day", encounter.ends_next_day)
    return {**data, "duration_minutes": _duration(start, end, next_day)}


def _categories(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with a single ``service_category`` (as callers wrote before notes could touch
    several) read as a list of one; the list, once each, in the categories' order."""
    data = dict(data)
    if "service_category" in data:
        single = data.pop("service_category")
        data.setdefault("service_categories", [single] if single else [])
    chosen = data.get("service_categories")
    if isinstance(chosen, list | tuple) and all(isinstance(v, str) for v in chosen):
        order = ServiceCategory.values
        data["service_categories"] = sorted(
            set(chosen), key=lambda v: order.index(v) if v in order else len(order)
        )
    return data


def note_digest(encounter: Encounter) -> str:
    """A fingerprint of everything a signature covers: the fields and the goals worked on."""
    parts = [f"{name}={getattr(encounter, name)}" for name in ENCOUNTER_FIELDS]
    # ``all()`` so that a list of notes with its goals prefetched asks nothing more.
    parts += sorted(f"goal={goal.pk}" for goal in encounter.goals.all())
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _require_author(encounter: Encounter, actor: Any, message: str) -> None:
    if not encounter.is_author(actor):
        raise NotTheAuthorError(message)


def _require_team_role(encounter: Encounter, actor: Any) -> None:
    membership = Membership.objects.filter(
        user=actor, organization_id=encounter.organization_id
    ).first()
    if membership is None or not membership.has_role(*TEAM_ROLES):
        raise ValidationError(_("Only a supervisor reviews another specialist's notes."))
    if encounter.is_author(actor):
        raise ValidationError(_("A supervisor reviews someone else's note, not their own."))


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
    note_id: UUID | None = None,
) -> Encounter:
    """Write a draft encounter note; the duration comes from the start and end times.

    ``note_id`` is the id a new-note page chose when it opened, so that its autosave and its
    submit write one note.
    """
    encounter = Encounter(
        id=note_id or uuid4(),
        organization=participant.organization,
        participant=participant,
        specialist=specialist or actor,
        duration_minutes=_duration(
            data.get("start_time"), data.get("end_time"), data.get("ends_next_day", False)
        ),
    )
    return record_create(
        encounter,
        actor=actor,
        fields=ENCOUNTER_FIELDS,
        data=_categories(data),
        many={"goals": _check_goals(participant, goals) or ()},
    )


@transaction.atomic
def encounter_update(
    *, encounter: Encounter, actor: Any, data: dict[str, Any], goals: Iterable[Goal] | None = None
) -> Encounter:
    """Change a draft note, by its author only. A signed note never changes: amend it instead."""
    locked = Encounter.objects.select_for_update().get(pk=encounter.pk)
    if locked.is_signed:
        raise SignedNoteError(_("This note is signed. Add an amendment instead of editing it."))
    _require_author(locked, actor, _("Only the specialist who wrote this note can change it."))
    # An app above care (billing) may hold what was already claimed: date, times, type.
    changing = [name for name in data if getattr(locked, name, None) != data[name]]
    refusal = edit_refusal(locked, changing)
    if refusal:
        raise ValidationError(refusal)
    record_update(
        encounter,
        actor=actor,
        fields=(*ENCOUNTER_FIELDS, "duration_minutes"),
        data=_with_duration(_categories(data), encounter),
        many={"goals": _check_goals(encounter.participant, goals)},
    )
    return encounter


def note_ready_to_sign(encounter: Encounter) -> None:
    """Raise the reason a draft cannot be signed yet, if there is one."""
    if not (encounter.worked_on or encounter.response or encounter.next_steps):
        raise ValidationError({"worked_on": _("Write the note before signing it.")})


@transaction.atomic
def encounter_sign(*, encounter: Encounter, actor: Any, digest: str | None = None) -> Encounter:
    """Sign a draft note, by its author; from now on it can only be amended.

    ``digest`` is the ``note_digest`` of the version the author read over; a note that has
    changed since is not signed.
    """
    locked = Encounter.objects.select_for_update().get(pk=encounter.pk)
    if locked.is_signed:
        raise SignedNoteError(_("This note is already signed."))
    _require_author(locked, actor, _("Only the specialist who wrote this note can sign it."))
    note_ready_to_sign(locked)
    if digest is not None and digest != note_digest(locked):
        raise NoteChangedError(
            _("The note changed after you read it over. Read it again, then sign it.")
        )
    record_update(
        locked,
        actor=actor,
        fields=["status", "signed_at", "signed_by"],
        data={"status": Encounter.Status.SIGNED, "signed_at": timezone.now(), "signed_by": actor},
    )
    encounter.refresh_from_db()
    return encounter


@transaction.atomic
def encounter_return(*, encounter: Encounter, actor: Any, comment: str) -> Encounter:
    """A supervisor hands a draft back to its author with a comment; the words stay theirs."""
    locked = Encounter.objects.select_for_update().get(pk=encounter.pk)
    if locked.is_signed:
        raise SignedNoteError(_("This note is signed: add an amendment, or co-sign it."))
    _require_team_role(locked, actor)
    if not comment.strip():
        raise ValidationError({"comment": _("Say what the author should look at.")})
    record_update(
        locked,
        actor=actor,
        fields=["returned_at", "returned_by", "return_comment"],
        data={"returned_at": timezone.now(), "returned_by": actor, "return_comment": comment},
    )
    tell_note_returned(locked, actor=actor)
    encounter.refresh_from_db()
    return encounter


@transaction.atomic
def encounter_cosign(*, encounter: Encounter, actor: Any) -> Encounter:
    """A supervisor co-signs a signed note, with their name and the time."""
    locked = Encounter.objects.select_for_update().get(pk=encounter.pk)
    if not locked.is_signed:
        raise ValidationError(_("Only a signed note can be co-signed."))
    if locked.cosigned_at is not None:
        raise ValidationError(_("This note is already co-signed."))
    _require_team_role(locked, actor)
    record_update(
        locked,
        actor=actor,
        fields=["cosigned_at", "cosigned_by"],
        data={"cosigned_at": timezone.now(), "cosigned_by": actor},
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
    with transaction.atomic():
        record_create(
            amendment, actor=actor, fields=["text"], participant_id=encounter.participant_id
        )
        amendment_recorded(encounter, actor)
    return amendment
