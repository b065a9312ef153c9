"""Is a service open at a given moment, and when does it next open?

Weekly rows come from HSDS schedules (``byday`` + ``opens_at``/``closes_at``). The rules:
- each location answers in its own named time zone, so daylight saving time is right;
- split hours are several rows on one day; overnight hours close the next morning;
  00:00 to 23:59 means the whole day (HSDS's way of writing 24 hours);
- a dated row (``valid_from``..``valid_to``) replaces the weekly rows on those days: it is
  either a closure (``closed``) or that day's special hours;
- no rows at all means the hours are unknown, which never counts as open; on a listing page,
  so does a row without times ("By appointment"), which is not closed either.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
END_OF_DAY = time(23, 59)


class ScheduleRow(Protocol):
    valid_from: date | None
    valid_to: date | None
    byday: str
    opens_at: time | None
    closes_at: time | None
    closed: bool
    description: str


@dataclass(frozen=True)
class Interval:
    start: datetime
    end: datetime

    @property
    def ends_at_midnight(self) -> bool:
        """Closes as its day ends (a 23:59 or 00:00 closing): "to midnight", not "12:00 AM"."""
        return self.end == datetime.combine(
            self.start.date() + timedelta(days=1), time(0), self.end.tzinfo
        )

    @property
    def ends_next_day(self) -> bool:
        """Overnight hours: closes the next morning, not (as the clock reads) before it opens."""
        return self.end.date() > self.start.date() and not self.ends_at_midnight


@dataclass(slots=True)
class Row:
    """A schedule row as ``indexing.search_hours`` keeps it for search (not saved)."""

    valid_from: date | None
    valid_to: date | None
    byday: str
    opens_at: time | None
    closes_at: time | None
    closed: bool
    description: str = ""


def rows_of_json(text: str) -> list[Row]:
    """The rows of ``indexing.search_hours``: dates and times as ISO text."""

    def day(value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None

    def clock(value: str | None) -> time | None:
        return time.fromisoformat(value) if value else None

    return [
        Row(day(start), day(end), byday, clock(opens), clock(closes), bool(closed))
        for start, end, byday, opens, closes, closed in json.loads(text or "[]")
    ]


def _is_dated(row: ScheduleRow) -> bool:
    # A dated exception is a short window, or a closure of every day of a longer one ("closed
    # for the summer"); a weekly row may also carry validity dates, but a long one (over two
    # weeks) is a season of weekly hours, not an exception.
    if row.valid_from is None or row.valid_to is None:
        return False
    if row.closed and not row.byday:
        return True
    return (row.valid_to - row.valid_from).days <= 14 and (row.closed or not row.byday)


def _covers(row: ScheduleRow, day: date) -> bool:
    return (row.valid_from is None or row.valid_from <= day) and (
        row.valid_to is None or day <= row.valid_to
    )


def _rows_for_day(rows: Sequence[ScheduleRow], day: date) -> list[ScheduleRow]:
    """The rows that set the hours of ``day``: its dated exceptions if any, else weekly rows."""
    exceptions = [r for r in rows if _is_dated(r) and _covers(r, day)]
    if exceptions:
        return exceptions
    code = DAY_CODES[day.weekday()]
    return [
        r
        for r in rows
        if not _is_dated(r)
        and not r.closed
        and code in r.byday.upper().split(",")
        and _covers(r, day)
    ]


def intervals_for_day(rows: Sequence[ScheduleRow], day: date, zone: ZoneInfo) -> list[Interval]:
    """Opening intervals that start on ``day`` (an overnight one ends the next day)."""
    intervals = []
    for row in _rows_for_day(rows, day):
        if row.closed or row.opens_at is None or row.closes_at is None:
            continue
        start = datetime.combine(day, row.opens_at, zone)
        if row.closes_at == END_OF_DAY:
            end = datetime.combine(day + timedelta(days=1), time(0, 0), zone)
        elif row.closes_at <= row.opens_at:
            end = datetime.combine(day + timedelta(days=1), row.closes_at, zone)
        else:
            end = datetime.combine(day, row.closes_at, zone)
        intervals.append(Interval(start, end))
    return sorted(intervals, key=lambda i: i.start)


WEEK_SECONDS = 7 * 24 * 3600
_A_MONDAY = date(2024, 1, 1)
_UTC = ZoneInfo("UTC")  # no daylight saving time: an interval's length is its wall-clock length


@dataclass(frozen=True)
class Week:
    """A schedule's weekly hours as open stretches of a week, for checking many at once.

    ``spans`` are [start, end) in seconds of local time from Monday 00:00, sorted and apart;
    they hold on every day but those in the ``dated`` ranges (first and last day, sorted and
    apart), where dated rows set special hours, and those in the ``closed`` ranges, where
    dated rows close the service all day. ``spill`` is, for each weekday from Monday, how
    far (seconds) that day's hours run past midnight into the next: what is still open on
    the morning of a closed day."""

    spans: tuple[tuple[int, int], ...]
    dated: tuple[tuple[date, date], ...]
    closed: tuple[tuple[date, date], ...] = ()
    spill: tuple[int, ...] = (0,) * 7


def _day_ranges(rows: Iterable[ScheduleRow]) -> tuple[tuple[date, date], ...]:
    """The days the rows' validity dates cover, as sorted ranges; touching ones joined."""
    days: list[tuple[date, date]] = []
    ranges = [(r.valid_from, r.valid_to) for r in rows if r.valid_from and r.valid_to]
    for first, last in sorted(ranges):
        if days and first <= days[-1][1] + timedelta(days=1):
            days[-1] = (days[-1][0], max(last, days[-1][1]))
        else:
            days.append((first, last))
    return tuple(days)


def _overlap(a: Sequence[tuple[date, date]], b: Sequence[tuple[date, date]]) -> bool:
    return any(first <= b_last and b_first <= last for first, last in a for b_first, b_last in b)


def week_of(rows: Iterable[ScheduleRow]) -> Week:
    """The weekly hours of a schedule, worked out once so that "open now" is a lookup."""
    rows = list(rows)
    weekly = [r for r in rows if not _is_dated(r)]
    if any(r.valid_from or r.valid_to for r in weekly):
        # Weekly rows of a season hold on some days only: there is no one week to keep.
        return Week((), ((date.min, date.max),))
    dated = [r for r in rows if _is_dated(r)]
    found = []
    spill = [0] * 7
    monday = datetime.combine(_A_MONDAY, time(0), _UTC)
    for offset in range(7):
        for interval in intervals_for_day(weekly, _A_MONDAY + timedelta(days=offset), _UTC):
            start = int((interval.start - monday).total_seconds())
            end = int((interval.end - monday).total_seconds())
            spill[offset] = max(spill[offset], end - (offset + 1) * 86400)
            # Sunday night's hours into Monday morning continue at the week's start.
            found += [(start, min(end, WEEK_SECONDS)), (0, end - WEEK_SECONDS)]
    spans: list[tuple[int, int]] = []
    for start, end in sorted(s for s in found if s[0] < s[1]):
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    special = _day_ranges(r for r in dated if not r.closed)
    closed = _day_ranges(r for r in dated if r.closed)
    if _overlap(special, closed):  # a day both closed and open: kept as dated
        return Week(tuple(spans), _day_ranges(dated), (), tuple(spill))
    return Week(tuple(spans), special, closed, tuple(spill))


def open_during(rows: Iterable[ScheduleRow], windows: Sequence[tuple[int, int]]) -> bool:
    """Whether any weekly row (whatever its season) is open in one of the ``windows``:
    [start, end) in minutes of the week from Monday 00:00, local time."""
    monday = datetime.combine(_A_MONDAY, time(0), _UTC)
    weekly = [r for r in rows if not _is_dated(r)]
    seasonless = [
        Row(None, None, r.byday, r.opens_at, r.closes_at, r.closed, r.description) for r in weekly
    ]
    for offset in range(7):
        for interval in intervals_for_day(seasonless, _A_MONDAY + timedelta(days=offset), _UTC):
            start = int((interval.start - monday).total_seconds()) // 60
            end = int((interval.end - monday).total_seconds()) // 60
            for shift in (0, -7 * 24 * 60):  # Sunday night's hours into Monday morning
                if any(start + shift < last and first < end + shift for first, last in windows):
                    return True
    return False


def second_of_week(local: datetime) -> int:
    """Where a local wall-clock time falls in ``Week.spans``."""
    return local.weekday() * 86400 + local.hour * 3600 + local.minute * 60 + local.second


@dataclass(frozen=True)
class OpenState:
    open_now: bool | None  # None: hours unknown
    next_open: datetime | None


def open_state(rows: Iterable[ScheduleRow], zone_name: str, at: datetime) -> OpenState:
    """Whether the service is open at ``at``, and if not, when it next opens (within 2 weeks)."""
    rows = list(rows)
    if not rows:
        return OpenState(None, None)
    zone = ZoneInfo(zone_name)
    local = at.astimezone(zone)
    today = local.date()
    # Yesterday's overnight hours may still be running.
    for day in (today - timedelta(days=1), today):
        for interval in intervals_for_day(rows, day, zone):
            if interval.start <= local < interval.end:
                return OpenState(True, None)
    for offset in range(15):
        for interval in intervals_for_day(rows, today + timedelta(days=offset), zone):
            if interval.start > local:
                return OpenState(False, interval.start)
    return OpenState(False, None)


@dataclass(frozen=True)
class DayHours:
    """A day's row of a listing's hours: the intervals that start that day.

    ``note`` is what the rows setting the day say (a holiday's name, "By appointment").
    ``known`` is False when one of those rows gives no times, or when no row sets the day and
    no weekly row gives times at all: the day's hours are then not listed, which is not closed."""

    date: date
    is_today: bool
    intervals: list[Interval]
    note: str
    known: bool = True

    @property
    def closed(self) -> bool:
        return self.known and not self.intervals

    @property
    def all_day(self) -> bool:
        """Open from midnight to midnight, as search reads 00:00–00:00 and 00:00–23:59 rows."""
        if not self.intervals:
            return False
        zone = self.intervals[0].start.tzinfo
        # Same zone object throughout, so these compare wall clocks: right on a 23- or 25-hour day.
        reached = datetime.combine(self.date, time(0), zone)
        for interval in self.intervals:
            if interval.start > reached:
                return False
            reached = max(reached, interval.end)
        return reached == datetime.combine(self.date + timedelta(days=1), time(0), zone)


def _has_times(row: ScheduleRow) -> bool:
    return row.opens_at is not None and row.closes_at is not None


def _day_hours(rows: Sequence[ScheduleRow], day: date, zone: ZoneInfo, is_today: bool) -> DayHours:
    day_rows = _rows_for_day(rows, day)
    untimed = [r for r in day_rows if not r.closed and not _has_times(r)]
    # Weekly hours close the days they leave out; rows without any times close nothing.
    weekly_times = any(_has_times(r) for r in rows if not _is_dated(r))
    known = not untimed if day_rows else weekly_times
    # A dated row's note is the point of it; a weekly row's only stands in for missing times.
    noted = day_rows if any(_is_dated(r) for r in day_rows) else untimed
    notes = dict.fromkeys(r.description.strip() for r in noted if r.description.strip())
    return DayHours(
        date=day,
        is_today=is_today,
        intervals=intervals_for_day(rows, day, zone),
        note="; ".join(notes),
        known=known,
    )


def week_table(rows: Iterable[ScheduleRow], zone_name: str, at: datetime) -> list[DayHours]:
    """The next seven days' hours, for a listing page; the first is today; empty when the hours
    are unknown (no rows), so that the page does not read them as closed."""
    rows = list(rows)
    if not rows:
        return []
    zone = ZoneInfo(zone_name)
    today = at.astimezone(zone).date()
    return [
        _day_hours(rows, today + timedelta(days=offset), zone, is_today=offset == 0)
        for offset in range(7)
    ]


def listing_state(rows: Iterable[ScheduleRow], zone_name: str, at: datetime) -> OpenState:
    """``open_state`` for a listing page, where a day whose hours are not listed (a row such as
    "By appointment" gives no times) is unknown, not closed, while no interval is open."""
    rows = list(rows)
    state = open_state(rows, zone_name, at)
    if state.open_now is False:
        zone = ZoneInfo(zone_name)
        if not _day_hours(rows, at.astimezone(zone).date(), zone, is_today=True).known:
            return OpenState(None, None)
    return state


def next_opening(
    rows: Iterable[ScheduleRow], zone_name: str, at: datetime, *, days: int = 14
) -> Interval | None:
    """The first opening that has not ended by ``at``, within ``days`` (a group listing's
    next meeting, dated changes included); None when the rows give none."""
    rows = list(rows)
    zone = ZoneInfo(zone_name)
    today = at.astimezone(zone).date()
    for offset in range(-1, days + 1):  # from yesterday: an overnight opening may still run
        for interval in intervals_for_day(rows, today + timedelta(days=offset), zone):
            if interval.end > at:
                return interval
    return None
