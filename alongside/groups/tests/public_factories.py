"""Groups for the tests of the public side, made with the ORM (the staff services are
another module's)."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from alongside.groups.models import Group, MeetingTime, Session

EVENING = (time(18), time(19))


def public_group(
    org: Any, *weekdays: int, times: tuple[time, time] = EVENING, **fields: Any
) -> Group:
    """A public, open group in Concord, NH (fictional), meeting weekly on ``weekdays``."""
    values: dict[str, Any] = {
        "name": "Tuesday Night Recovery Circle (sample)",
        "slug": "tuesday-circle",
        "description": "We share how the week went. Sample data: this group is fictional.",
        "kind": Group.Kind.PEER_SUPPORT,
        "format": Group.Format.IN_PERSON,
        "location_name": "Fictional Community Hall",
        "address": "12 Example Street",
        "city": "Concord",
        "state": "NH",
        "postal_code": "03301",
        "timezone": "America/New_York",
        "listed_publicly": True,
    }
    group = Group.objects.create(organization=org, **(values | fields))
    for weekday in weekdays:
        MeetingTime.objects.create(
            organization=org, group=group, weekday=weekday, start_time=times[0], end_time=times[1]
        )
    return group


def online_group(org: Any, *weekdays: int, **fields: Any) -> Group:
    values: dict[str, Any] = {
        "name": "Online Men's Circle (sample)",
        "slug": "online-mens-circle",
        "format": Group.Format.ONLINE,
        "location_name": "",
        "address": "",
        "city": "",
        "postal_code": "",
        "conference_url": "https://video.example.org/j/5550142",
        "conference_phone": "603-555-0142",
        "populations": ["men"],
    }
    return public_group(org, *weekdays, **(values | fields))


def session(group: Group, on: date, **fields: Any) -> Session:
    rule = group.meeting_times.first()
    values: dict[str, Any] = {
        "scheduled_date": on,
        "date": on,
        "start_time": rule.start_time if rule else time(18),
        "end_time": rule.end_time if rule else time(19),
    }
    return Session.objects.create(organization=group.organization, group=group, **(values | fields))
