"""The public group pages: /groups/ (find by day, time of day and format) and /groups/<slug>/."""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from alongside.directory.day_parts import BAND_BY_CODE, TIME_OF_DAY
from alongside.groups.models import MeetingTime, Registration
from alongside.groups.tests.public_factories import online_group, public_group, session

pytestmark = pytest.mark.django_db

TUESDAY, THURSDAY = MeetingTime.Weekday.TUESDAY, MeetingTime.Weekday.THURSDAY


def next_weekday(weekday: int, after: date) -> date:
    return after + timedelta(days=(weekday - after.weekday()) % 7 or 7)


def new_york_today() -> date:
    return timezone.now().astimezone(ZoneInfo("America/New_York")).date()


def names(response) -> list[str]:
    return [row["group"].slug for row in response.context["rows"]]


def test_the_list_shows_public_groups_only_with_their_next_meeting(in_org, client) -> None:
    public_group(in_org, TUESDAY)
    public_group(in_org, TUESDAY, slug="hidden", name="Hidden group", listed_publicly=False)
    public_group(in_org, TUESDAY, slug="paused", name="Paused group", active=False)
    response = client.get("/groups/")
    assert response.status_code == 200
    assert names(response) == ["tuesday-circle"]
    page = response.content.decode()
    assert "Next meeting:" in page and "6:00 PM–7:00 PM" in page
    assert "Crisis? Call or text 988" in page
    assert not response.cookies


def test_filter_by_day_and_time_of_day(in_org, client) -> None:
    public_group(in_org, TUESDAY, slug="tue-evening", name="A")
    public_group(in_org, TUESDAY, slug="tue-morning", name="B", times=(time(9), time(10)))
    public_group(in_org, THURSDAY, slug="thu-evening", name="C")
    public_group(in_org, TUESDAY, slug="tue-night", name="D", times=(time(22), time(23)))
    assert names(client.get("/groups/?day=tue&time_of_day=evening")) == ["tue-evening"]
    assert names(client.get("/groups/?day=tue")) == ["tue-evening", "tue-morning", "tue-night"]
    assert names(client.get("/groups/?time_of_day=evening")) == ["tue-evening", "thu-evening"]
    assert names(client.get("/groups/?time_of_day=night")) == ["tue-night"]


def test_filter_by_format_counts_groups_that_meet_both_ways(in_org, client) -> None:
    public_group(in_org, TUESDAY, slug="in-person", name="A")
    online_group(in_org, TUESDAY, slug="online", name="B")
    online_group(
        in_org,
        TUESDAY,
        slug="both",
        name="C",
        format="hybrid",
        city="Concord",
        address="1 Example St",
    )
    assert names(client.get("/groups/?format=online")) == ["online", "both"]
    assert names(client.get("/groups/?format=in_person")) == ["in-person", "both"]
    assert names(client.get("/groups/?format=hybrid")) == ["both"]


def test_the_page_says_the_time_of_day_bands(client) -> None:
    page = client.get("/groups/").content.decode()
    for band in TIME_OF_DAY:
        assert str(band.label) in page
    assert BAND_BY_CODE["night"].holds(time(2)) and not BAND_BY_CODE["night"].holds(time(5))


def test_a_bad_filter_is_a_400_that_says_so(client) -> None:
    assert client.get("/groups/?day=someday").status_code == 400


def test_the_list_reads_a_fixed_number_of_queries(
    in_org, client, django_assert_max_num_queries
) -> None:
    for n in range(12):
        public_group(in_org, TUESDAY, THURSDAY, slug=f"g{n}", name=f"Group {n:02d} (sample)")
    with django_assert_max_num_queries(6):
        assert client.get("/groups/").status_code == 200


def test_a_cancelled_session_says_cancelled_with_its_note(in_org, client) -> None:
    group = public_group(in_org, TUESDAY)
    day = next_weekday(TUESDAY, new_york_today() + timedelta(days=1))
    session(group, day, cancelled=True, public_note="The hall is closed for the holiday.")
    page = client.get("/groups/tuesday-circle/").content.decode()
    assert "Cancelled" in page and "The hall is closed for the holiday." in page
    later = day + timedelta(days=7)
    assert later.strftime("%A %-d %B") in page  # the next one still meets


def test_a_moved_session_says_its_new_date_and_time(in_org, client) -> None:
    group = public_group(in_org, TUESDAY)
    day = next_weekday(TUESDAY, new_york_today() + timedelta(days=1))
    new_day = day + timedelta(days=4)
    session(group, day, date=new_day, start_time=time(11), end_time=time(12))
    page = client.get("/groups/tuesday-circle/").content.decode()
    assert "Moved" in page
    assert f"{new_day.strftime('%A %-d %B')}, 11:00 AM–12:00 PM" in page
    assert f"instead of {day.strftime('%A %-d %B')}" in page


def test_the_page_says_how_to_join_in_person(in_org, client) -> None:
    public_group(in_org, TUESDAY)
    page = client.get("/groups/tuesday-circle/").content.decode()
    assert "12 Example Street" in page and "Fictional Community Hall" in page
    assert "Open: anyone may come" in page
    assert "English" in page
    assert "Granite Peer Support (test)" in page
    assert 'href="/groups/tuesday-circle.ics"' in page


def test_a_private_link_is_not_shown(in_org, client) -> None:
    online_group(in_org, TUESDAY, is_open=False)
    page = client.get("/groups/online-mens-circle/").content.decode()
    assert "Register to get the link" in page
    assert "video.example.org" not in page and "555-0142" not in page
    assert "Closed: members only" in page


def test_a_public_link_is_shown(in_org, client) -> None:
    online_group(in_org, TUESDAY, conference_public=True)
    page = client.get("/groups/online-mens-circle/").content.decode()
    assert "https://video.example.org/j/5550142" in page and "603-555-0142" in page


@pytest.mark.parametrize("fields", [{"listed_publicly": False}, {"active": False}])
def test_a_group_not_public_answers_404(in_org, client, fields) -> None:
    public_group(in_org, TUESDAY, **fields)
    assert client.get("/groups/tuesday-circle/").status_code == 404


def test_an_unknown_group_answers_404(client) -> None:
    assert client.get("/groups/no-such-group/").status_code == 404


def test_filter_by_focus_who_it_is_for_and_open(in_org, client) -> None:
    public_group(in_org, TUESDAY, slug="men", name="A", populations=["men"])
    public_group(in_org, TUESDAY, slug="women", name="B", populations=["women"], is_open=False)
    public_group(in_org, TUESDAY, slug="all", name="C", focus=["mental_health"])
    assert names(client.get("/groups/?population=men")) == ["men"]
    assert names(client.get("/groups/?population=women")) == ["women"]
    assert names(client.get("/groups/?focus=mental_health")) == ["all"]
    assert names(client.get("/groups/?open_only=on")) == ["men", "all"]


def test_the_list_says_when_the_next_meeting_is_cancelled(in_org, client) -> None:
    group = public_group(in_org, TUESDAY)
    day = client.get("/groups/").context["rows"][0]["next"].date
    session(group, day, cancelled=True, public_note="Snow day.")
    page = client.get("/groups/").content.decode()
    assert f"Cancelled:</strong> {day.strftime('%A %-d %B')}" in page and "Snow day." in page
    later = (day + timedelta(days=7)).strftime("%A %-d %B")
    assert f"Next meeting: {later}" in page


def test_registered_people_are_never_shown_publicly(in_org, client) -> None:
    group = online_group(in_org, TUESDAY, is_open=False, capacity=8)
    Registration.objects.create(
        organization=in_org, group=group, first_name="Quillon", contact="603-555-0188"
    )
    day = next_weekday(TUESDAY, new_york_today() + timedelta(days=1))
    session(group, day, summary="Quillon shared a story.")
    for url in ("/groups/", f"/groups/{group.slug}/", f"/groups/{group.slug}.ics"):
        body = client.get(url).content.decode()
        assert "Quillon" not in body and "555-0188" not in body, url
    feed = client.get("/api/meeting-guide.json").content.decode()
    assert "Quillon" not in feed and "555-0188" not in feed


def test_the_list_links_the_feed_for_meeting_finders(client) -> None:
    page = client.get("/groups/").content.decode()
    assert 'rel="alternate" type="application/json" title="Meetings Feed"' in page
