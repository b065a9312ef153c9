"""Days and parts of the day as the directory search and the groups list ask for them."""

from __future__ import annotations

from alongside.directory.day_parts import DAY_MINUTES, WEEK_MINUTES, week_windows


def test_tuesday_evening_is_one_stretch_of_the_week() -> None:
    assert week_windows("tue", "evening") == [(DAY_MINUTES + 17 * 60, DAY_MINUTES + 21 * 60)]


def test_sunday_night_runs_into_monday_morning() -> None:
    assert week_windows("sun", "night") == [
        (6 * DAY_MINUTES + 21 * 60, WEEK_MINUTES),
        (0, 5 * 60),
    ]


def test_a_day_alone_is_the_whole_day_and_nothing_asked_is_no_filter() -> None:
    assert week_windows("mon") == [(0, DAY_MINUTES)]
    assert len(week_windows(time_of_day="morning")) == 7
    assert week_windows() == []
