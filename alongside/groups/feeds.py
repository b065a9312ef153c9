"""Public groups in the formats other tools read: the Meeting Guide JSON feed and one
iCalendar file per group.

The feed follows the Meeting Guide API of code4recovery's "spec" repository
(https://github.com/code4recovery/spec, README): weekly meetings only, ``day`` counted from
Sunday = 0, times as ``HH:MM`` on the meeting's clock, ``updated`` in UTC, type codes from the
spec's list. It names no person at all, which keeps the spec's "no last names" rule. An online
group's link and dial-in number are in it only when the group made them public.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from icalendar import Calendar, Event

from alongside.groups.models import Group, MeetingTime, Session
from alongside.groups.public import public_groups
from alongside.groups.schedule import scheduled_dates

# The spec's type codes that say who a group is for, from the directory's population codes.
TYPE_OF_POPULATION = {
    "men": "M",
    "women": "W",
    "lgbtq": "LGBTQ",
    "young_adults": "Y",
    "youth": "Y",
    "older_adults": "SEN",
}
# The spec's language types, by ISO 639-1 code.
TYPE_OF_LANGUAGE = {
    "en": "EN",
    "es": "S",
    "fr": "FR",
    "pt": "POR",
    "ru": "RUS",
    "pl": "POL",
    "de": "DE",
    "it": "ITA",
    "ja": "JA",
    "ko": "KOR",
    "uk": "UK",
    "hi": "HI",
    "asl": "ASL",
}
OPEN, CLOSED = "O", "C"


def spec_day(weekday: int) -> int:
    """``date.weekday()`` (Monday 0) as the spec counts (Sunday 0)."""
    return (weekday + 1) % 7


class WeeklyTime(NamedTuple):
    weekday: int
    start_time: time
    end_time: time
    updated_at: datetime


def feed_groups() -> QuerySet[Group]:
    """The public groups with what the feed reads of them (their times are read as plain
    rows by ``meeting_guide_feed``: thousands of model objects cost more than the query)."""
    return public_groups().prefetch_related("location__addresses")


def meeting_guide_feed(groups: QuerySet[Group], *, base_url: str, today: date) -> list[dict]:
    """One meeting per group and start time (a group meeting at one time on several days is
    one meeting with a list of days); groups with no weekly rule are left out, as the spec
    is for weekly meetings."""
    weekly: dict[object, list[WeeklyTime]] = defaultdict(list)
    rows = (
        MeetingTime.objects.with_scopes_disabled()
        .filter(group__in=groups.values("pk"), weekday__isnull=False)
        .exclude(ends_on__lt=today)
        .values_list("group_id", "weekday", "start_time", "end_time", "updated_at")
    )
    for group_id, *rest in rows:
        weekly[group_id].append(WeeklyTime(*rest))
    meetings: list[dict] = []
    for group in groups.order_by("name", "slug"):
        by_time: dict[tuple[time, time], list[WeeklyTime]] = defaultdict(list)
        for rule in weekly.get(group.pk, ()):
            by_time[(rule.start_time, rule.end_time)].append(rule)
        several = len(by_time) > 1
        for (start, end), rules in sorted(by_time.items()):
            days = sorted({spec_day(r.weekday) for r in rules})
            slug = f"{group.slug}-{start:%H%M}" if several else group.slug
            meetings.append(_meeting(group, rules, slug, days, start, end, base_url=base_url))
    return meetings


def _meeting(
    group: Group,
    rules: list[WeeklyTime],
    slug: str,
    days: list[int],
    start: time,
    end: time,
    *,
    base_url: str,
) -> dict[str, Any]:
    updated = max([group.updated_at, *(r.updated_at for r in rules)])
    meeting: dict[str, Any] = {
        "name": group.name,
        "slug": slug,
        "day": days[0] if len(days) == 1 else days,
        "time": f"{start:%H:%M}",
        "end_time": f"{end:%H:%M}",
        "timezone": group.timezone,
        "types": _types(group),
        "notes": _notes(group),
        "entity": group.organization.name,
        "updated": updated.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
        "url": f"{base_url}/groups/{group.slug}/",
    }
    if group.online and group.conference_public:
        if group.conference_url:
            meeting["conference_url"] = group.conference_url
        if group.conference_phone:
            meeting["conference_phone"] = group.conference_phone
    return meeting | _address(group)


def _types(group: Group) -> list[str]:
    types = [OPEN if group.is_open else CLOSED]
    types += [TYPE_OF_POPULATION[p] for p in group.populations if p in TYPE_OF_POPULATION]
    if group.language in TYPE_OF_LANGUAGE:
        types.append(TYPE_OF_LANGUAGE[group.language])
    return sorted(set(types))


def _notes(group: Group) -> str:
    notes = [group.description.strip()] if group.description.strip() else []
    if not group.is_open:
        notes.append("Closed group: for members only. Register first.")
    if group.online and not group.conference_public:
        notes.append("Online: register to get the link.")
    return "\n\n".join(notes)


def group_address(group: Group) -> dict[str, str]:
    """Where the group meets in person: its directory location's address, or its own."""
    if group.location is not None:
        address = next(iter(group.location.addresses.all()), None)
        if address is not None and not group.location.address_confidential:
            return {
                "location": group.location_name or group.location.name,
                "address": address.address_1,
                "city": address.city,
                "state": address.state_province,
                "postal_code": address.postal_code,
            }
    return {
        "location": group.location_name,
        "address": group.address,
        "city": group.city,
        "state": group.state,
        "postal_code": group.postal_code,
    }


def _address(group: Group) -> dict[str, str]:
    where = group_address(group)
    if group.in_person:
        return {k: v for k, v in where.items() if v} | {"country": "US", "approximate": "no"}
    # Online only: the spec asks for an approximate place it is held from, as one line.
    state = where["state"] or group.organization.state
    town = ", ".join(part for part in (where["city"], state) if part)
    return {"formatted_address": f"{town}, USA" if town else "USA", "approximate": "yes"}


# --- iCalendar --------------------------------------------------------------------------------


def group_calendar(group: Group, *, url: str) -> bytes:
    """The group's schedule as iCalendar: a weekly rule is one repeating event (RRULE) with its
    cancelled dates left out (EXDATE) and its moved dates given again (RECURRENCE-ID); a
    one-off date is one event. UIDs are the rules' ids, so calendars update in place."""
    zone = ZoneInfo(group.timezone)
    rules = list(MeetingTime.objects.with_scopes_disabled().filter(group=group))
    sessions = list(Session.objects.with_scopes_disabled().filter(group=group))
    calendar = Calendar()
    calendar.add("prodid", "-//Alongside//Groups//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", group.name)
    calendar.add("x-wr-timezone", group.timezone)
    stamp = group.updated_at.astimezone(UTC)
    where = _calendar_location(group)
    for rule in rules:
        uid = f"{rule.id}@alongside"
        first = _first_date(rule, zone)
        event = _event(group, uid, stamp, url, where)
        own = [
            s for s in sessions if any(scheduled_dates(rule, s.scheduled_date, s.scheduled_date))
        ]
        if rule.weekday is None:
            # One date: the event itself says when it meets now, or that it is cancelled.
            session = own[0] if own else None
            day, start, end = first, rule.start_time, rule.end_time
            if session is not None:
                day, start, end = session.date, session.start_time, session.end_time
                if session.cancelled:
                    event.add("status", "CANCELLED")
            event.add("dtstart", datetime.combine(day, start, zone))
            event.add("dtend", datetime.combine(day, end, zone))
            calendar.add_component(event)
            continue
        event.add("dtstart", datetime.combine(first, rule.start_time, zone))
        event.add("dtend", datetime.combine(first, rule.end_time, zone))
        recurrence: dict[str, Any] = {"freq": "weekly", "byday": _BYDAY[rule.weekday]}
        if rule.ends_on:
            last = datetime.combine(rule.ends_on, rule.start_time, zone)
            recurrence["until"] = last.astimezone(UTC)
        event.add("rrule", recurrence)
        cancelled = sorted(s.scheduled_date for s in own if s.cancelled)
        if cancelled:
            event.add("exdate", [datetime.combine(d, rule.start_time, zone) for d in cancelled])
        calendar.add_component(event)
        for session in sorted(own, key=lambda s: s.scheduled_date):
            moved = (session.date, session.start_time) != (session.scheduled_date, rule.start_time)
            if session.cancelled or not (moved or session.end_time != rule.end_time):
                continue
            override = _event(group, uid, stamp, url, where)
            override.add(
                "recurrence-id", datetime.combine(session.scheduled_date, rule.start_time, zone)
            )
            override.add("dtstart", datetime.combine(session.date, session.start_time, zone))
            override.add("dtend", datetime.combine(session.date, session.end_time, zone))
            if session.public_note:
                override["description"] = f"{session.public_note}\n\n{override['description']}"
            calendar.add_component(override)
    calendar.add_missing_timezones()
    return calendar.to_ical()


_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _first_date(rule: MeetingTime, zone: ZoneInfo) -> date:
    """Where a rule's repetition starts: its first date, else the week it was made in."""
    if rule.weekday is None:
        assert rule.date is not None
        return rule.date
    start = rule.starts_on or rule.created_at.astimezone(zone).date() - timedelta(days=6)
    return start + timedelta(days=(rule.weekday - start.weekday()) % 7)


def _event(group: Group, uid: str, stamp: datetime, url: str, where: str) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", group.name)
    event.add("description", _calendar_description(group))
    event.add("url", url)
    if where:
        event.add("location", where)
    return event


def _calendar_location(group: Group) -> str:
    parts = []
    if group.in_person:
        where = group_address(group)
        street = ", ".join(p for p in (where["location"], where["address"], where["city"]) if p)
        parts.append(" ".join(p for p in (street, where["state"], where["postal_code"]) if p))
    if group.online:
        parts.append(
            group.conference_url if group.conference_public and group.conference_url else "Online"
        )
    return " · ".join(p for p in parts if p)


def _calendar_description(group: Group) -> str:
    lines = [group.description.strip()] if group.description.strip() else []
    if group.online:
        if group.conference_public:
            lines += [f"Join online: {group.conference_url}"] if group.conference_url else []
            lines += [f"Dial in: {group.conference_phone}"] if group.conference_phone else []
        else:
            lines.append("Online: register to get the link.")
    lines.append("Open: anyone may come." if group.is_open else "Closed: members only.")
    return "\n\n".join(lines)
