"""What a group's schedule says for a range of dates: its rules, with the sessions kept for
single dates (cancelled or moved) laid over them. Nothing here writes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from alongside.groups.models import Group, MeetingTime, Session


@dataclass(frozen=True)
class Occurrence:
    group: Group
    scheduled_date: date
    # When the schedule put it; the next three say when it meets (different when moved).
    scheduled_start: time
    date: date
    start_time: time
    end_time: time
    cancelled: bool = False
    session: Session | None = None

    @property
    def moved(self) -> bool:
        return (self.date, self.start_time) != (self.scheduled_date, self.scheduled_start)

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.date, self.start_time, ZoneInfo(self.group.timezone))

    @property
    def ends_at(self) -> datetime:
        return datetime.combine(self.date, self.end_time, ZoneInfo(self.group.timezone))

    @property
    def scheduled_at(self) -> datetime:
        """When the schedule put it (a calendar's RECURRENCE-ID for a moved one)."""
        return datetime.combine(
            self.scheduled_date, self.scheduled_start, ZoneInfo(self.group.timezone)
        )


def scheduled_dates(rule: MeetingTime, first: date, last: date) -> Iterable[date]:
    """The dates from ``first`` to ``last`` (inclusive) on which a rule puts the group."""
    if rule.weekday is None:
        if rule.date is not None and first <= rule.date <= last:
            yield rule.date
        return
    start = max(first, rule.starts_on) if rule.starts_on else first
    end = min(last, rule.ends_on) if rule.ends_on else last
    day = start + timedelta(days=(rule.weekday - start.weekday()) % 7)
    while day <= end:
        yield day
        day += timedelta(days=7)


def occurrences(
    group: Group,
    first: date,
    last: date,
    *,
    rules: Iterable[MeetingTime] | None = None,
    sessions: Iterable[Session] | None = None,
) -> list[Occurrence]:
    """Every occurrence of ``group`` that is scheduled, or moved, into ``first``–``last``.

    ``rules`` and ``sessions`` may be given when they were read already (prefetched, for a
    list of groups); otherwise they are read here, in two queries. A session moved in from a
    scheduled date outside the range still shows; one moved out of it does not.
    """
    if rules is None:
        rules = group.meeting_times.all()
    if sessions is None:
        sessions = group.sessions.all()
    rules = list(rules)
    found: dict[date, Occurrence] = {}
    for each in rules:
        for day in scheduled_dates(each, first, last):
            found.setdefault(
                day, Occurrence(group, day, each.start_time, day, each.start_time, each.end_time)
            )
    for session in sessions:
        scheduled = session.scheduled_date
        if not first <= session.date <= last:
            found.pop(scheduled, None)
            continue
        rule = next((r for r in rules if any(scheduled_dates(r, scheduled, scheduled))), None)
        found[scheduled] = Occurrence(
            group,
            scheduled,
            rule.start_time if rule else session.start_time,
            session.date,
            session.start_time,
            session.end_time,
            session.cancelled,
            session,
        )
    return sorted(found.values(), key=lambda o: (o.date, o.start_time))


def next_occurrence(group: Group, after: datetime, *, days: int = 56) -> Occurrence | None:
    """The first occurrence not cancelled that has not ended by ``after``, within ``days``."""
    zone = ZoneInfo(group.timezone)
    today = after.astimezone(zone).date()
    for occurrence in occurrences(group, today, today + timedelta(days=days)):
        if not occurrence.cancelled and occurrence.ends_at > after:
            return occurrence
    return None
