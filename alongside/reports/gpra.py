"""The GPRA 6-month follow-up window, who is due, and the follow-up rate.

The rules, first:

- The window opens ``ALONGSIDE_GPRA_WINDOW_OPENS_MONTHS`` calendar months after the intake
  interview and closes ``ALONGSIDE_GPRA_WINDOW_CLOSES_MONTHS`` months after it, both days
  inside (5 and 8 by default: an intake on 1 January opens on 1 June and closes on
  1 September). A month end clamps: an intake on 31 March opens on 31 August, and on
  30 September for a 6-month rule.
- A follow-up is *due in a period* when its window closes inside the period. The rate is the
  share of those done on a day inside their own window; one done before the window opens or
  after it closes is recorded but does not count.
- *Due this month*: the window is open on some day of the month and no follow-up is recorded.

Where the numbers come from: docs/reports.md, "GPRA follow-ups".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from django.conf import settings

from alongside.lib.dates import months_after


class Episode(Protocol):
    intake_on: date
    followup_on: date | None


@dataclass(frozen=True)
class Window:
    opens_on: date
    closes_on: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.opens_on <= day <= self.closes_on


def followup_window(intake_on: date) -> Window:
    return Window(
        months_after(intake_on, settings.ALONGSIDE_GPRA_WINDOW_OPENS_MONTHS),
        months_after(intake_on, settings.ALONGSIDE_GPRA_WINDOW_CLOSES_MONTHS),
    )


def in_window(episode: Episode) -> bool:
    return episode.followup_on is not None and episode.followup_on in followup_window(
        episode.intake_on
    )


@dataclass(frozen=True)
class FollowupRate:
    due: int
    done_in_window: int
    done_outside_window: int
    target_percent: int

    @property
    def percent(self) -> float | None:
        return None if not self.due else round(100 * self.done_in_window / self.due, 1)

    @property
    def meets_target(self) -> bool | None:
        percent = self.percent
        return None if percent is None else percent >= self.target_percent


def followup_rate(episodes: Iterable[Episode], start: date, end: date) -> FollowupRate:
    """The follow-ups whose window closes in ``start``..``end``, and how many were in time."""
    due = [e for e in episodes if start <= followup_window(e.intake_on).closes_on <= end]
    done = sum(1 for e in due if in_window(e))
    outside = sum(1 for e in due if e.followup_on is not None and not in_window(e))
    return FollowupRate(len(due), done, outside, settings.ALONGSIDE_GPRA_FOLLOWUP_TARGET)


def month_bounds(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    return first, months_after(first, 1) - timedelta(days=1)


def due_in_month(episode: Episode, day: date) -> bool:
    """No follow-up yet, and the window is open on at least one day of ``day``'s month."""
    if episode.followup_on is not None:
        return False
    first, last = month_bounds(day)
    window = followup_window(episode.intake_on)
    return window.opens_on <= last and window.closes_on >= first
