"""What a schedule says: weekly rules across daylight-saving changes, one-off dates, and the
sessions kept for a single date (cancelled or moved)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from alongside.groups.models import Group, MeetingTime, Session
from alongside.groups.schedule import next_occurrence, occurrences

pytestmark = pytest.mark.django_db

EVENING = (time(18), time(19))


def make_group(org, *weekdays: int, **fields) -> Group:
    group = Group.objects.create(
        organization=org,
        name="Tuesday Night Recovery Circle (sample)",
        slug=fields.pop("slug", "tuesday-circle"),
        kind=Group.Kind.PEER_SUPPORT,
        format=Group.Format.IN_PERSON,
        city="Concord",
        state="NH",
        timezone="America/New_York",
        **fields,
    )
    for weekday in weekdays:
        MeetingTime.objects.create(
            organization=org,
            group=group,
            weekday=weekday,
            start_time=EVENING[0],
            end_time=EVENING[1],
        )
    return group


def test_weekly_time_holds_across_the_autumn_change(in_org) -> None:
    group = make_group(in_org, MeetingTime.Weekday.TUESDAY)
    # 2026-11-01 is the first Sunday of November: clocks go back between these Tuesdays.
    before, after = occurrences(group, date(2026, 10, 27), date(2026, 11, 3))
    assert (before.date, after.date) == (date(2026, 10, 27), date(2026, 11, 3))
    assert before.starts_at.hour == after.starts_at.hour == 18
    assert before.starts_at.astimezone(UTC).hour == 22  # EDT, UTC-4
    assert after.starts_at.astimezone(UTC).hour == 23  # EST, UTC-5


def test_weekly_time_holds_across_the_spring_change(in_org) -> None:
    group = make_group(in_org, MeetingTime.Weekday.TUESDAY)
    # 2027-03-14 is the second Sunday of March: clocks go forward.
    before, after = occurrences(group, date(2027, 3, 9), date(2027, 3, 16))
    assert before.starts_at.astimezone(UTC).hour == 23
    assert after.starts_at.astimezone(UTC).hour == 22


def test_a_group_on_monday_and_wednesday(in_org) -> None:
    group = make_group(in_org, MeetingTime.Weekday.MONDAY, MeetingTime.Weekday.WEDNESDAY)
    found = occurrences(group, date(2026, 12, 7), date(2026, 12, 20))
    assert [o.date.isoformat() for o in found] == [
        "2026-12-07",
        "2026-12-09",
        "2026-12-14",
        "2026-12-16",
    ]


def test_a_one_off_date_and_the_rule_limits(in_org) -> None:
    group = make_group(in_org)
    MeetingTime.objects.create(
        organization=in_org,
        group=group,
        date=date(2026, 12, 12),
        start_time=time(10),
        end_time=time(12),
    )
    MeetingTime.objects.create(
        organization=in_org,
        group=group,
        weekday=MeetingTime.Weekday.THURSDAY,
        start_time=EVENING[0],
        end_time=EVENING[1],
        starts_on=date(2026, 12, 10),
        ends_on=date(2026, 12, 17),
    )
    found = occurrences(group, date(2026, 12, 1), date(2026, 12, 31))
    assert [o.date.day for o in found] == [10, 12, 17]


def test_a_cancelled_session_stays_listed_as_cancelled(in_org) -> None:
    group = make_group(in_org, MeetingTime.Weekday.TUESDAY)
    Session.objects.create(
        organization=in_org,
        group=group,
        scheduled_date=date(2026, 12, 22),
        date=date(2026, 12, 22),
        start_time=EVENING[0],
        end_time=EVENING[1],
        cancelled=True,
    )
    found = occurrences(group, date(2026, 12, 15), date(2026, 12, 29))
    assert [(o.date.day, o.cancelled) for o in found] == [(15, False), (22, True), (29, False)]
    now = datetime(2026, 12, 16, tzinfo=UTC)
    assert next_occurrence(group, now).date == date(2026, 12, 29)


def test_a_moved_session_appears_on_its_new_date_only(in_org) -> None:
    group = make_group(in_org, MeetingTime.Weekday.TUESDAY)
    Session.objects.create(
        organization=in_org,
        group=group,
        scheduled_date=date(2026, 12, 29),
        date=date(2027, 1, 2),
        start_time=time(11),
        end_time=time(12),
    )
    december = occurrences(group, date(2026, 12, 20), date(2026, 12, 31))
    assert [o.date.day for o in december] == [22]
    january = occurrences(group, date(2027, 1, 1), date(2027, 1, 6))
    moved = january[0]
    assert (moved.date, moved.start_time, moved.moved) == (date(2027, 1, 2), time(11), True)
    assert moved.scheduled_at == datetime(2026, 12, 29, 18, tzinfo=moved.starts_at.tzinfo)
    assert [o.date.day for o in january] == [2, 5]
    assert not january[1].moved
