from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from alongside.directory.hours import listing_state, open_state, week_table

NY = "America/New_York"


@dataclass
class Row:
    byday: str = "MO,TU,WE,TH,FR"
    opens_at: time | None = time(9)
    closes_at: time | None = time(17)
    valid_from: date | None = None
    valid_to: date | None = None
    closed: bool = False
    description: str = ""


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(NY))


def test_weekday_hours():
    rows = [Row()]
    assert open_state(rows, NY, at("2026-11-23T10:00")).open_now is True  # a Monday
    state = open_state(rows, NY, at("2026-11-23T18:00"))
    assert state.open_now is False and state.next_open == at("2026-11-24T09:00")


def test_split_hours_closed_at_lunch():
    rows = [Row(closes_at=time(12)), Row(opens_at=time(13))]
    assert open_state(rows, NY, at("2026-11-23T12:30")).open_now is False
    assert open_state(rows, NY, at("2026-11-23T13:30")).open_now is True


def test_overnight_hours_reach_into_the_next_morning():
    rows = [Row(byday="FR", opens_at=time(20), closes_at=time(2))]
    assert open_state(rows, NY, at("2026-11-28T01:30")).open_now is True  # Saturday 1:30
    assert open_state(rows, NY, at("2026-11-28T02:30")).open_now is False


def test_all_day_every_day():
    rows = [Row(byday="MO,TU,WE,TH,FR,SA,SU", opens_at=time(0), closes_at=time(23, 59))]
    assert open_state(rows, NY, at("2026-11-29T23:59:30")).open_now is True


def test_holiday_closure_overrides_weekly_hours():
    thanksgiving = date(2026, 11, 26)
    rows = [Row(), Row(byday="", valid_from=thanksgiving, valid_to=thanksgiving, closed=True)]
    state = open_state(rows, NY, at("2026-11-26T10:00"))
    assert state.open_now is False and state.next_open == at("2026-11-27T09:00")


def test_a_closure_of_a_whole_season_overrides_weekly_hours():
    summer = Row(byday="", valid_from=date(2026, 6, 1), valid_to=date(2026, 8, 31), closed=True)
    rows = [Row(), summer]
    assert open_state(rows, NY, at("2026-07-15T10:00")).open_now is False  # a July Wednesday
    state = open_state(rows, NY, at("2026-08-26T10:00"))
    assert state.open_now is False and state.next_open == at("2026-09-01T09:00")
    assert open_state(rows, NY, at("2026-09-02T10:00")).open_now is True


def test_unknown_hours_are_never_open():
    state = open_state([], NY, at("2026-11-23T10:00"))
    assert state.open_now is None and state.next_open is None


def test_each_location_answers_in_its_own_time_zone():
    rows = [Row()]
    # 9:30 in New York is 7:30 in Denver: closed there.
    assert open_state(rows, "America/Denver", at("2026-11-23T09:30")).open_now is False


def test_daylight_saving_change_keeps_local_hours():
    rows = [Row(byday="SU", opens_at=time(9), closes_at=time(12))]
    # 2026-03-08 is the spring-forward Sunday; 9:30 local is still open.
    assert open_state(rows, NY, at("2026-03-08T09:30")).open_now is True


@given(st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31)))
def test_next_open_is_always_in_the_future_and_open(moment):
    rows = [Row(closes_at=time(12)), Row(byday="SA", opens_at=time(22), closes_at=time(3))]
    now = moment.replace(tzinfo=ZoneInfo(NY))
    state = open_state(rows, NY, now)
    if state.open_now is False:
        assert state.next_open is not None and state.next_open > now
        assert open_state(rows, NY, state.next_open).open_now is True


def test_a_whole_day_reads_as_all_day_however_the_rows_write_it():
    # Both are HSDS's ways of writing 24 hours; search reads both as the whole day.
    for closes in (time(0), time(23, 59)):
        rows = [Row(byday="MO,TU,WE,TH,FR,SA,SU", opens_at=time(0), closes_at=closes)]
        assert all(day.all_day for day in week_table(rows, NY, at("2026-11-23T10:00")))


def test_a_whole_day_of_split_rows_is_all_day_even_when_the_clocks_change():
    rows = [
        Row(byday="SU", opens_at=time(0), closes_at=time(12)),
        Row(byday="SU", opens_at=time(12), closes_at=time(0)),
    ]
    # 2026-11-01 is the fall-back Sunday: 25 hours long.
    assert week_table(rows, NY, at("2026-11-01T10:00"))[0].all_day


def test_overnight_hours_end_the_next_day_and_are_not_all_day():
    rows = [Row(byday="FR", opens_at=time(20), closes_at=time(2))]
    friday = week_table(rows, NY, at("2026-11-27T10:00"))[0]
    assert not friday.all_day and [i.ends_next_day for i in friday.intervals] == [True]


def test_hours_to_the_end_of_the_day_end_at_midnight_not_the_next_day():
    rows = [Row(byday="FR", opens_at=time(17), closes_at=time(23, 59))]
    (evening,) = week_table(rows, NY, at("2026-11-27T10:00"))[0].intervals
    assert evening.ends_at_midnight and not evening.ends_next_day


def test_unknown_hours_have_no_week_to_show():
    assert week_table([], NY, at("2026-11-23T10:00")) == []


def test_a_holiday_is_a_closed_day_with_its_note():
    thanksgiving = date(2026, 11, 26)
    holiday = Row(
        "", None, None, thanksgiving, thanksgiving, closed=True, description="Thanksgiving"
    )
    rows = [Row(), holiday]
    day = week_table(rows, NY, at("2026-11-26T10:00"))[0]
    assert day.closed and day.note == "Thanksgiving"
    assert listing_state(rows, NY, at("2026-11-26T10:00")).open_now is False


def test_special_hours_keep_their_note():
    eve = date(2026, 12, 24)
    special = Row("", time(9), time(14), eve, eve, description="Early close on Christmas Eve")
    rows = [Row(), special]
    day = week_table(rows, NY, at("2026-12-24T10:00"))[0]
    assert len(day.intervals) == 1 and day.note == "Early close on Christmas Eve"


def test_a_day_without_times_is_not_closed():
    rows = [Row(opens_at=None, closes_at=None, description="By appointment")]
    monday, *_, saturday, sunday = week_table(rows, NY, at("2026-11-23T10:00"))
    assert not monday.closed and monday.note == "By appointment"
    # No row gives any times, so leaving the weekend out does not close it either.
    assert not saturday.closed and not sunday.closed


def test_days_the_weekly_hours_leave_out_are_closed():
    sunday = week_table([Row()], NY, at("2026-11-29T10:00"))[0]
    assert sunday.closed and sunday.note == ""


def test_unknown_hours_today_are_neither_open_nor_closed_on_the_listing():
    rows = [Row(opens_at=None, closes_at=None, description="Call for hours")]
    assert listing_state(rows, NY, at("2026-11-23T10:00")).open_now is None
    # Outside today's known hours, a row without times still leaves the rest of the day unknown.
    rows.append(Row(byday="MO", closes_at=time(12)))
    assert listing_state(rows, NY, at("2026-11-23T11:00")).open_now is True
    assert listing_state(rows, NY, at("2026-11-23T13:00")).open_now is None
