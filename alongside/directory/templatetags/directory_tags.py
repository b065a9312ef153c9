import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alongside.directory.hours import DayHours, Interval, ScheduleRow, next_opening
from alongside.directory.taxonomy import TERM_BY_CODE

register = template.Library()


@register.filter
def term_label(code: str) -> str:
    term = TERM_BY_CODE.get(code)
    return str(term.label) if term else code


@register.filter
def miles(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.1f}"


@register.filter
def opening(interval: Interval) -> str:
    """One stretch of opening hours in plain words, on the location's own clock."""
    opens = date_format(interval.start, "g:i A")
    if interval.ends_at_midnight:
        return _("%(opens)s–midnight") % {"opens": opens}
    closes = date_format(interval.end, "g:i A")
    if interval.ends_next_day:
        return _("%(opens)s–%(closes)s the next day") % {"opens": opens, "closes": closes}
    return f"{opens}–{closes}"


@register.filter
def day_hours(day: DayHours) -> str:
    """A day of a listing's hours in plain words: its times, "Closed", or what its rows say."""
    if day.intervals:
        if day.all_day:
            hours = _("Open 24 hours")
        else:
            hours = ", ".join(opening(interval) for interval in day.intervals)
        if not day.note:
            return hours
        return _("%(hours)s (%(note)s)") % {"hours": hours, "note": day.note}
    if day.closed:
        closed = _("Closed")
        if not day.note:
            return closed
        # "Closed for Thanksgiving" says it already; a bare "Thanksgiving" does not.
        if day.note.casefold().startswith(closed.casefold()):
            return day.note
        return _("Closed (%(note)s)") % {"note": day.note}
    return day.note or _("Hours not listed")


@register.filter
def directions_url(address: Any) -> str:
    """A plain link to directions on OpenStreetMap for a street address."""
    parts = [
        address.address_1,
        address.city,
        f"{address.state_province} {address.postal_code}".strip(),
    ]
    return "https://www.openstreetmap.org/search?" + urlencode(
        {"query": ", ".join(p for p in parts if p)}
    )


@register.filter
def first_sentence(text: str) -> str:
    """The first sentence of a description (at most about 160 characters)."""
    text = " ".join((text or "").split())
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    sentence = match[1] if match else text
    return sentence if len(sentence) <= 160 else sentence[:157].rsplit(" ", 1)[0] + "…"


@register.simple_tag
def next_meeting(rows: Iterable[ScheduleRow], zone_name: str, at: datetime | None = None) -> str:
    """A group listing's next meeting from its schedule rows: "Tue 8 Dec, 6–7 PM"."""
    interval = next_opening(rows, zone_name, at or timezone.now())
    if interval is None:
        return ""
    return f"{date_format(interval.start, 'D j M')}, {clock_span(interval)}"


def clock_span(interval: Interval) -> str:
    """ "6–7 PM", "6:30–8 PM", "11 AM–12:30 PM": the meridiem once when both share it."""

    def clock(moment: datetime) -> str:
        return date_format(moment, "g" if moment.minute == 0 else "g:i")

    start, end = interval.start, interval.end
    if date_format(start, "A") == date_format(end, "A") and not interval.ends_next_day:
        return f"{clock(start)}–{clock(end)} {date_format(end, 'A')}"
    return f"{clock(start)} {date_format(start, 'A')}–{clock(end)} {date_format(end, 'A')}"
