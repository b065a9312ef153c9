"""Our own public groups as directory listings, so that directory search finds them by place,
day and time: type ``peer_group`` (and ``online_support`` online), with their weekly hours and
the next weeks' cancelled or moved dates as schedule rows.

Written through the same directory function as a Meeting Guide import
(``directory.listings.kept_listings_put``), keyed by source ``groups`` and the group's slug.
The listing belongs to the directory organization the group's organization keeps listings
for (an approved claim), else one of the same name, else a new one named after it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, time, timedelta

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from alongside.directory.listings import (
    DatedHours,
    KeptListing,
    KeptResult,
    WeeklyHours,
    kept_listing_withdraw,
    kept_listings_put,
    provider_kept_by,
)
from alongside.groups.feeds import group_address
from alongside.groups.models import Group, MeetingTime, Session
from alongside.groups.schedule import occurrences

SOURCE = "groups"
# How far ahead a listing carries single-date changes; ``groups_sync_listings`` run daily
# moves the window on.
EXCEPTIONS_DAYS = 56
_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def group_listing_sync(group: Group, *, previous_slug: str = "") -> None:
    """Bring the group's directory listing in step with it: listed when the group is public
    and meets now, taken out of search otherwise. Call after a group, its times or a session
    changed (inside the service's transaction: search is re-indexed after commit). Listings
    are keyed by slug: give ``previous_slug`` when the slug changed, to withdraw the old one."""
    if previous_slug and previous_slug != group.slug:
        kept_listing_withdraw(source=SOURCE, key=previous_slug)
    groups_listings_sync(Group.objects.with_scopes_disabled().filter(pk=group.pk))


def groups_listings_sync(groups: QuerySet[Group]) -> tuple[KeptResult, int]:
    """Sync many groups at once; returns what was written and how many were withdrawn."""
    today = timezone.localdate()
    last = today + timedelta(days=EXCEPTIONS_DAYS)
    groups = groups.select_related("organization", "location").prefetch_related(
        Prefetch("meeting_times", queryset=MeetingTime.objects.with_scopes_disabled().all()),
        Prefetch(
            "sessions",
            queryset=Session.objects.with_scopes_disabled().filter(
                scheduled_date__gte=today - timedelta(days=1),
                scheduled_date__lte=last,
            ),
        ),
        "location__addresses",
    )
    providers: dict[object, object] = {}
    listings: list[KeptListing] = []
    withdrawn = 0
    for group in groups:
        if not (group.listed_publicly and group.active):
            withdrawn += kept_listing_withdraw(source=SOURCE, key=group.slug)
            continue
        if group.organization_id not in providers:
            providers[group.organization_id] = provider_kept_by(group.organization)
        listings.append(group_listing(group, providers[group.organization_id], today, last))
    return kept_listings_put(listings), withdrawn


def group_listing(group: Group, provider_id: object, today: date, last: date) -> KeptListing:
    """What the directory lists of a public group."""
    rules = list(group.meeting_times.all())
    where = group_address(group)
    codes = ["peer_group", *group.populations, *group.focus]
    if group.online:
        codes += ["online_support"]
        codes += ["video"] if group.conference_url else []
        codes += ["phone"] if group.conference_phone else []
    if group.in_person:
        codes += ["in_person"]
    location = group.location
    return KeptListing(
        source=SOURCE,
        key=group.slug,
        name=group.name,
        provider=group.organization.name,
        provider_id=provider_id,  # type: ignore[arg-type]
        description=group.description,
        url=_page_url(group) if settings.ALONGSIDE_SITE_URL else "",
        how_to_join=_how_to_join(group),
        codes=codes,
        weekly=_weekly(rules, today),
        dated=_dated(group, rules, today, last),
        timezone=group.timezone,
        in_person=group.in_person,
        online=group.online,
        place_name=where["location"],
        address=where["address"],
        city=where["city"],
        state=where["state"] or group.organization.state,
        postal_code=where["postal_code"],
        latitude=location.latitude if location else None,
        longitude=location.longitude if location else None,
        conference_phone=group.conference_phone if group.conference_public else "",
        languages=[group.language] if group.language else [],
    )


def _page_url(group: Group) -> str:
    path = reverse("groups_public:detail", args=[group.slug])
    return settings.ALONGSIDE_SITE_URL.rstrip("/") + path


def _how_to_join(group: Group) -> str:
    lines = []
    if not group.is_open:
        lines.append("A closed group: for members only. Register first.")
    if group.online:
        if group.conference_public and group.conference_url:
            lines.append(f"Join online: {group.conference_url}")
        elif not group.conference_public:
            lines.append("Online: register to get the link.")
    lines.append(f"Upcoming meetings: {reverse('groups_public:detail', args=[group.slug])}")
    return "\n".join(lines)


def _weekly(rules: list[MeetingTime], today: date) -> list[WeeklyHours]:
    """Weekly rules at the same times and dates of validity, as one row with their days."""
    days: dict[tuple[time, time, date | None, date | None], set[int]] = defaultdict(set)
    for rule in rules:
        if rule.weekday is None or (rule.ends_on and rule.ends_on < today):
            continue
        days[(rule.start_time, rule.end_time, rule.starts_on, rule.ends_on)].add(rule.weekday)
    return [
        WeeklyHours(",".join(_BYDAY[d] for d in sorted(weekdays)), start, end, since, until)
        for (start, end, since, until), weekdays in sorted(days.items(), key=str)
    ]


def _dated(group: Group, rules: list[MeetingTime], today: date, last: date) -> list[DatedHours]:
    """One-off dates, and cancelled or moved sessions, from today to ``last``."""
    dated = []
    for each in occurrences(group, today, last, rules=rules, sessions=group.sessions.all()):
        one_off = any(r.weekday is None and r.date == each.scheduled_date for r in rules)
        if each.cancelled:
            note = each.session.public_note if each.session else ""
            dated.append(DatedHours(each.scheduled_date, True, note=note or "Cancelled"))
        elif each.moved or one_off:
            if each.moved and each.date != each.scheduled_date:
                dated.append(DatedHours(each.scheduled_date, True, note="Moved"))
            dated.append(DatedHours(each.date, False, each.start_time, each.end_time))
    return dated
