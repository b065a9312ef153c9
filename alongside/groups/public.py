"""What the public may read of groups: only those listed publicly and meeting now, across every
organization (public pages have no organization scope), and nothing about who comes.

The time-of-day bands are defined here once; the list page says them in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from alongside.groups.models import Group, MeetingTime, Session
from alongside.groups.schedule import Occurrence, occurrences

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# How far ahead a group's page lists its sessions.
UPCOMING_DAYS = 42


@dataclass(frozen=True)
class Band:
    code: str
    label: StrOrPromise
    starts: time
    ends: time  # not included; a band that ends before it starts runs past midnight

    def holds(self, moment: time) -> bool:
        if self.starts < self.ends:
            return self.starts <= moment < self.ends
        return moment >= self.starts or moment < self.ends

    def q(self, field: str) -> Q:
        if self.starts < self.ends:
            return Q(**{f"{field}__gte": self.starts, f"{field}__lt": self.ends})
        return Q(**{f"{field}__gte": self.starts}) | Q(**{f"{field}__lt": self.ends})


# By the time a group starts, on its own clock.
TIME_OF_DAY: tuple[Band, ...] = (
    Band("morning", _("Morning (5 AM to noon)"), time(5), time(12)),
    Band("afternoon", _("Afternoon (noon to 5 PM)"), time(12), time(17)),
    Band("evening", _("Evening (5 PM to 9 PM)"), time(17), time(21)),
    Band("night", _("Night (9 PM to 5 AM)"), time(21), time(5)),
)
BAND_BY_CODE = {band.code: band for band in TIME_OF_DAY}

# Days as links and forms spell them; the number is ``date.weekday()`` (Monday 0).
DAYS: tuple[tuple[str, int, StrOrPromise], ...] = (
    ("mon", 0, _("Monday")),
    ("tue", 1, _("Tuesday")),
    ("wed", 2, _("Wednesday")),
    ("thu", 3, _("Thursday")),
    ("fri", 4, _("Friday")),
    ("sat", 5, _("Saturday")),
    ("sun", 6, _("Sunday")),
)
WEEKDAY_BY_CODE = {code: number for code, number, _label in DAYS}

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
    *, day: str = "", time_of_day: str = "", meets: str = "", today: date
) -> QuerySet[Group]:
    """Public groups that meet on ``day`` ("tue"), start in ``time_of_day`` ("evening") (both
    on the same rule when both are asked), and meet in the format ``meets``."""
    groups = public_groups()
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
