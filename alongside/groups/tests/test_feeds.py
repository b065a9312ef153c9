"""The Meeting Guide feed (/api/meeting-guide.json) and each group's iCalendar file."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from alongside.groups.models import Group, MeetingTime
from alongside.groups.tests.public_factories import online_group, public_group, session

pytestmark = pytest.mark.django_db

TUESDAY, MONDAY, WEDNESDAY = (
    MeetingTime.Weekday.TUESDAY,
    MeetingTime.Weekday.MONDAY,
    MeetingTime.Weekday.WEDNESDAY,
)
FEED = "/api/meeting-guide.json"


def feed(client: Client) -> dict[str, dict]:
    response = client.get(FEED)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return {meeting["slug"]: meeting for meeting in response.json()}


def test_a_tuesday_evening_open_group(in_org, client, settings) -> None:
    settings.ALONGSIDE_SITE_URL = "https://alongside.example.org"
    public_group(in_org, TUESDAY)
    meeting = feed(client)["tuesday-circle"]
    assert meeting["name"] == "Tuesday Night Recovery Circle (sample)"
    assert (meeting["day"], meeting["time"], meeting["end_time"]) == (2, "18:00", "19:00")
    assert meeting["timezone"] == "America/New_York"
    assert "O" in meeting["types"] and "C" not in meeting["types"]
    assert (meeting["address"], meeting["city"], meeting["state"]) == (
        "12 Example Street",
        "Concord",
        "NH",
    )
    assert (meeting["postal_code"], meeting["country"]) == ("03301", "US")
    assert meeting["location"] == "Fictional Community Hall"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", meeting["updated"])
    assert meeting["url"] == "https://alongside.example.org/groups/tuesday-circle/"
    assert "conference_url" not in meeting


def test_updated_is_utc(in_org, client) -> None:
    group = public_group(in_org, TUESDAY)
    Group.objects.filter(pk=group.pk).update(
        updated_at=datetime(2026, 7, 1, 20, 15, 5, tzinfo=ZoneInfo("America/New_York"))
    )
    MeetingTime.objects.filter(group=group).update(
        updated_at=datetime(2026, 6, 1, tzinfo=ZoneInfo("UTC"))
    )
    assert feed(client)["tuesday-circle"]["updated"] == "2026-07-02 00:15:05"


def test_a_group_on_monday_and_wednesday_is_one_meeting_with_two_days(in_org, client) -> None:
    public_group(in_org, MONDAY, WEDNESDAY, slug="mon-wed")
    assert feed(client)["mon-wed"]["day"] == [1, 3]


def test_a_closed_group_says_so(in_org, client) -> None:
    public_group(in_org, TUESDAY, is_open=False)
    meeting = feed(client)["tuesday-circle"]
    assert "C" in meeting["types"] and "O" not in meeting["types"]


def test_two_start_times_are_two_meetings(in_org, client) -> None:
    group = public_group(in_org, TUESDAY)
    MeetingTime.objects.create(
        organization=in_org, group=group, weekday=6, start_time=time(10), end_time=time(11)
    )
    meetings = feed(client)
    assert meetings["tuesday-circle-1800"]["day"] == 2
    assert meetings["tuesday-circle-1000"]["day"] == 0  # Sunday


def test_an_online_group_with_a_private_link_shows_no_link(in_org, client) -> None:
    online_group(in_org, TUESDAY)
    meeting = feed(client)["online-mens-circle"]
    assert "conference_url" not in meeting and "conference_phone" not in meeting
    assert "register" in meeting["notes"].lower()
    assert "video.example.org" not in str(meeting) and "555-0142" not in str(meeting)
    assert meeting["formatted_address"] == "NH, USA" and meeting["approximate"] == "yes"
    assert "M" in meeting["types"]


def test_an_online_group_with_a_public_link_shows_it(in_org, client) -> None:
    online_group(in_org, TUESDAY, conference_public=True)
    meeting = feed(client)["online-mens-circle"]
    assert meeting["conference_url"] == "https://video.example.org/j/5550142"
    assert meeting["conference_phone"] == "603-555-0142"


def test_only_public_active_weekly_groups_are_in_it(in_org, client) -> None:
    public_group(in_org, TUESDAY, slug="hidden", listed_publicly=False)
    public_group(in_org, TUESDAY, slug="paused", active=False)
    once = public_group(in_org, slug="once")
    MeetingTime.objects.create(
        organization=in_org,
        group=once,
        date=date(2030, 1, 8),
        start_time=time(18),
        end_time=time(19),
    )
    public_group(in_org, TUESDAY, slug="shown")
    assert list(feed(client)) == ["shown"]


def test_no_person_is_named(in_org, client, make_user) -> None:
    group = public_group(in_org, TUESDAY)
    facilitator = make_user("facilitator", in_org, ["peer_specialist"])
    facilitator.first_name, facilitator.last_name = "Avery", "Quintrell"
    facilitator.save()
    group.facilitators.add(facilitator)
    body = client.get(FEED).content.decode()
    assert "Quintrell" not in body and "Avery" not in body


def test_the_feed_reads_a_fixed_number_of_queries(
    in_org, client, django_assert_num_queries
) -> None:
    def make(start: int, count: int) -> None:
        for n in range(start, start + count):
            public_group(in_org, TUESDAY, WEDNESDAY, slug=f"group-{n}", name=f"Group {n} (sample)")

    make(0, 3)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(FEED).json()) == 3
    assert len(few) <= 3  # the groups, their times, and the addresses of their places
    make(3, 27)
    with django_assert_num_queries(len(few)):
        assert len(client.get(FEED).json()) == 30


# --- iCalendar ----------------------------------------------------------------------------------


def next_weekday(weekday: int, after: date) -> date:
    return after + timedelta(days=(weekday - after.weekday()) % 7 or 7)


def calendar(client: Client, slug: str) -> Calendar:
    response = client.get(f"/groups/{slug}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_the_calendar_repeats_weekly_with_its_exceptions(in_org, client) -> None:
    group = public_group(in_org, TUESDAY)
    cancelled = next_weekday(TUESDAY, date.today() + timedelta(days=7))
    moved_from = cancelled + timedelta(days=7)
    session(group, cancelled, cancelled=True, public_note="The hall is closed.")
    session(
        group,
        moved_from,
        date=moved_from + timedelta(days=4),
        start_time=time(11),
        end_time=time(12),
    )
    parsed = calendar(client, group.slug)
    zone = ZoneInfo("America/New_York")
    assert [tz["tzid"] for tz in parsed.walk("VTIMEZONE")] == ["America/New_York"]
    weekly, override = parsed.walk("VEVENT")
    assert weekly["rrule"]["FREQ"] == ["WEEKLY"] and weekly["rrule"]["BYDAY"] == ["TU"]
    start = weekly.decoded("dtstart")
    assert (start.tzinfo.key, start.time(), start.weekday()) == ("America/New_York", time(18), 1)
    assert weekly["dtstart"].params["TZID"] == "America/New_York"
    excluded = [d.dt for d in weekly["exdate"].dts]
    assert excluded == [datetime.combine(cancelled, time(18), zone)]
    assert override["uid"] == weekly["uid"]
    assert override.decoded("recurrence-id") == datetime.combine(moved_from, time(18), zone)
    assert override.decoded("dtstart") == datetime.combine(
        moved_from + timedelta(days=4), time(11), zone
    )


def test_uids_stay_the_same_between_downloads(in_org, client) -> None:
    group = public_group(in_org, TUESDAY, WEDNESDAY)
    first = [str(e["uid"]) for e in calendar(client, group.slug).walk("VEVENT")]
    again = [str(e["uid"]) for e in calendar(client, group.slug).walk("VEVENT")]
    assert first == again and len(set(first)) == 2


def test_a_one_off_date_is_a_single_event(in_org, client) -> None:
    group = public_group(in_org)
    MeetingTime.objects.create(
        organization=in_org,
        group=group,
        date=date(2030, 1, 8),
        start_time=time(10),
        end_time=time(12),
    )
    (event,) = calendar(client, group.slug).walk("VEVENT")
    assert "rrule" not in event
    assert event.decoded("dtstart") == datetime(2030, 1, 8, 10, tzinfo=ZoneInfo("America/New_York"))


def test_a_private_link_stays_out_of_the_calendar(in_org, client) -> None:
    group = online_group(in_org, TUESDAY)
    body = client.get(f"/groups/{group.slug}.ics").content.decode()
    assert "video.example.org" not in body and "555-0142" not in body


def test_no_calendar_for_a_group_not_listed(in_org, client) -> None:
    group = public_group(in_org, TUESDAY, listed_publicly=False)
    assert client.get(f"/groups/{group.slug}.ics").status_code == 404


def test_who_it_is_for_and_the_language_are_the_specs_types(in_org, client) -> None:
    public_group(in_org, TUESDAY, populations=["women", "lgbtq"], language="es")
    assert feed(client)["tuesday-circle"]["types"] == ["LGBTQ", "O", "S", "W"]


def test_the_time_stays_on_the_groups_clock_across_daylight_saving(in_org, client) -> None:
    group = public_group(in_org, TUESDAY)
    MeetingTime.objects.filter(group=group).update(starts_on=date(2026, 10, 27))
    (event,) = Calendar.from_ical(client.get("/groups/tuesday-circle.ics").content).walk("VEVENT")
    start = event.decoded("dtstart")
    assert (start.date(), start.hour, str(start.tzinfo)) == (
        date(2026, 10, 27),
        18,
        "America/New_York",
    )
    # 27 October is in daylight time (UTC-4), 3 November in standard time (UTC-5): the
    # repeating event keeps 18:00 on the group's clock, whatever the offset.
    assert start.utcoffset() == timedelta(hours=-4)
    assert event["rrule"]["FREQ"] == ["WEEKLY"] and event["rrule"]["BYDAY"] == ["TU"]


def test_the_feed_may_be_kept_by_a_proxy_and_read_from_other_sites(client) -> None:
    response = client.get(FEED)
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert not response.cookies
