"""Writes for groups: a group and its schedule, single dates and registrations.

Rules:
- A session row is made only when a date needs one (to cancel or move it, take attendance, or
  open walk-in check-in), never a year of rows up front: ``session_get_or_create``.
- Attendance and walk-ins are in ``groups/attendance.py``.
- A private online link is e-mailed to a person who registers with an e-mail address, after
  the transaction commits; the e-mail holds the group's name and the link, nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.care.access import CARE_ROLES
from alongside.care.models import Participant
from alongside.core.audit import Action, audit_record
from alongside.core.models import Organization
from alongside.core.notifications import members_with_role
from alongside.core.records import record_create, record_update
from alongside.directory.taxonomy import codes
from alongside.groups.listing import group_listing_sync
from alongside.groups.models import Group, MeetingTime, Registration, Session
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
