""" "Open now" on columns (each schedule's week, ``buckets.WEEK``) against ``hours.open_state``
for each schedule alone: weekly, split, overnight and all-day hours, dated closures and
special hours, seasons, time zones and the nights the clocks change."""

import json
import uuid
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from alongside.directory.hours import Row, open_state, week_of
from alongside.directory.indexing import search_hours
from alongside.directory.search.buckets import SPANS, WEEK, _at_most, _joined, pack
from alongside.directory.search.open_columns import (
    ZONE_MIX,
    distinct_zones,
    open_flags,
    row_open_state,
)

ZONES = ["America/New_York", "America/Phoenix", "Pacific/Honolulu", "Australia/Lord_Howe", ""]
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
# Times that are whole quarters, the "all day" and midnight markers, and one with seconds.
clocks = st.sampled_from([time(0), time(23, 59), time(1, 30), time(2), time(9), time(17, 45)])
clocks |= st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 59]))
clocks |= st.just(time(8, 0, 30))
# Dated rows fall on the days around 2026-03-08 (the clocks go forward in the US), so that
# they often set the hours of the moment asked about.
near_days = st.builds(lambda offset: date(2026, 3, 8) + timedelta(days=offset), st.integers(-6, 6))


@st.composite
def schedule_rows(draw):
    kind = draw(st.sampled_from(["weekly", "weekly", "weekly", "closed", "special", "season"]))
    opens, closes = draw(clocks), draw(clocks)
    if kind == "closed":
        day = draw(near_days)
        return (day, day + timedelta(days=draw(st.integers(0, 2))), "", None, None, True)
    if kind == "special":
        day = draw(near_days)
        return (day, day, "", opens, closes, False)
    byday = ",".join(draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=7, unique=True)))
    if kind == "season":
        return (draw(near_days), date(2026, 9, 1), byday, opens, closes, False)
    return (None, None, byday, opens, closes, False)


moments = st.datetimes(
    min_value=datetime(2026, 3, 4), max_value=datetime(2026, 3, 12), timezones=st.just(UTC)
)
# Some on the quarter hour, where hours open and close.
moments |= moments.map(lambda t: t.replace(minute=t.minute // 15 * 15, second=0, microsecond=0))
moments |= st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)


def _row(i, schedule, zone):
    return (i, uuid.uuid4(), 43.2, -71.5, "", "x", "", schedule, zone, "", None, "", "")


@settings(max_examples=400, deadline=None)
@given(
    schedules=st.lists(
        st.tuples(st.lists(schedule_rows(), max_size=7), st.sampled_from(ZONES)),
        min_size=1,
        max_size=6,
    ),
    moment=moments,
)
@example(  # Sunday night's hours run into Monday morning, across the week's end
    schedules=[([(None, None, "SU", time(22), time(2), False)], "America/New_York")],
    moment=datetime(2026, 12, 7, 6, 30, tzinfo=UTC),  # Monday 1:30 in New York
)
@example(  # closed on Saturday, so Saturday night's hours do not run into Sunday
    schedules=[
        (
            [
                (None, None, "SA", time(22), time(3), False),
                (date(2026, 3, 7), date(2026, 3, 7), "", None, None, True),
            ],
            "America/New_York",
        )
    ],
    moment=datetime(2026, 3, 8, 6, tzinfo=UTC),  # Sunday 1:00 in New York
)
@example(  # closed Saturday: Friday night's hours still run into it...
    schedules=[
        (
            [
                (None, None, "FR", time(22), time(3), False),
                (date(2026, 3, 7), date(2026, 3, 7), "", None, None, True),
            ],
            "America/New_York",
        )
    ],
    moment=datetime(2026, 3, 7, 6, tzinfo=UTC),  # Saturday 1:00 in New York
)
@example(  # ...until they end,
    schedules=[
        (
            [
                (None, None, "FR", time(22), time(3), False),
                (date(2026, 3, 7), date(2026, 3, 7), "", None, None, True),
            ],
            "America/New_York",
        )
    ],
    moment=datetime(2026, 3, 7, 8, tzinfo=UTC),  # Saturday 3:00 in New York
)
@example(  # ...but not when Friday was closed too,
    schedules=[
        (
            [
                (None, None, "FR", time(22), time(3), False),
                (date(2026, 3, 6), date(2026, 3, 7), "", None, None, True),
            ],
            "America/New_York",
        )
    ],
    moment=datetime(2026, 3, 7, 6, tzinfo=UTC),
)
@example(  # ...and after a closed Friday, Saturday's own early hours are open
    schedules=[
        (
            [
                (None, None, "FR", time(22), time(3), False),
                (None, None, "SA", time(1), time(5), False),
                (date(2026, 3, 6), date(2026, 3, 6), "", None, None, True),
            ],
            "America/New_York",
        )
    ],
    moment=datetime(2026, 3, 7, 7, tzinfo=UTC),  # Saturday 2:00 in New York
)
@example(  # the minute it opens
    schedules=[([(None, None, "MO", time(9), time(17), False)], "America/New_York")],
    moment=datetime(2026, 12, 7, 14, tzinfo=UTC),
)
@example(  # the minute it closes
    schedules=[([(None, None, "MO", time(9), time(17), False)], "America/New_York")],
    moment=datetime(2026, 12, 7, 22, tzinfo=UTC),
)
def test_each_row_is_open_as_its_own_schedule_says(schedules, moment):
    texts = [(search_hours(rows), zone) for rows, zone in schedules]
    # Every schedule twice, in two buckets packed apart (the second in the reverse order), as
    # a search reads them.
    halves = [pack([_row(i, *t) for i, t in enumerate(part)]) for part in (texts, texts[::-1])]
    packed = _joined(
        [(p.entries.tobytes(), b"", p.weeks.tobytes(), json.dumps(p.hours)) for p in halves]
    )
    rows = np.arange(len(packed.entries))
    expected = [row_open_state(hours, zone, moment).open_now is True for hours, zone in texts]
    assert open_flags(packed, rows, moment).tolist() == expected + expected[::-1]


@given(st.lists(st.sampled_from([*ZONES, "Europe/London", "America/Argentina/Buenos_Aires"])))
def test_time_zones_are_told_apart(names):
    zones = np.array([n.encode() for n in names], dtype=WEEK["zone"])
    distinct, inverse = distinct_zones(zones)
    assert sorted(distinct.tolist()) == sorted(set(zones.tolist()))
    assert distinct[inverse].tolist() == zones.tolist()


def test_time_zones_that_mix_alike_are_still_told_apart():
    # Two names whose words mix to the same number: the second's first word undoes the
    # difference in its second word.
    first = np.frombuffer(b"America/Anywhere" + bytes(16), dtype=np.uint64).copy()
    second = first.copy()
    second[1] = np.frombuffer(b"/Nowhere", dtype=np.uint64)[0]
    second[:1] ^= (first[1:2] * ZONE_MIX[1:2]) ^ (second[1:2] * ZONE_MIX[1:2])
    zones = np.array([first.tobytes(), second.tobytes(), first.tobytes()], dtype=WEEK["zone"])
    mixed = np.bitwise_xor.reduce(zones.view(np.uint64).reshape(-1, 4) * ZONE_MIX, axis=1)
    assert mixed[0] == mixed[1]
    distinct, inverse = distinct_zones(zones)
    assert len(distinct) == 2
    assert distinct[inverse].tolist() == zones.tolist()


def test_a_week_joins_sunday_night_to_monday_morning():
    rows = [Row(None, None, "MO,TU,WE,TH,FR,SA,SU", time(0), time(23, 59), False)]
    assert week_of(rows).spans == ((0, 7 * 24 * 3600),)
    sunday_night = week_of([Row(None, None, "SU", time(22), time(2), False)])
    assert sunday_night.spans == ((0, 2 * 3600), (6 * 86400 + 22 * 3600, 7 * 86400))
    assert sunday_night.dated == ()


def test_dated_rows_are_kept_as_the_days_they_cover():
    def closed(first, last):
        return Row(first, last, "", None, None, True)

    week = week_of(
        [
            Row(None, None, "MO", time(9), time(17), False),
            closed(date(2026, 12, 31), date(2027, 1, 1)),
            closed(date(2026, 12, 24), date(2026, 12, 25)),
            closed(date(2026, 12, 26), date(2026, 12, 26)),  # the day after: one range
            closed(date(2026, 7, 4), date(2026, 7, 4)),
        ]
    )
    assert week.spans == ((9 * 3600, 17 * 3600),)
    assert week.dated == ()  # no special hours: closures only
    assert week.closed == (
        (date(2026, 7, 4), date(2026, 7, 4)),
        (date(2026, 12, 24), date(2026, 12, 26)),
        (date(2026, 12, 31), date(2027, 1, 1)),
    )


def test_a_day_both_closed_and_with_special_hours_is_kept_as_dated():
    christmas = date(2026, 12, 25)
    week = week_of(
        [
            Row(None, None, "FR", time(9), time(17), False),
            Row(christmas, christmas, "", None, None, True),
            Row(christmas, christmas, "", time(10), time(12), False),
            Row(date(2027, 1, 1), date(2027, 1, 1), "", None, None, True),
        ]
    )
    assert week.dated == ((christmas, christmas), (date(2027, 1, 1), date(2027, 1, 1)))
    assert week.closed == ()


def test_each_day_keeps_how_far_its_hours_run_past_midnight():
    week = week_of(
        [
            Row(None, None, "FR", time(22), time(2, 30), False),
            Row(None, None, "FR", time(20), time(1), False),
            Row(None, None, "SU", time(0), time(23, 59), False),  # the whole day, to midnight
            Row(None, None, "MO", time(18), time(18), False),  # 24 hours from 18:00
        ]
    )
    assert week.spill == (18 * 3600, 0, 0, 0, 2 * 3600 + 1800, 0, 0)


def test_more_dated_ranges_than_a_bucket_keeps_are_joined_across_the_shortest_gaps():
    assert _at_most([(1, 1), (10, 10), (12, 13), (40, 41), (90, 90)], 3) == [
        (1, 13),
        (40, 41),
        (90, 90),
    ]
    assert _at_most([(5, 6)], 3) == [(5, 6), (1, 0), (1, 0)]


def test_a_season_has_no_one_week():
    season = Row(date(2026, 6, 1), date(2026, 8, 31), "MO", time(9), time(17), False)
    assert week_of([season]).dated == ((date.min, date.max),)


def test_more_stretches_than_a_bucket_keeps_are_worked_out_one_by_one():
    # Three sessions a day, every day: 21 stretches.
    rows = [(None, None, ",".join(DAYS), time(hour), time(hour + 1), False) for hour in (8, 12, 16)]
    packed = pack([_row(0, search_hours(rows), "America/New_York")])
    assert len(week_of([Row(*r) for r in rows]).spans) > SPANS
    assert str(int(packed.weeks["key"][0])) in packed.hours
    moment = datetime(2026, 12, 3, 17, 30, tzinfo=UTC)  # Thursday 12:30 in New York
    assert open_state([Row(*r) for r in rows], "America/New_York", moment).open_now is True
    assert open_flags(packed, np.arange(1), moment).tolist() == [True]


def test_more_closures_than_a_bucket_keeps_are_never_joined_over_open_days():
    closures = [(date(2026, 3, d), date(2026, 3, d), "", None, None, True) for d in range(1, 12, 2)]
    always = [(None, None, "MO,TU,WE,TH,FR,SA,SU", time(0), time(23, 59), False)]
    hours = search_hours(always + closures)
    packed = pack([_row(0, hours, "America/New_York")])
    between = datetime(2026, 3, 4, 17, tzinfo=UTC)  # noon in New York, between two closures
    on_one = datetime(2026, 3, 5, 17, tzinfo=UTC)
    for moment in (between, on_one):
        expected = row_open_state(hours, "America/New_York", moment).open_now is True
        assert open_flags(packed, np.arange(1), moment).tolist() == [expected]
    assert (packed.weeks["closed"] == (1, 0)).all()  # kept as dated days instead


def test_moments_beyond_the_days_a_bucket_numbers_are_answered_in_python():
    # Days are kept as numbers from 2000 to 2179; a season's rows hold on every day.
    season = [
        (date(2190, 6, 1), date(2190, 8, 31), "MO,TU,WE,TH,FR,SA,SU", time(9), time(17), False)
    ]
    closure = [(date(1999, 12, 31), date(1999, 12, 31), "", None, None, True)]
    always = [(None, None, "MO,TU,WE,TH,FR,SA,SU", time(0), time(23, 59), False)]
    texts = [search_hours(season), search_hours(always + closure)]
    packed = pack([_row(i, hours, "America/New_York") for i, hours in enumerate(texts)])
    for moment in (
        datetime(2190, 7, 1, 17, tzinfo=UTC),
        datetime(1999, 12, 31, 17, tzinfo=UTC),
        datetime(2000, 1, 1, 17, tzinfo=UTC),
    ):
        expected = [row_open_state(h, "America/New_York", moment).open_now is True for h in texts]
        assert open_flags(packed, np.arange(2), moment).tolist() == expected
