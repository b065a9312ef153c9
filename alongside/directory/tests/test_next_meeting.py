"""A group listing's next meeting, from its schedule rows (``hours.next_opening``)."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from alongside.directory.hours import Interval, Row, next_opening
from alongside.directory.templatetags.directory_tags import clock_span, next_meeting

NY = ZoneInfo("America/New_York")
TUESDAY_EVENING = Row(None, None, "TU", time(18), time(19), False)


def test_the_next_meeting_is_this_tuesday_until_it_ends() -> None:
    monday = datetime(2026, 12, 7, 12, tzinfo=NY)
    assert next_meeting([TUESDAY_EVENING], "America/New_York", monday) == "Tue 8 Dec, 6–7 PM"
    during = datetime(2026, 12, 8, 18, 30, tzinfo=NY)
    assert next_opening([TUESDAY_EVENING], "America/New_York", during).start.day == 8
    after = datetime(2026, 12, 8, 19, 0, tzinfo=NY)
    assert next_opening([TUESDAY_EVENING], "America/New_York", after).start.day == 15


def test_a_cancelled_date_is_skipped() -> None:
    cancelled = Row(date(2026, 12, 8), date(2026, 12, 8), "", None, None, True)
    monday = datetime(2026, 12, 7, 12, tzinfo=NY)
    found = next_opening([TUESDAY_EVENING, cancelled], "America/New_York", monday)
    assert found is not None and found.start.date() == date(2026, 12, 15)


def test_no_rows_no_next_meeting() -> None:
    assert next_meeting([], "America/New_York", datetime(2026, 12, 7, tzinfo=NY)) == ""


def test_the_clock_says_the_meridiem_once_when_it_can() -> None:
    def span(start: time, end: time) -> str:
        day = date(2026, 12, 8)
        return clock_span(
            Interval(datetime.combine(day, start, NY), datetime.combine(day, end, NY))
        )

    assert span(time(18, 30), time(20)) == "6:30–8 PM"
    assert span(time(11), time(12, 30)) == "11 AM–12:30 PM"
