"""Reading GPRA episodes: all of them for the rate, and who is due this month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings

from alongside.care.report_selectors import participants_visible_to
from alongside.core.models import Membership
from alongside.lib.dates import months_before
from alongside.reports import gpra
from alongside.reports.models import GpraEpisode


@dataclass(frozen=True)
class EpisodeDates:
    intake_on: date
    followup_on: date | None


def gpra_episodes() -> list[EpisodeDates]:
    """Every episode's dates, no names (one query)."""
    rows = GpraEpisode.objects.order_by("intake_on", "id").values_list("intake_on", "followup_on")
    return [EpisodeDates(intake, followup) for intake, followup in rows]


@dataclass(frozen=True)
class Due:
    episode: GpraEpisode
    window: gpra.Window


def due_this_month(membership: Membership, today: date) -> list[Due]:
    """Episodes whose follow-up window is open some day this month with no follow-up yet,
    of the participants ``membership`` may open (two queries)."""
    first, last = gpra.month_bounds(today)
    # A rough cut by intake date; ``due_in_month`` decides.
    episodes = (
        GpraEpisode.objects.filter(
            followup_on__isnull=True,
            participant__in=participants_visible_to(membership),
            intake_on__lte=last,
            intake_on__gte=months_before(first, settings.ALONGSIDE_GPRA_WINDOW_CLOSES_MONTHS),
        )
        .select_related("participant")
        .order_by("intake_on", "id")
    )
    rows: list[Due] = []
    for episode in episodes:
        if gpra.due_in_month(episode, today):
            rows.append(Due(episode, gpra.followup_window(episode.intake_on)))
    rows.sort(key=lambda d: (d.window.closes_on, d.episode.participant.preferred_name))
    return rows


def episodes_of(participant: Any) -> list[GpraEpisode]:
    return list(GpraEpisode.objects.filter(participant=participant).order_by("intake_on", "id"))
