"""What the public may read of groups: only those listed publicly and meeting now, across every
organization (public pages have no organization scope), and nothing about who comes.

Days and parts of the day are the directory search's (``directory.day_parts``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from alongside.directory.day_parts import BAND_BY_CODE, WEEKDAY_BY_CODE
from alongside.groups.models import Group, MeetingTime, Session
from alongside.groups.schedule import Occurrence, occurrences

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# How far ahead a group's page lists its sessions.
UPCOMING_DAYS = 42

FORMATS: tuple[tuple[str, StrOrPromise], ...] = (
    ("in_person", _("In person (also groups that meet both ways)")),
    ("online", _("Online (also groups that meet both ways)")),
    ("hybrid", _("Both in person and online")),
)


def public_groups() -> QuerySet[Group]:
    """Every group listed publicly and meeting now, of any organization."""
    return (
        Group.objects.with_scopes_disabled()
        .filter(listed_publicly=True, active=True)
        .select_related("organization", "location")
    )


def public_group_or_none(slug: str) -> Group | None:
    return public_groups().filter(slug=slug).first()


def public_groups_filtered(
    *,
    day: str = "",
    time_of_day: str = "",
    meets: str = "",
    focus: str = "",
    population: str = "",
    open_only: bool = False,
    today: date,
) -> QuerySet[Group]:
    """Public groups that meet on ``day`` ("tue"), start in ``time_of_day`` ("evening") (both
    on the same rule when both are asked), meet in the format ``meets``, and carry the
    directory codes ``focus`` and ``population``."""
    groups = public_groups()
    if open_only:
        groups = groups.filter(is_open=True)
    if focus or population:
        # Codes are kept as JSON lists, which SQLite cannot search inside: match on the text
        # of the quoted code, then keep only exact members.
        for field, code in (("focus", focus), ("populations", population)):
            if code:
                groups = groups.filter(**{f"{field}__icontains": f'"{code}"'})
    if meets == Group.Format.HYBRID:
        groups = groups.filter(format=Group.Format.HYBRID)
    elif meets in {Group.Format.IN_PERSON, Group.Format.ONLINE}:
        groups = groups.filter(format__in=[meets, Group.Format.HYBRID])
    if day or time_of_day:
        rules = MeetingTime.objects.with_scopes_disabled().filter(group=OuterRef("pk"))
        rules = rules.filter(Q(weekday__isnull=False) | Q(date__gte=today))
        rules = rules.exclude(ends_on__lt=today)
        if day in WEEKDAY_BY_CODE:
            weekday = WEEKDAY_BY_CODE[day]
            # Django's ``week_day`` counts from Sunday = 1.
            rules = rules.filter(Q(weekday=weekday) | Q(date__week_day=(weekday + 1) % 7 + 1))
        if time_of_day in BAND_BY_CODE:
            rules = rules.filter(BAND_BY_CODE[time_of_day].q("start_time"))
        groups = groups.filter(Exists(rules))
    return groups


def with_schedules(groups: QuerySet[Group], first: date, last: date) -> QuerySet[Group]:
    """The groups with their rules and the sessions that may touch ``first``–``last``."""
    sessions = Session.objects.with_scopes_disabled().filter(
        Q(date__range=(first, last)) | Q(scheduled_date__range=(first, last))
    )
    return groups.prefetch_related(
        Prefetch("meeting_times", queryset=MeetingTime.objects.with_scopes_disabled().all()),
        Prefetch("sessions", queryset=sessions),
    )


def upcoming(group: Group, now: datetime, days: int = UPCOMING_DAYS) -> list[Occurrence]:
    """The group's sessions from today (on its clock) for ``days``, cancelled ones included;
    ``group`` comes from ``with_schedules`` over at least that range."""
    today = now.astimezone(ZoneInfo(group.timezone)).date()
    found = occurrences(
        group,
        today,
        today + timedelta(days=days),
        rules=group.meeting_times.all(),
        sessions=group.sessions.all(),
    )
    return [o for o in found if o.ends_at > now]


def next_session(group: Group, now: datetime, days: int = UPCOMING_DAYS) -> Occurrence | None:
    return next((o for o in upcoming(group, now, days) if not o.cancelled), None)
