"""Open now, worked out on whole columns of packed search rows (``directory.buckets``).

Each row points at its schedule's week; the week says, per local minute, whether it is open,
and which days are closed or have special hours. Only rows the columns cannot settle (special
hours today, or just after a closed day's midnight) go to the plain rule, ``hours.open_state``.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings

from alongside.directory.day_parts import week_windows
from alongside.directory.hours import (
    DayHours,
    OpenState,
    open_during,
    open_state,
    rows_of_json,
    second_of_week,
    week_table,
)
from alongside.directory.search.buckets import (
    _ALL_DAYS,
    LAST_DAY,
    Packed,
    day_number,
)


def row_open_state(hours: str, zone: str, moment: datetime) -> OpenState:
    return open_state(rows_of_json(hours), zone or settings.TIME_ZONE, moment)


def row_today(hours: str, zone: str, moment: datetime) -> DayHours | None:
    """A search row's hours of the day of ``moment`` in its own zone (None when not listed)."""
    table = week_table(rows_of_json(hours), zone or settings.TIME_ZONE, moment)
    return table[0] if table else None


# Odd constants to mix a time zone's name, read as four 64-bit words, into one.
ZONE_MIX = np.array(
    [1, 0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9], dtype=np.uint64
)


def distinct_zones(names: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct time-zone names of ``WEEK["zone"]`` (in no set order) and where each name
    is among them, found by a mix of each name's words rather than by sorting the strings.
    Names that mix alike but differ take the slow way."""
    words = np.ascontiguousarray(names).view(np.uint64).reshape(-1, 4)
    mixed = (
        words[:, 0]
        ^ (words[:, 1] * ZONE_MIX[1])
        ^ (words[:, 2] * ZONE_MIX[2])
        ^ (words[:, 3] * ZONE_MIX[3])
    )
    _mixed, first, inverse = np.unique(mixed, return_index=True, return_inverse=True)
    if not (words[first][inverse] == words).all():
        return np.unique(names, return_inverse=True)
    return names[first], inverse


def open_flags(packed: Packed, rows: np.ndarray, moment: datetime) -> np.ndarray:
    """Open at ``moment`` or not, for the given rows, by their schedules' weeks (``WEEK``):
    in Python only for a schedule with special hours today or yesterday, or just after
    midnight following a day it was closed (its own hours and yesterday's may meet there)."""
    weeks = packed.weeks
    each = packed.entries["week"][rows]
    used = np.flatnonzero(np.bincount(each, minlength=len(weeks)))
    # The local minute of the week and the local day, once per time zone.
    zones, zone_of = distinct_zones(weeks["zone"][used])
    local = [moment.astimezone(ZoneInfo(z.decode() or settings.TIME_ZONE)) for z in zones]
    minute = np.array([second_of_week(t) // 60 for t in local], dtype=np.uint16)[zone_of]
    day = np.array([day_number(t.date()) for t in local], dtype=np.int32)[zone_of]
    spans = weeks["spans"][used]
    within = (spans[:, :, 0] <= minute[:, None]) & (minute[:, None] < spans[:, :, 1])
    open_now = np.asarray(within.any(axis=1))
    # On a closed day only yesterday's hours that run past midnight are open; the day after
    # one, yesterday's weekly hours do not count.
    closed = weeks["closed"][used]
    some = _with_ranges(closed)
    ranges, on, at = closed[some], day[some], minute[some]
    today, yesterday = _among(ranges, on), _among(ranges, on - 1)
    spill = weeks["spill"][used[some], (at // _DAY_MINUTES + 6) % 7]
    spilled = at % _DAY_MINUTES < spill
    open_now[some[today]] = (spilled & ~yesterday)[today]
    unsure = np.zeros(len(used), dtype=bool)
    unsure[some] = ~today & yesterday & spilled
    # Special hours today, or yesterday (they can run into today): in Python.
    dated = weeks["dated"][used]
    some = _with_ranges(dated)
    unsure[some] |= _among(dated[some], day[some]) | _among(dated[some], day[some] - 1)
    beyond = (day < 1) | (day > LAST_DAY)  # before 2000-01-02 or after 2179: every dated row
    if beyond.any():
        keys = weeks["key"][used]
        unsure |= beyond & np.array([str(int(k)) in packed.hours for k in keys], dtype=bool)
    for index in np.flatnonzero(unsure):
        zone, hours = packed.hours[str(int(weeks["key"][used[index]]))]
        open_now[index] = row_open_state(hours, zone, moment).open_now is True
    flags = np.zeros(len(weeks), dtype=bool)
    flags[used] = open_now
    return flags[each]


_DAY_MINUTES = 24 * 60


def _with_ranges(ranges: np.ndarray) -> np.ndarray:
    """The rows with any range of days (``WEEK["dated"]`` and alike): ranges are kept first,
    so a row with none has an empty first one."""
    return np.flatnonzero(ranges[:, 0, 0] <= ranges[:, 0, 1])


def _among(ranges: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Whether each row's ``day`` falls in one of its ranges (``WEEK["dated"]`` and alike)."""
    return np.asarray(
        ((ranges[:, :, 0] <= day[:, None]) & (day[:, None] <= ranges[:, :, 1])).any(axis=1)
    )


def hours_flags(packed: Packed, rows: np.ndarray, day: str, time_of_day: str) -> np.ndarray:
    """Open at some time of the day and time of day asked, in its own local time, by its
    weekly hours (the hours "open now" reads; special hours of single days do not count).

    A weekly stretch is local wall-clock time, so daylight saving time moves nothing; hours
    that run past midnight belong to the night they started in and to the next morning."""
    weeks = packed.weeks
    each = packed.entries["week"][rows]
    used = np.flatnonzero(np.bincount(each, minlength=len(weeks)))
    spans = weeks["spans"][used].astype(np.int32)
    found = np.zeros(len(used), dtype=bool)
    windows = week_windows(day, time_of_day)
    for first, last in windows:
        found |= ((spans[:, :, 0] < last) & (first < spans[:, :, 1])).any(axis=1)
    # A schedule kept with every day dated (a season of weekly hours): its rows, in Python.
    every = (weeks["dated"][used, 0, 0] == _ALL_DAYS[0][0]) & (
        weeks["dated"][used, 0, 1] == _ALL_DAYS[0][1]
    )
    for index in np.flatnonzero(every):
        key = str(int(weeks["key"][used[index]]))
        if key in packed.hours:
            _zone, hours = packed.hours[key]
            found[index] = open_during(rows_of_json(hours), windows)
    flags = np.zeros(len(weeks), dtype=bool)
    flags[used] = found
    return flags[each]
