"""Reading the directory for a page: a listing, the verification queue, a referral's pick.

The search itself is ``directory.search``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.directory.hours import (
    DayHours,
    OpenState,
)
from alongside.directory.models import Service
from alongside.directory.search import services_search
from alongside.directory.staleness import hidden_before, is_stale


@dataclass
class ServiceDetail:
    service: Service
    codes: dict[str, list[str]]
    locations: list[Any]
    areas: list[Any]
    week: list[DayHours]
    state: OpenState
    zone: str
    hidden_reason: str
    other_services: list[Service]

    @property
    def is_warm_line(self) -> bool:
        return "warm_line" in self.codes["type"]


def service_detail(service_id: Any, at: datetime) -> ServiceDetail | None:
    """Everything the listing page shows, in a fixed number of queries."""
    from alongside.directory.hours import listing_state, week_table
    from alongside.directory.services import service_codes

    service = (
        Service.objects.select_related("organization")
        .prefetch_related(
            "phones",
            "contacts__phones",
            "schedules",
            "languages",
            "cost_options",
            "service_areas",
            "service_at_locations__location__addresses",
            "service_at_locations__location__accessibility",
        )
        .filter(pk=service_id)
        .exclude(status=Service.Status.DEFUNCT)
        .first()
    )
    if service is None:
        return None
    locations = [sal.location for sal in service.service_at_locations.all()]
    physical = [loc for loc in locations if loc.location_type != loc.LocationType.VIRTUAL]
    zone = physical[0].timezone_name if physical else settings.TIME_ZONE
    schedules = list(service.schedules.all())
    hidden_reason = ""
    if service.status != Service.Status.ACTIVE:
        hidden_reason = "inactive"
    elif is_stale(service.verified_on):
        hidden_reason = "stale"
    others = list(
        Service.objects.filter(organization=service.organization, status=Service.Status.ACTIVE)
        .exclude(pk=service.pk)
        .order_by("name")[:10]
    )
    return ServiceDetail(
        service=service,
        codes=service_codes(service),
        locations=physical,
        areas=list(service.service_areas.all()),
        week=week_table(schedules, zone, at),
        state=listing_state(schedules, zone, at),
        zone=zone,
        hidden_reason=hidden_reason,
        other_services=others,
    )


def services_due_for_verification(today: Any = None) -> QuerySet[Service]:
    """Never verified first, then the longest unverified; ``DIRECTORY_REVERIFY_AFTER_MONTHS``."""
    from django.db.models import F

    from alongside.lib.dates import months_before

    today = today or timezone.localdate()
    cutoff = months_before(today, settings.DIRECTORY_REVERIFY_AFTER_MONTHS)
    return (
        Service.objects.exclude(status=Service.Status.DEFUNCT)
        .filter(Q(verified_on__isnull=True) | Q(verified_on__lt=cutoff))
        .select_related("organization")
        .order_by(F("verified_on").asc(nulls_first=True), "name")
    )


def listing_name(service_id: Any) -> str | None:
    """ "Service (Provider)" for a listing that is not defunct, else None (referrals name it)."""
    try:
        uuid.UUID(str(service_id))
    except ValueError:
        return None
    row = (
        Service.objects.exclude(status=Service.Status.DEFUNCT)
        .filter(pk=service_id)
        .values_list("name", "organization__name")
        .first()
    )
    return f"{row[0]} ({row[1]})" if row else None


def listing_names(service_ids: Any) -> dict[Any, str]:
    """ "Service (Provider)" by id for the listings among ``service_ids`` that are not defunct.
    One query."""
    rows = (
        Service.objects.exclude(status=Service.Status.DEFUNCT)
        .filter(pk__in=[i for i in service_ids if i])
        .values_list("pk", "name", "organization__name")
    )
    return {pk: f"{name} ({provider})" for pk, name, provider in rows}


def listing_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every listing that is not defunct as grouped form choices, warm lines first, by name:
    what a warm line can point at for its hours. Two queries."""
    from alongside.directory.models import Attribute
    from alongside.directory.taxonomy import TAXONOMY_NAME

    warm = set(
        Attribute.objects.filter(
            taxonomy_term__taxonomy__name=TAXONOMY_NAME, taxonomy_term__code="warm_line"
        ).values_list("link_id", flat=True)
    )
    rows = (
        Service.objects.exclude(status=Service.Status.DEFUNCT)
        .order_by("name", "organization__name", "pk")
        .values_list("pk", "name", "organization__name")
    )
    warm_lines: list[tuple[str, str]] = []
    others: list[tuple[str, str]] = []
    for pk, name, provider in rows:
        (warm_lines if pk in warm else others).append((str(pk), f"{name} ({provider})"))
    groups = [(str(_("Warm lines")), warm_lines), (str(_("Other listings")), others)]
    return [(label, choices) for label, choices in groups if choices]


def listings_for_referral(
    *, query: str, near: str = "", limit: int = 10
) -> tuple[list[Any], list[str]]:
    """Listings matching a referral search, and any problem with the search (an unknown place).

    Each result is a ``Result`` (``service_id``, ``name``, ``organization_name``…).
    """
    from alongside.directory.forms import SearchForm

    if not query and not near:
        return [], []
    form = SearchForm({"q": query, "near": near, "per_page": limit})
    if not form.is_valid():
        return [], [str(message) for errors in form.errors.values() for message in errors]
    return services_search(form.params()).results, []


REMOTE_FORMATS = ("phone", "text", "video")


def statewide_services(state: str, limit: int = 5) -> list[dict[str, Any]]:
    """Services by phone, text or video that serve the whole state, by name: what a search
    that found nothing (or no place) can still offer. One query."""
    from alongside.directory.models import SearchEntry

    remote = Q()
    for code in REMOTE_FORMATS:
        remote |= Q(tags__contains=f" format:{code} ")
    rows = (
        SearchEntry.objects.filter(remote, visible=True, area_scope="state", area_value=state)
        .filter(Q(verified_on__isnull=True) | Q(verified_on__gte=hidden_before()))
        .order_by("name", "service_id")
        .values("service_id", "name")
    )
    found: dict[Any, dict[str, Any]] = {}
    for row in rows[: limit * 4]:  # a service covers a state once, or a few times at most
        found.setdefault(row["service_id"], dict(row))
    return list(found.values())[:limit]
