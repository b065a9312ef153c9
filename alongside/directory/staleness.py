"""When a listing's last verification is too old for search to show it."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils import timezone

from alongside.lib.dates import months_before


def hidden_before(today: date | None = None) -> date:
    """Listings last verified before this day are hidden from search
    (``DIRECTORY_HIDE_AFTER_MONTHS``); never verified ones are not."""
    return months_before(today or timezone.localdate(), settings.DIRECTORY_HIDE_AFTER_MONTHS)


def is_stale(verified_on: date | None, today: date | None = None) -> bool:
    """Verified, but so long ago that search hides it."""
    return verified_on is not None and verified_on < hidden_before(today)
