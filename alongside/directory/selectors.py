"""Reading the directory: the search behind both ``/find/`` and ``/api/v1/search``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from alongside.core.search import search_matches
from alongside.directory import geo
from alongside.directory.hours import OpenState, open_state
from alongside.directory.models import Schedule, SearchEntry, Service
from alongside.directory.services import SEARCH_KIND
from alongside.directory.taxonomy import GROUPS

FILTER_GROUPS = (*GROUPS, "language")
DEFAULT_RADIUS = 25


@dataclass
class Result:
    service: Service
    distance_miles: float | None
    town: str
    codes: dict[str, list[str]]
    state: OpenState


@dataclass
class SearchResults:
    total: int
    page: int
    per_page: int
    results: list[Result]
    facets: dict[str, dict[str, int]]
    place: geo.Place | None = None
    moment: datetime | None = None
    counted_open: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass
class _Candidate:
    service_id: Any
    tags: frozenset[str]
    name: str
    town: str = ""
    distance: float | None = None
    location_id: Any = None
    rank: int = 0


def _county_name(text: str) -> str:
    text = text.strip()
    return text if text.lower().endswith(" county") else f"{text} County"


def _area_q(place: geo.Place) -> Q:
    """Area-wide virtual services that cover ``place``."""
    q = Q(pk__in=[])
    if place.state:
        q |= Q(area_scope="state", area_value=place.state)
    if place.county and place.state:
        q |= Q(area_scope="county", area_value=f"{place.county}, {place.state}")
    if place.postal_code:
        q |= Q(area_scope="postal_code", area_value=place.postal_code)
    return q


def _entries(data: dict[str, Any], place: geo.Place | None) -> QuerySet[SearchEntry]:
    entries = SearchEntry.objects.filter(visible=True)
    if place is not None:
        radius = data.get("radius") or DEFAULT_RADIUS
        min_lat, max_lat, min_lon, max_lon = geo.bounding_box(
            place.latitude, place.longitude, radius
        )
        entries = entries.filter(
            Q(latitude__range=(min_lat, max_lat), longitude__range=(min_lon, max_lon))
            | _area_q(place)
        )
    if data.get("county"):
        county = _county_name(data["county"])
        states = geo.states_with_county(county)
        entries = entries.filter(
            Q(area_scope="", county__iexact=county)
            | Q(area_scope="county", area_value__in=[f"{county}, {s}" for s in states])
            | Q(area_scope="state", area_value__in=states)
        )
    return entries


def _candidates(data: dict[str, Any], place: geo.Place | None) -> dict[Any, _Candidate]:
    """One candidate per service: its nearest matching place."""
    entries = _entries(data, place)
    ranks: dict[str, int] = {}
    if data.get("q"):
        matched = search_matches(SEARCH_KIND, data["q"], limit=10000)
        ranks = {service_id: i for i, service_id in enumerate(matched)}
        if place is None and not data.get("county"):
            entries = entries.filter(service_id__in=list(ranks))
        # With a place, the geographic filter is narrower than a long IN list: intersect below.
    radius = data.get("radius") or DEFAULT_RADIUS
    best: dict[Any, _Candidate] = {}
    rows = entries.values_list(
        "service_id", "latitude", "longitude", "area_scope", "tags", "name", "town", "location_id"
    )
    for service_id, lat, lon, area_scope, tags, name, town, location_id in rows:
        if ranks and str(service_id) not in ranks:
            continue
        distance = None
        if place is not None and not area_scope and lat is not None and lon is not None:
            distance = geo.miles_between(place.latitude, place.longitude, lat, lon)
            if distance > radius:
                continue
        current = best.get(service_id)
        better = current is None or (
            distance is not None and (current.distance is None or distance < current.distance)
        )
        if better:
            best[service_id] = _Candidate(
                service_id,
                frozenset(tags.split()),
                name,
                town,
                distance,
                location_id,
                ranks.get(str(service_id), 0),
            )
    return best


def _selected(data: dict[str, Any]) -> dict[str, set[str]]:
    return {g: {f"{g}:{v}" for v in data.get(g) or []} for g in FILTER_GROUPS if data.get(g)}


def _passes(tags: frozenset[str], selected: dict[str, set[str]], skip: str = "") -> bool:
    # Values of one filter combine with OR; different filters combine with AND.
    return all(tags & wanted for group, wanted in selected.items() if group != skip)


def _facets(
    candidates: list[_Candidate], selected: dict[str, set[str]]
) -> dict[str, dict[str, int]]:
    """For each filter, counts per value under every *other* active filter."""
    facets: dict[str, dict[str, int]] = {}
    for group in FILTER_GROUPS:
        counts: dict[str, int] = defaultdict(int)
        prefix = f"{group}:"
        for candidate in candidates:
            if _passes(candidate.tags, selected, skip=group):
                for tag in candidate.tags:
                    if tag.startswith(prefix):
                        counts[tag[len(prefix) :]] += 1
        facets[group] = dict(sorted(counts.items()))
    return facets


def _schedules_by_service(service_ids: list[Any]) -> dict[Any, list[Schedule]]:
    rows: dict[Any, list[Schedule]] = defaultdict(list)
    for schedule in Schedule.objects.filter(service_id__in=service_ids):
        rows[schedule.service_id].append(schedule)
    return rows


def _zones(candidates: list[_Candidate]) -> dict[Any, str]:
    from alongside.directory.models import Location

    ids = [c.location_id for c in candidates if c.location_id]
    zones = dict(Location.objects.filter(pk__in=ids).values_list("pk", "timezone_name"))
    return {c.service_id: zones.get(c.location_id, settings.TIME_ZONE) for c in candidates}


def _codes(tags: frozenset[str]) -> dict[str, list[str]]:
    codes: dict[str, list[str]] = {g: [] for g in FILTER_GROUPS}
    for tag in sorted(tags):
        group, _sep, code = tag.partition(":")
        if group in codes:
            codes[group].append(code)
    return codes


def services_search(data: dict[str, Any], place: geo.Place | None = None) -> SearchResults:
    """Search the directory with the validated parameters of ``SearchForm``."""
    moment = data.get("open_at") or timezone.now()
    selected = _selected(data)
    all_candidates = list(_candidates(data, place).values())
    facets = _facets(all_candidates, selected)
    matching = [c for c in all_candidates if _passes(c.tags, selected)]

    states: dict[Any, OpenState] = {}
    wants_open = bool(data.get("open_now") or data.get("open_at"))
    if wants_open:
        ids = [c.service_id for c in matching]
        schedules, zones = _schedules_by_service(ids), _zones(matching)
        states = {i: open_state(schedules.get(i, []), zones[i], moment) for i in ids}
        matching = [c for c in matching if states[c.service_id].open_now]

    sort = data.get("sort") or ("distance" if place else ("relevance" if data.get("q") else "name"))
    if sort == "distance":
        matching.sort(key=lambda c: (c.distance is None, c.distance or 0, c.name))
    elif sort == "relevance" and data.get("q"):
        matching.sort(key=lambda c: (c.rank, c.name))
    else:
        matching.sort(key=lambda c: c.name.lower())

    per_page = data.get("per_page") or 20
    page = data.get("page") or 1
    chunk = matching[(page - 1) * per_page : page * per_page]
    ids = [c.service_id for c in chunk]
    services = Service.objects.select_related("organization").prefetch_related(
        "phones", Prefetch("schedules", queryset=Schedule.objects.all())
    )
    by_id = {s.id: s for s in services.filter(id__in=ids)}
    if not wants_open:
        zones = _zones(chunk)
        states = {i: open_state(by_id[i].schedules.all(), zones[i], moment) for i in ids}
    results = [
        Result(by_id[c.service_id], c.distance, c.town, _codes(c.tags), states[c.service_id])
        for c in chunk
    ]
    return SearchResults(
        total=len(matching),
        page=page,
        per_page=per_page,
        results=results,
        facets=facets,
        place=place,
        moment=moment,
        counted_open=wants_open,
    )


@dataclass
class ServiceDetail:
    service: Service
    codes: dict[str, list[str]]
    locations: list[Any]
    areas: list[Any]
    week: list[dict]
    state: OpenState
    zone: str
    hidden_reason: str
    other_services: list[Service]

    @property
    def is_warm_line(self) -> bool:
        return "warm_line" in self.codes["type"]


def service_detail(service_id: Any, at: datetime) -> ServiceDetail | None:
    """Everything the listing page shows, in a fixed number of queries."""
    from alongside.directory.hours import week_table
    from alongside.directory.services import is_stale, service_codes

    service = (
        Service.objects.select_related("organization")
        .prefetch_related(
            "phones",
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
        state=open_state(schedules, zone, at),
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
