"""Attendance that becomes the record, and walk-ins counted without names.

- Taking attendance writes one ``Attendance`` per named person and, for each participant
  present, a **group encounter** through care's services (type ``group``, the session's date
  and times, the person taking attendance as specialist, the shared summary and the optional
  individual note). Taking it again changes those rows and notes; it never adds a second.
- An individual note names nobody else on the session's roster: ``NamesInNotes`` is raised
  before anything is saved, unless the caller confirms (``confirm_names=True``).
- Only enrolled participants (an open enrollment: they agreed to take part) get an encounter,
  as care asks of every note's subject through its lists of active people.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.care.models import Encounter, Participant
from alongside.care.services import encounter_create, encounter_update
from alongside.core.audit import Action, audit_record
from alongside.core.records import record_create, record_update
from alongside.groups.models import Attendance, Session

# Walk-in check-in opens this long before a session starts, and closes when it ends.
CHECKIN_OPENS_BEFORE = timedelta(minutes=30)
# Words of a name that say nothing about who someone is (sample data ends names with it).
NOT_A_NAME = frozenset({"sample"})


_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text or "")}


def name_words(participant: Participant) -> set[str]:
    """The words of a participant's preferred and legal names (first, middle, last)."""
    found = _words(participant.preferred_name) | _words(participant.legal_name)
    return {w for w in found if len(w) > 1 and w not in NOT_A_NAME}


class NamesInNotes(ValidationError):
    """An individual note names someone else on the session's roster."""

    def __init__(self, found: dict[Participant, list[str]]) -> None:
        self.found = found
        super().__init__(
            [
                _(
                    "The note for %(person)s contains %(names)s, the name of someone else on "
                    "this session's list. Each note goes on one person's record: take the other "
                    "name out, or confirm that it is not about them."
                )
                % {"person": person.preferred_name, "names": ", ".join(sorted(names))}
                for person, names in found.items()
            ]
        )


def roster(session: Session) -> list[Participant]:
    """Participants on a session's list: registered ones, and anyone attendance names."""
    registered = Participant.objects.filter(
        pk__in=session.group.registrations.filter(
            participant__isnull=False, withdrawn_at__isnull=True
        ).values("participant")
    )
    named = Participant.objects.filter(pk__in=session.attendance.values("participant"))
    return list((registered | named).distinct().order_by("preferred_name", "id"))


def notes_naming_others(
    session: Session, notes: Mapping[Participant, str], others: Iterable[Participant] = ()
) -> dict[Participant, list[str]]:
    """For each note, the names in it of other people on the roster (and ``others``)."""
    people = {p.pk: p for p in [*roster(session), *others, *notes]}
    public_names = [
        w
        for r in session.group.registrations.filter(
            participant__isnull=True, withdrawn_at__isnull=True
        )
        for w in _words(r.first_name)
        if len(w) > 1
    ]
    found: dict[Participant, list[str]] = {}
    for subject, note in notes.items():
        in_note = _words(note)
        own = name_words(subject)
        names = {
            w
            for p in people.values()
            if p.pk != subject.pk
            for w in name_words(p) & in_note
            if w not in own
        }
        names |= {w for w in public_names if w in in_note and w not in own}
        if names:
            found[subject] = sorted(names)
    return found


@dataclass
class AttendanceTaken:
    session: Session
    headcount: int
    encounters: list[UUID] = field(default_factory=list)


def session_starts_at(session: Session) -> datetime:
    return datetime.combine(session.date, session.start_time, ZoneInfo(session.group.timezone))


def session_ends_at(session: Session) -> datetime:
    return datetime.combine(session.date, session.end_time, ZoneInfo(session.group.timezone))


def _remove_draft(encounter: Encounter, actor: Any, who: Participant) -> None:
    if encounter.is_signed:
        raise ValidationError(
            _("%(person)s's group note is signed, so they stay marked present. Amend the note.")
            % {"person": who.preferred_name}
        )
    audit_record(
        action=Action.DELETE,
        actor=actor,
        organization=encounter.organization,
        obj=encounter,
        participant_id=str(encounter.participant_id),
    )
    encounter.delete()


def _encounter_data(session: Session, summary: str, note: str) -> dict[str, Any]:
    group = session.group
    return {
        "type": Encounter.Type.GROUP,
        "contact": Encounter.Contact.PERSON,
        "date": session.date,
        "start_time": session.start_time,
        "end_time": session.end_time,
        "ends_next_day": False,
        "setting": group.name[:120],
        "service_categories": [group.service_category],
        "worked_on": summary,
        "response": note,
    }


def _write_encounter(
    attendance: Attendance | None,
    participant: Participant,
    data: dict[str, Any],
    actor: Any,
) -> Encounter:
    encounter = attendance.encounter if attendance else None
    if encounter is None:
        return encounter_create(participant=participant, actor=actor, data=data)
    if encounter.is_signed:
        if any(getattr(encounter, k) != v for k, v in data.items()):
            raise ValidationError(
                _("%(person)s's group note is signed and cannot change. Amend it instead.")
                % {"person": participant.preferred_name}
            )
        return encounter
    return encounter_update(encounter=encounter, actor=actor, data=data)


@transaction.atomic
def attendance_take(
    *,
    session: Session,
    actor: Any,
    present: Iterable[Participant] = (),
    absent: Iterable[Participant] = (),
    excused: Iterable[Participant] = (),
    walk_ins: int = 0,
    summary: str = "",
    notes: Mapping[Participant, str] | None = None,
    confirm_names: bool = False,
) -> AttendanceTaken:
    """Record who came; each participant present gets a group encounter (made or changed).

    The lists replace what was recorded before: someone left off every list is taken off the
    session, with their draft group note. Headcount is those present plus the walk-ins.
    """
    present, absent, excused = list(present), list(absent), list(excused)
    notes = {p: (text or "").strip() for p, text in (notes or {}).items()}
    statuses: dict[Participant, Attendance.Status] = {}
    for people, status in (
        (present, Attendance.Status.PRESENT),
        (absent, Attendance.Status.ABSENT),
        (excused, Attendance.Status.EXCUSED),
    ):
        for person in people:
            if person.organization_id != session.organization_id:
                raise ValidationError(_("Choose participants of this organization."))
            if person in statuses:
                raise ValidationError(
                    _("%(person)s is on more than one list.") % {"person": person.preferred_name}
                )
            statuses[person] = status
    if session.cancelled:
        raise ValidationError(_("This date is cancelled: reinstate it to take attendance."))
    if session.date > timezone.localdate():
        raise ValidationError(_("Attendance is taken on the day of the session or after."))
    if walk_ins < 0:
        raise ValidationError({"walk_ins": _("Give a number of walk-ins, 0 or more.")})
    if any(notes.get(p) for p in [*absent, *excused]) or set(notes) - set(present):
        raise ValidationError({"notes": _("Notes are for people who were there.")})
    enrolled = set(
        Participant.objects.enrolled()
        .filter(pk__in=[p.pk for p in present])
        .values_list("pk", flat=True)
    )
    not_enrolled = [p.preferred_name for p in present if p.pk not in enrolled]
    if not_enrolled:
        raise ValidationError(
            _(
                "Not enrolled, so no note can be written for them: %(people)s. Enroll them "
                "(they agree to take part) on their page first."
            )
            % {"people": ", ".join(not_enrolled)}
        )
    if not confirm_names:
        found = notes_naming_others(session, {p: n for p, n in notes.items() if n}, statuses)
        if found:
            raise NamesInNotes(found)

    session = Session.objects.select_for_update().select_related("group").get(pk=session.pk)
    earlier = {a.participant_id: a for a in session.attendance.select_related("encounter")}
    encounters = []
    for person, status in statuses.items():
        attendance = earlier.pop(person.pk, None)
        encounter = None
        if status == Attendance.Status.PRESENT:
            data = _encounter_data(session, summary, notes.get(person, ""))
            encounter = _write_encounter(attendance, person, data, actor)
            encounters.append(encounter.pk)
        elif attendance is not None and attendance.encounter is not None:
            _remove_draft(attendance.encounter, actor, person)
        data = {"status": status, "encounter": encounter}
        if attendance is None:
            attendance = Attendance(
                organization=session.organization, session=session, participant=person
            )
            record_create(attendance, actor=actor, fields=["status", "encounter"], data=data)
        else:
            record_update(attendance, actor=actor, fields=["status", "encounter"], data=data)
    for attendance in earlier.values():
        if attendance.encounter is not None:
            _remove_draft(attendance.encounter, actor, attendance.participant)
        audit_record(
            action=Action.DELETE,
            actor=actor,
            organization=session.organization,
            obj=attendance,
            participant_id=str(attendance.participant_id),
        )
        attendance.delete()
    record_update(
        session,
        actor=actor,
        fields=["walk_ins", "summary", "attendance_taken_at", "attendance_taken_by"],
        data={
            "walk_ins": walk_ins,
            "summary": summary,
            "attendance_taken_at": timezone.now(),
            "attendance_taken_by": actor,
        },
    )
    return AttendanceTaken(
        session=session, headcount=len(present) + walk_ins, encounters=encounters
    )


# --- Walk-in check-in ----------------------------------------------------------------------


def checkin_open(session: Session, at: datetime | None = None) -> bool:
    """Whether walk-ins may check in now: from a little before the start to the end."""
    at = at or timezone.now()
    if session.cancelled:
        return False
    return session_starts_at(session) - CHECKIN_OPENS_BEFORE <= at <= session_ends_at(session)


@transaction.atomic
def session_walk_in_add(*, session: Session, at: datetime | None = None) -> bool:
    """Count one anonymous walk-in, only while check-in is open; True when counted."""
    if not checkin_open(session, at):
        return False
    Session.objects.filter(pk=session.pk).update(walk_ins=F("walk_ins") + 1)
    audit_record(
        action=Action.UPDATE,
        organization=session.organization,
        obj=session,
        changed_fields=["walk_ins"],
        actor_username="walk-in check-in",
    )
    return True
