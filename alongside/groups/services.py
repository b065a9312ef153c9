"""Writes for groups: a group and its schedule, single dates, registrations, attendance, walk-ins.

Rules:
- A session row is made only when a date needs one (to cancel or move it, take attendance, or
  open walk-in check-in), never a year of rows up front: ``session_get_or_create``.
- Taking attendance writes one ``Attendance`` per named person and, for each participant
  present, a **group encounter** through care's services (type ``group``, the session's date
  and times, the person taking attendance as specialist, the shared summary and the optional
  individual note). Taking it again changes those rows and notes; it never adds a second.
- An individual note names nobody else on the session's roster: ``NamesInNotes`` is raised
  before anything is saved, unless the caller confirms (``confirm_names=True``).
- Only enrolled participants (an open enrollment: they agreed to take part) get an encounter,
  as care asks of every note's subject through its lists of active people.
- A private online link is e-mailed to a person who registers with an e-mail address, after
  the transaction commits; the e-mail holds the group's name and the link, nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.care.access import CARE_ROLES
from alongside.care.models import Encounter, Participant
from alongside.care.services import encounter_create, encounter_update
from alongside.core.audit import Action, audit_record
from alongside.core.models import Organization
from alongside.core.notifications import members_with_role
from alongside.core.records import record_create, record_update
from alongside.directory.taxonomy import codes
from alongside.groups.listing import group_listing_sync
from alongside.groups.models import Attendance, Group, MeetingTime, Registration, Session
from alongside.groups.schedule import occurrences

GROUP_FIELDS = (
    "name",
    "slug",
    "description",
    "kind",
    "service_category",
    "focus",
    "populations",
    "is_open",
    "format",
    "location_name",
    "address",
    "city",
    "state",
    "postal_code",
    "conference_url",
    "conference_phone",
    "conference_public",
    "capacity",
    "language",
    "timezone",
    "listed_publicly",
    "active",
)
MEETING_TIME_FIELDS = ("weekday", "date", "start_time", "end_time", "starts_on", "ends_on")
# Walk-in check-in opens this long before a session starts, and closes when it ends.
CHECKIN_OPENS_BEFORE = timedelta(minutes=30)
# Words of a name that say nothing about who someone is (sample data ends names with it).
NOT_A_NAME = frozenset({"sample"})


# --- Groups and their schedule -------------------------------------------------------------


def _check_codes(data: Mapping[str, Any]) -> None:
    errors = {}
    for name, group in (("focus", "focus"), ("populations", "population")):
        chosen = data.get(name)
        if chosen is not None and (
            not isinstance(chosen, list) or not set(chosen) <= set(codes(group))
        ):
            errors[name] = _("Choose from the directory's list.")
    if errors:
        raise ValidationError(errors)


def facilitator_choices(organization: Organization) -> list[Any]:
    """Who may facilitate: active members with a care role (they write the group notes)."""
    return [m.user for m in members_with_role(organization, *CARE_ROLES)]


def _check_facilitators(organization: Organization, users: Iterable[Any]) -> list[Any]:
    users = list(users)
    allowed = {u.pk for u in facilitator_choices(organization)}
    if any(u.pk not in allowed for u in users):
        raise ValidationError(
            {"facilitators": _("Facilitators are peer specialists, supervisors or admins here.")}
        )
    return users


def _rule_key(row: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(row.get(name) for name in MEETING_TIME_FIELDS)


def _set_meeting_times(group: Group, rows: Sequence[Mapping[str, Any]], actor: Any) -> bool:
    """Replace the group's schedule rules with ``rows`` when they differ; True when changed.

    Sessions are known by their scheduled date, not by the rule that made them, so replacing
    the rules keeps every cancelled, moved or attended date.
    """
    existing = list(group.meeting_times.all())
    current = sorted(
        (_rule_key({n: getattr(r, n) for n in MEETING_TIME_FIELDS}) for r in existing), key=str
    )
    if current == sorted((_rule_key(row) for row in rows), key=str):
        return False
    for rule in existing:
        audit_record(action=Action.DELETE, actor=actor, organization=group.organization, obj=rule)
        rule.delete()
    for row in rows:
        rule = MeetingTime(organization=group.organization, group=group)
        try:
            record_create(rule, actor=actor, fields=MEETING_TIME_FIELDS, data=row)
        except ValidationError as exc:
            raise ValidationError({"meeting_times": exc.messages}) from exc
    return True


@transaction.atomic
def group_create(
    *,
    organization: Organization,
    actor: Any,
    data: Mapping[str, Any],
    meeting_times: Sequence[Mapping[str, Any]] = (),
    facilitators: Iterable[Any] = (),
) -> Group:
    """Create a group with its weekly and one-off meeting times and its facilitators."""
    _check_codes(data)
    group = Group(organization=organization)
    record_create(
        group,
        actor=actor,
        fields=GROUP_FIELDS,
        data=data,
        many={"facilitators": _check_facilitators(organization, facilitators)},
    )
    _set_meeting_times(group, meeting_times, actor)
    group_changed(group=group, saved=True)
    return group


@transaction.atomic
def group_update(
    *,
    group: Group,
    actor: Any,
    data: Mapping[str, Any],
    meeting_times: Sequence[Mapping[str, Any]] | None = None,
    facilitators: Iterable[Any] | None = None,
) -> Group:
    """Change a group; ``meeting_times`` (when given) replaces its schedule rules."""
    _check_codes(data)
    chosen = None if facilitators is None else _check_facilitators(group.organization, facilitators)
    previous_slug = group.slug
    record_update(group, actor=actor, fields=GROUP_FIELDS, data=data, many={"facilitators": chosen})
    times_changed = meeting_times is not None and _set_meeting_times(group, meeting_times, actor)
    group_changed(group=group, saved=not times_changed, previous_slug=previous_slug)
    return group


def group_changed(*, group: Group, saved: bool = False, previous_slug: str = "") -> None:
    """What follows any change to a group or one of its dates: its directory listing follows.

    The group's ``updated_at`` is what feeds and calendars say changed, so a new time, a
    cancelled or a moved date touches it (``saved``: the group row was just written).
    ``previous_slug`` withdraws the listing kept under the old slug when it changed.
    """
    if not saved:
        group.save(update_fields=["updated_at"])
    group_listing_sync(group, previous_slug=previous_slug)


# --- Single dates --------------------------------------------------------------------------


@transaction.atomic
def session_get_or_create(*, group: Group, scheduled_date: date, actor: Any) -> Session:
    """The session of the date the schedule gives, made now if nothing was kept for it yet."""
    # One writer at a time per group: two facilitators opening the same date get one row.
    Group.objects.select_for_update().filter(pk=group.pk).first()
    session = group.sessions.filter(scheduled_date=scheduled_date).first()
    if session is not None:
        return session
    occurrence = next(
        (
            o
            for o in occurrences(group, scheduled_date, scheduled_date, sessions=())
            if o.scheduled_date == scheduled_date
        ),
        None,
    )
    if occurrence is None:
        raise ValidationError(_("The group does not meet on that date."))
    session = Session(
        organization=group.organization,
        group=group,
        scheduled_date=scheduled_date,
        date=scheduled_date,
        start_time=occurrence.start_time,
        end_time=occurrence.end_time,
    )
    return record_create(
        session, actor=actor, fields=["scheduled_date", "date", "start_time", "end_time"]
    )


def _not_attended(session: Session) -> None:
    if session.attendance_taken_at is not None:
        raise ValidationError(_("Attendance was taken for this date: it happened."))


@transaction.atomic
def session_cancel(
    *, group: Group, scheduled_date: date, actor: Any, public_note: str = ""
) -> Session:
    """Cancel one date; the public pages and feeds say so, with the note if one is given."""
    session = session_get_or_create(group=group, scheduled_date=scheduled_date, actor=actor)
    _not_attended(session)
    record_update(
        session,
        actor=actor,
        fields=["cancelled", "public_note"],
        data={"cancelled": True, "public_note": public_note},
    )
    group_changed(group=group)
    return session


@transaction.atomic
def session_reinstate(*, session: Session, actor: Any) -> Session:
    """Undo a cancellation: the date meets again."""
    record_update(session, actor=actor, fields=["cancelled"], data={"cancelled": False})
    group_changed(group=session.group)
    return session


@transaction.atomic
def session_move(
    *,
    group: Group,
    scheduled_date: date,
    actor: Any,
    date: date,
    start_time: time,
    end_time: time,
    public_note: str = "",
) -> Session:
    """Move one date to another day or time, with a note for the public."""
    session = session_get_or_create(group=group, scheduled_date=scheduled_date, actor=actor)
    _not_attended(session)
    if end_time <= start_time:
        raise ValidationError({"end_time": _("The end is before the start.")})
    record_update(
        session,
        actor=actor,
        fields=["date", "start_time", "end_time", "public_note", "cancelled"],
        data={
            "date": date,
            "start_time": start_time,
            "end_time": end_time,
            "public_note": public_note,
            "cancelled": False,
        },
    )
    group_changed(group=group)
    return session


# --- Registration --------------------------------------------------------------------------


def _email_of(participant: Participant | None, contact: str) -> str:
    if participant is not None:
        return participant.email
    try:
        validate_email(contact.strip())
    except ValidationError:
        return ""
    return contact.strip()


def _send_private_link(group: Group, address: str) -> None:
    """The group's private link to one address, once the registration is committed."""
    if not (address and group.online and group.conference_url and not group.conference_public):
        return
    subject = _("%(group)s: how to join") % {"group": group.name}
    body = (
        _("You registered for %(group)s. Join it online here:") % {"group": group.name}
        + f"\n{group.conference_url}\n"
        + (
            _("Or dial in: %(phone)s") % {"phone": group.conference_phone} + "\n"
            if group.conference_phone
            else ""
        )
        + "\n"
        + _("Please keep this link to yourself: it is shared with registered people only.")
        + "\n"
    )
    transaction.on_commit(lambda: send_mail(subject, body, None, [address]))


@transaction.atomic
def registration_add(
    *,
    group: Group,
    actor: Any,
    participant: Participant | None = None,
    first_name: str = "",
    contact: str = "",
) -> Registration:
    """Register a participant of the organization, or a member of the public by first name
    and a phone number or e-mail (kept encrypted, never shown publicly), within capacity."""
    locked = Group.objects.select_for_update().get(pk=group.pk)
    if participant is not None and participant.organization_id != group.organization_id:
        raise ValidationError({"participant": _("Choose a participant of this organization.")})
    earlier = (
        group.registrations.filter(participant=participant).first()
        if participant is not None
        else None
    )
    if earlier is not None and earlier.withdrawn_at is None:
        raise ValidationError({"participant": _("This person is already registered.")})
    taken = group.registrations.filter(withdrawn_at__isnull=True).count()
    if locked.capacity is not None and taken >= locked.capacity:
        raise ValidationError(
            _("The group is full: all %(places)s places are taken.") % {"places": locked.capacity}
        )
    if earlier is not None:
        record_update(earlier, actor=actor, fields=["withdrawn_at"], data={"withdrawn_at": None})
        registration = earlier
    else:
        registration = Registration(
            organization=group.organization, group=group, participant=participant
        )
        record_create(
            registration,
            actor=actor,
            fields=["first_name", "contact"],
            data={
                "first_name": "" if participant else first_name.strip(),
                "contact": "" if participant else contact.strip(),
            },
            organization=group.organization,
        )
    _send_private_link(group, _email_of(participant, contact))
    return registration


@transaction.atomic
def registration_withdraw(*, registration: Registration, actor: Any) -> Registration:
    """Take a registration back; its place frees up and the history stays."""
    if registration.withdrawn_at is None:
        record_update(
            registration,
            actor=actor,
            fields=["withdrawn_at"],
            data={"withdrawn_at": timezone.now()},
        )
    return registration


# --- Attendance ----------------------------------------------------------------------------


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
