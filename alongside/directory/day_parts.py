"""Days of the week and parts of the day ("Tuesday evening") as searches ask for them: the one
place they are defined, used by the directory search (form, API, engine) and by the public
groups list, so both say "evening" for the same hours.

A band is [starts, ends) on the local clock of the listing; "night" runs past midnight. In the
directory a listing matches when its weekly hours overlap the band on that day; the groups list
goes by when a group starts (groups are short, so the two rarely differ).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DAY_MINUTES = 24 * 60
WEEK_MINUTES = 7 * DAY_MINUTES


@dataclass(frozen=True)
class Band:
    code: str
    label: StrOrPromise  # as a choice in a form: "Evening (5 PM to 9 PM)"
    word: StrOrPromise  # as a sentence says it: "on Tuesday evening"
    starts: time
    ends: time  # not included; a band that ends before it starts runs past midnight

    def holds(self, moment: time) -> bool:
        if self.starts < self.ends:
            return self.starts <= moment < self.ends
        return moment >= self.starts or moment < self.ends

    def q(self, field: str) -> Q:
        """A filter on a ``TimeField`` for times in the band."""
        if self.starts < self.ends:
            return Q(**{f"{field}__gte": self.starts, f"{field}__lt": self.ends})
        return Q(**{f"{field}__gte": self.starts}) | Q(**{f"{field}__lt": self.ends})

    @property
    def minutes(self) -> tuple[int, int]:
        """[start, end) in minutes from the day's midnight; the end may pass the next one."""
        start = self.starts.hour * 60 + self.starts.minute
        end = self.ends.hour * 60 + self.ends.minute
        return start, end if end > start else end + DAY_MINUTES


TIME_OF_DAY: tuple[Band, ...] = (
    Band("morning", _("Morning (5 AM to noon)"), _("morning"), time(5), time(12)),
    Band("afternoon", _("Afternoon (noon to 5 PM)"), _("afternoon"), time(12), time(17)),
    Band("evening", _("Evening (5 PM to 9 PM)"), _("evening"), time(17), time(21)),
    Band("night", _("Night (9 PM to 5 AM)"), _("night"), time(21), time(5)),
)
BAND_BY_CODE = {band.code: band for band in TIME_OF_DAY}

# Days as links and forms spell them; the number is ``date.weekday()`` (Monday 0).
DAYS: tuple[tuple[str, int, StrOrPromise], ...] = (
    ("mon", 0, _("Monday")),
    ("tue", 1, _("Tuesday")),
    ("wed", 2, _("Wednesday")),
    ("thu", 3, _("Thursday")),
    ("fri", 4, _("Friday")),
    ("sat", 5, _("Saturday")),
    ("sun", 6, _("Sunday")),
)
WEEKDAY_BY_CODE = {code: number for code, number, _label in DAYS}
DAY_CHOICES = [(code, label) for code, _n, label in DAYS]
TIME_OF_DAY_CHOICES = [(band.code, band.label) for band in TIME_OF_DAY]


def week_windows(day: str = "", time_of_day: str = "") -> list[tuple[int, int]]:
    """The stretches of a week, [start, end) in minutes from Monday 00:00, that a day and a
    part of the day (either may be blank: any) cover; none when neither is asked."""
    if not day and not time_of_day:
        return []
    days = [WEEKDAY_BY_CODE[day]] if day else list(range(7))
    band = BAND_BY_CODE.get(time_of_day)
    start, end = band.minutes if band else (0, DAY_MINUTES)
    windows = []
    for number in days:
        first, last = number * DAY_MINUTES + start, number * DAY_MINUTES + end
        if last > WEEK_MINUTES:  # Sunday night runs into Monday morning
            windows += [(first, WEEK_MINUTES), (0, last - WEEK_MINUTES)]
        else:
            windows.append((first, last))
    return windows
