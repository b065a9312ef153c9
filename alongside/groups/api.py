"""The groups API under ``/api/v1/groups…`` (see docs/groups.md, *API*).

Tokens whose roles open care records (peer specialists, supervisors, organization admins) use
it, as they take attendance on the pages. A group, date or participant of another organization
answers 404. Taking attendance with a note that names someone else on the session's list
answers 409 with the warning, unless the body says ``confirm_names: true``.
"""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from alongside.care.access import participants_visible_to
from alongside.care.api.common import READ, WRITE, care_membership, field_error, run_service
from alongside.care.api.fields import (
    CategoryChoice,
    ClockTime,
    Day,
    In,
    LocalTimeOut,
    choices_enum,
    words,
    writes,
)
from alongside.care.models import Participant
from alongside.core.tenancy import get_for_org_or_404
from alongside.groups import attendance as taking
from alongside.groups import services
from alongside.groups.models import Group
from alongside.groups.schedule import occurrences

if TYPE_CHECKING:
    from alongside.core.tenancy import StaffRequest

router = Router(tags=["groups"])

GroupKindChoice = choices_enum("GroupKind", Group.Kind)
GroupFormatChoice = choices_enum("GroupFormat", Group.Format)
SLUG = r"^[-a-zA-Z0-9_]+$"
# The longest range of dates one request for sessions may ask about.
LONGEST_RANGE = timedelta(days=366)


# --- Schemas ------------------------------------------------------------------------------


class GroupMeetingTimeIn(In):
    weekday: int | None = Field(
        None, ge=0, le=6, description="Weekly on this day: 0 Monday … 6 Sunday. Or give `date`."
    )
    date: Day | None = Field(None, description="Once, on this date. Or give `weekday`.")
    start_time: ClockTime
    end_time: ClockTime
    starts_on: Day | None = Field(None, description="A weekly rule holds from this date.")
    ends_on: Day | None = Field(None, description="A weekly rule holds until this date.")


class GroupMeetingTimeOut(Schema):
    weekday: int | None
    date: dt.date | None
    start_time: LocalTimeOut
    end_time: LocalTimeOut
    starts_on: dt.date | None
    ends_on: dt.date | None


EXTRA = ("meeting_times", "facilitators")


@writes(services.GROUP_FIELDS, extra=EXTRA)
class GroupCreateIn(In):
    name: str = words(200, default=..., min_length=1)
    slug: str = Field(..., min_length=1, max_length=80, pattern=SLUG)
    description: str = words(5000)
    kind: GroupKindChoice  # type: ignore[valid-type]
    service_category: CategoryChoice = Field(  # type: ignore[valid-type]
        "education", description="What each attendee's group note is tagged with."
    )
    focus: list[str] = Field(default_factory=list, max_length=10)
    populations: list[str] = Field(default_factory=list, max_length=20)
    is_open: bool = Field(True, description="Open: anyone may come. Closed: members only.")
    format: GroupFormatChoice  # type: ignore[valid-type]
    location_name: str = words(200)
    address: str = words(200)
    city: str = words(100)
    state: str = words(2)
    postal_code: str = words(10)
    conference_url: str = words(200)
    conference_phone: str = words(60)
    conference_public: bool = Field(
        False, description="Show the online link publicly; otherwise registered people get it."
    )
    capacity: int | None = Field(None, ge=1, le=10000)
    language: str = words(10, default="en")
    timezone: str = Field("America/New_York", max_length=64, description="An IANA time zone name.")
    listed_publicly: bool = False
    active: bool = True
    meeting_times: list[GroupMeetingTimeIn] = Field(default_factory=list, max_length=50)
    facilitators: list[str] = Field(
        default_factory=list, max_length=20, description="Usernames of facilitators."
    )


@writes(services.GROUP_FIELDS, extra=EXTRA)
class GroupPatchIn(In):
    name: str | None = words(200, default=None, min_length=1)
    slug: str | None = Field(None, min_length=1, max_length=80, pattern=SLUG)
    description: str | None = words(5000, default=None)
    kind: GroupKindChoice | None = None  # type: ignore[valid-type]
    service_category: CategoryChoice | None = None  # type: ignore[valid-type]
    focus: list[str] | None = Field(None, max_length=10)
    populations: list[str] | None = Field(None, max_length=20)
    is_open: bool | None = None
    format: GroupFormatChoice | None = None  # type: ignore[valid-type]
    location_name: str | None = words(200, default=None)
    address: str | None = words(200, default=None)
    city: str | None = words(100, default=None)
    state: str | None = words(2, default=None)
    postal_code: str | None = words(10, default=None)
    conference_url: str | None = words(200, default=None)
    conference_phone: str | None = words(60, default=None)
    conference_public: bool | None = None
    capacity: int | None = Field(None, ge=1, le=10000, description="null: no limit.")
    language: str | None = words(10, default=None)
    timezone: str | None = Field(None, max_length=64)
    listed_publicly: bool | None = None
    active: bool | None = None
    meeting_times: list[GroupMeetingTimeIn] | None = Field(
        None, max_length=50, description="Replaces the whole schedule when given."
    )
    facilitators: list[str] | None = Field(None, max_length=20)


class GroupDetailOut(Schema):
    id: UUID
    name: str
    slug: str
    description: str
    kind: str
    service_category: str
    focus: list[str]
    populations: list[str]
    is_open: bool
    format: str
    location_name: str
    address: str
    city: str
    state: str
    postal_code: str
    conference_url: str
    conference_phone: str
    conference_public: bool
    capacity: int | None
    language: str
    timezone: str
    listed_publicly: bool
    active: bool
    meeting_times: list[GroupMeetingTimeOut]
    facilitators: list[str]
    updated_at: datetime

    @staticmethod
    def resolve_meeting_times(obj: Group) -> list[Any]:
        return list(obj.meeting_times.all())

    @staticmethod
    def resolve_facilitators(obj: Group) -> list[str]:
        return sorted(u.get_username() for u in obj.facilitators.all())


class GroupSessionsQuery(Schema):
    from_: Day | None = Field(None, alias="from", description="First date; today if left out.")
    to: Day | None = Field(None, description="Last date; four weeks after `from` if left out.")


class GroupSessionOut(Schema):
    scheduled_date: date = Field(..., description="The date the schedule gave; its identity.")
    date: date
    start_time: LocalTimeOut
    end_time: LocalTimeOut
    cancelled: bool
    moved: bool
    public_note: str
    walk_ins: int
    attendance_taken: bool


class GroupAttendanceIn(In):
    present: list[UUID] = Field(default_factory=list, max_length=500)
    absent: list[UUID] = Field(default_factory=list, max_length=500)
    excused: list[UUID] = Field(default_factory=list, max_length=500)
    walk_ins: int = Field(0, ge=0, le=10000, description="People who came and are not named.")
    summary: str = words(20000)
    notes: dict[UUID, str] = Field(
        default_factory=dict,
        max_length=500,
        description="A short note for someone present, by participant id. It must not name "
        "anyone else on the session's list.",
    )
    confirm_names: bool = Field(
        False,
        description="Save even though a note contains the name of someone else on the list "
        "(otherwise that answers 409 with the warning).",
    )


class GroupAttendanceOut(Schema):
    headcount: int = Field(..., description="Those present plus the walk-ins.")
    encounters: list[UUID] = Field(..., description="The group encounters of those present.")


# --- Helpers ------------------------------------------------------------------------------


def _group(request: StaffRequest, group_id: UUID) -> Group:
    care_membership(request)
    return get_for_org_or_404(Group, request.organization, pk=group_id)


def _facilitators(request: StaffRequest, usernames: list[str]) -> list[Any]:
    allowed = {u.get_username(): u for u in services.facilitator_choices(request.organization)}
    users = [allowed[name] for name in set(usernames) if name in allowed]
    if len(users) != len(set(usernames)):
        raise field_error(
            "facilitators", _("Facilitators are peer specialists, supervisors or admins here.")
        )
    return users


def _group_call(request: StaffRequest, data: dict[str, Any]) -> dict[str, Any]:
    """The service's keywords from a payload: the fields, the schedule and the facilitators."""
    rows = data.pop("meeting_times", None)
    usernames = data.pop("facilitators", None)
    return {
        "data": data,
        "meeting_times": rows,
        "facilitators": None if usernames is None else _facilitators(request, usernames),
    }


def _participants(
    request: StaffRequest, roster: list[Participant], ids: set[UUID]
) -> dict[UUID, Participant]:
    """The participants named by id: on the session's list, or visible to the token; else 404."""
    if not ids:
        return {}
    found = {p.pk: p for p in roster if p.pk in ids}
    missing = ids - set(found)
    if missing:
        found |= {
            p.pk: p for p in participants_visible_to(request.membership).filter(pk__in=missing)
        }
    if set(found) != ids:
        raise HttpError(404, _("No such participant."))
    return found


# --- Routes -------------------------------------------------------------------------------


@router.get("/groups", response={200: list[GroupDetailOut], **READ})
def groups_list(request: StaffRequest) -> Any:
    """The organization's groups."""
    care_membership(request)
    return list(Group.objects.prefetch_related("meeting_times", "facilitators"))


@router.post("/groups", response={201: GroupDetailOut, **WRITE})
def group_create(request: StaffRequest, payload: GroupCreateIn) -> Any:
    """Create a group with its schedule (weekly rules and one-off dates) and facilitators."""
    care_membership(request)
    with transaction.atomic():
        call = _group_call(request, payload.model_dump())
        group = run_service(
            services.group_create,
            organization=request.organization,
            actor=request.user,
            data=call["data"],
            meeting_times=call["meeting_times"] or (),
            facilitators=call["facilitators"] or (),
        )
    return Status(201, group)


@router.get("/groups/{id}", response={200: GroupDetailOut, **READ})
def group_detail(request: StaffRequest, id: UUID) -> Any:  # noqa: A002 -- the path's name
    return _group(request, id)


@router.patch("/groups/{id}", response={200: GroupDetailOut, **WRITE})
def group_patch(request: StaffRequest, id: UUID, payload: GroupPatchIn) -> Any:  # noqa: A002
    """Change the fields sent; ``meeting_times`` replaces the whole schedule."""
    group = _group(request, id)
    data = payload.model_dump(exclude_unset=True)
    nullable = {"capacity", "meeting_times", "facilitators"}
    for name, value in list(data.items()):
        if value is None and name not in nullable:
            raise field_error(name, _("This field cannot be null."))
    if data.get("meeting_times") is None and "meeting_times" in data:
        data["meeting_times"] = []
    if data.get("facilitators") is None and "facilitators" in data:
        data["facilitators"] = []
    with transaction.atomic():
        run_service(
            services.group_update, group=group, actor=request.user, **_group_call(request, data)
        )
    group.refresh_from_db()
    return group


@router.get("/groups/{id}/sessions", response={200: list[GroupSessionOut], **READ})
def group_sessions(
    request: StaffRequest,
    id: UUID,  # noqa: A002 -- the path's name
    params: Query[GroupSessionsQuery],
) -> Any:
    """The occurrences from ``from`` to ``to``, cancelled and moved ones included."""
    group = _group(request, id)
    first = params.from_ or timezone.localdate()
    last = params.to or first + timedelta(days=28)
    if last < first:
        raise field_error("to", _("The last date is before the first."))
    if last - first > LONGEST_RANGE:
        raise field_error("to", _("Ask for a year of dates or less at a time."))
    return [
        {
            "scheduled_date": o.scheduled_date,
            "date": o.date,
            "start_time": o.start_time,
            "end_time": o.end_time,
            "cancelled": o.cancelled,
            "moved": o.moved,
            "public_note": o.session.public_note if o.session else "",
            "walk_ins": o.session.walk_ins if o.session else 0,
            "attendance_taken": bool(o.session and o.session.attendance_taken_at),
        }
        for o in occurrences(group, first, last)
    ]


@router.put(
    "/groups/{id}/sessions/{date}/attendance",
    response={200: GroupAttendanceOut, **WRITE},
)
def attendance_put(
    request: StaffRequest,
    id: UUID,  # noqa: A002 -- the path's name
    date: Day,
    payload: GroupAttendanceIn,
) -> Any:
    """Take (or take again) attendance for the date the schedule gives: a group encounter for
    each participant present. The lists replace what was recorded; 409 when a note names
    someone else on the list, unless ``confirm_names``."""
    group = _group(request, id)
    with transaction.atomic():
        if not any(o.scheduled_date == date for o in occurrences(group, date, date)) and not (
            group.sessions.filter(scheduled_date=date).exists()
        ):
            raise HttpError(404, _("The group does not meet on that date."))
        session = run_service(
            services.session_get_or_create, group=group, scheduled_date=date, actor=request.user
        )
        roster = taking.roster(session)
        ids = {*payload.present, *payload.absent, *payload.excused, *payload.notes}
        people = _participants(request, roster, ids)
        taken = run_service(
            taking.attendance_take,
            session=session,
            actor=request.user,
            present=[people[i] for i in payload.present],
            absent=[people[i] for i in payload.absent],
            excused=[people[i] for i in payload.excused],
            walk_ins=payload.walk_ins,
            summary=payload.summary,
            notes={people[i]: text for i, text in payload.notes.items()},
            confirm_names=payload.confirm_names,
        )
    return {"headcount": taken.headcount, "encounters": taken.encounters}
