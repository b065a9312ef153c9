import re
from datetime import time, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from alongside.directory.models import Organization, Schedule, Service

EVERY_DAY = "MO,TU,WE,TH,FR,SA,SU"


def page(service: Service) -> str:
    return Client().get(f"/find/{service.id}/").content.decode()


def hours_of(service: Service) -> list[str]:
    """The seven cells of the listing page's hours table, as a person reads them."""
    body = page(service)
    table = body[body.index('<table class="hours">') : body.index("</table>")]
    return [
        " ".join(re.sub("<[^>]+>", " ", c).split()) for c in re.findall("<td>(.*?)</td>", table)
    ]


@pytest.fixture
def listing(db):
    """A listing with the given weekly rows, each ``(byday, opens_at, closes_at)``."""
    organization = Organization.objects.create(name="Hours Test Peers (sample)")

    def make(*rows: tuple[str, time, time]) -> Service:
        service = Service.objects.create(organization=organization, name="Hours test (sample)")
        for byday, opens, closes in rows:
            Schedule.objects.create(service=service, byday=byday, opens_at=opens, closes_at=closes)
        return service

    return make


def dated(service: Service, **fields: Any) -> None:
    """A dated row for today and tomorrow, so that a test running over midnight still sees it."""
    today = timezone.localdate()
    Schedule.objects.create(
        service=service, byday="", valid_from=today, valid_to=today + timedelta(days=1), **fields
    )


@pytest.mark.parametrize(
    "name", ["Quiet Harbor Peer Respite House", "Round-the-Clock Peer Text and Talk Line (sample)"]
)
def test_round_the_clock_services_read_open_24_hours(sample, name):
    assert hours_of(Service.objects.get(name=name)) == ["Open 24 hours"] * 7


def test_midnight_to_midnight_is_open_24_hours_too(listing):
    assert hours_of(listing((EVERY_DAY, time(0), time(0)))) == ["Open 24 hours"] * 7


def test_overnight_hours_say_they_close_the_next_day(listing):
    cells = hours_of(listing((EVERY_DAY, time(20), time(2))))
    assert cells == ["8:00 PM–2:00 AM the next day"] * 7


def test_hours_to_midnight_say_midnight(listing):
    assert hours_of(listing((EVERY_DAY, time(17), time(23, 59)))) == ["5:00 PM–midnight"] * 7


def test_split_hours_list_both_and_other_days_are_closed(listing):
    cells = hours_of(listing(("MO", time(9), time(12)), ("MO", time(13), time(17))))
    assert sorted(cells) == ["9:00 AM–12:00 PM, 1:00 PM–5:00 PM"] + ["Closed"] * 6


def test_unknown_hours_are_not_shown_as_closed(listing):
    body = Client().get(f"/find/{listing().id}/").content.decode()
    assert '<table class="hours">' not in body and "Hours not listed. Call to ask." in body


def test_today_stays_highlighted(listing):
    body = Client().get(f"/find/{listing((EVERY_DAY, time(0), time(0))).id}/").content.decode()
    assert body.count('class="hours__today"') == 1


def test_a_holiday_says_closed_beside_its_note(listing):
    service = listing((EVERY_DAY, time(9), time(17)))
    dated(service, closed=True, description="Thanksgiving")
    assert hours_of(service)[0] == "Closed (Thanksgiving)"


def test_a_holiday_note_that_says_closed_does_not_say_it_twice(listing):
    service = listing((EVERY_DAY, time(9), time(17)))
    dated(service, closed=True, description="Closed for Thanksgiving")
    assert hours_of(service)[0] == "Closed for Thanksgiving"


def test_special_hours_show_their_note(listing):
    service = listing((EVERY_DAY, time(9), time(17)))
    dated(service, opens_at=time(9), closes_at=time(14), description="Early close on Christmas Eve")
    assert hours_of(service)[0] == "9:00 AM–2:00 PM (Early close on Christmas Eve)"


def test_a_weekly_row_without_times_shows_its_note_not_closed(listing):
    service = listing()
    Schedule.objects.create(service=service, byday=EVERY_DAY, description="By appointment")
    assert hours_of(service) == ["By appointment"] * 7


def test_days_without_rows_are_not_closed_when_no_row_gives_times(listing):
    service = listing()
    Schedule.objects.create(service=service, byday="MO", description="By appointment")
    assert sorted(hours_of(service)) == ["By appointment"] + ["Hours not listed"] * 6


def test_unknown_hours_today_are_neither_open_nor_closed(listing):
    service = listing()
    Schedule.objects.create(service=service, byday=EVERY_DAY, description="Call for hours")
    body = page(service)
    assert "badge--open" not in body and "Closed now" not in body
    assert "Call to ask." in body
