"""Reading the directory: the search behind both ``/find/`` and ``/api/v1/search``."""

from __future__ import annotations

import json
import threading
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from alongside.core.search import search_matches_bounded, stems_rank
from alongside.directory import geo
from alongside.directory.hours import OpenState, open_state
from alongside.directory.models import SearchEntry, Service
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
    # True when a search with no place or county stopped at ``DIRECTORY_SEARCH_LIMIT``.
    limited: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(slots=True)
class _Candidate:
    key: Any  # the service id as the database hands it over (hex text on SQLite)
    bits: int
    tags: str
    name: str
    town: str
    distance: float | None
    hours: str  # JSON schedule rows (``services.search_hours``)
    zone: str
    rank: int = 0


def _county_name(text: str) -> str:
    text = text.strip()
    return text if text.lower().endswith(" county") else f"{text} County"


def _area_values(place: geo.Place) -> set[str]:
    """The service areas (state, county, ZIP) that contain ``place``.

    The three kinds of value cannot be mistaken for one another ("NH", "Merrimack County, NH",
    "03301"), so one ``IN`` list covers them all.
    """
    values = {place.state, place.postal_code}
    if place.county and place.state:
        values.add(f"{place.county}, {place.state}")
    return {v for v in values if v}


_COLUMNS = ("service_id", "latitude", "longitude", "tags", "name", "town", "hours", "timezone_name")


def _entry_sets(data: dict[str, Any], place: geo.Place | None) -> list[QuerySet[SearchEntry]]:
    """Index-friendly queries, one per kind of place (physical; area-wide), for a search."""
    visible = SearchEntry.objects.filter(visible=True)
    if place is None and not data.get("county"):
        return [visible]
    physical = visible.filter(area_scope="")
    areas = visible.exclude(area_scope="")
    area_values: set[str] | None = None  # None: any area
    if place is not None:
        radius = data.get("radius") or DEFAULT_RADIUS
        min_lat, max_lat, min_lon, max_lon = geo.bounding_box(
            place.latitude, place.longitude, radius
        )
        physical = physical.filter(
            latitude__range=(min_lat, max_lat), longitude__range=(min_lon, max_lon)
        )
        area_values = _area_values(place)
    if data.get("county"):
        county = geo.county_spelling(_county_name(data["county"]))
        states = geo.states_with_county(county)
        physical = physical.filter(county=county)
        in_county = {f"{county}, {s}" for s in states} | set(states)
        area_values = in_county if area_values is None else area_values & in_county
    if area_values is not None:
        areas = areas.filter(area_value__in=sorted(area_values))
    return [physical, areas]


def _service_key(object_id: str) -> Any:
    """A full-text document's object id, in the form the database gives ``service_id``."""
    value = uuid.UUID(object_id)
    return value if connection.vendor == "postgresql" else value.hex


def _candidates(data: dict[str, Any], place: geo.Place | None) -> tuple[list[_Candidate], bool]:
    """One candidate per service (its nearest matching place), and whether the list was cut."""
    entry_sets = _entry_sets(data, place)
    placed = place is not None or bool(data.get("county"))
    query = data.get("q") or ""
    limit = settings.DIRECTORY_SEARCH_LIMIT
    limited = False
    ranks: dict[Any, int] = {}
    columns: tuple[str, ...] = _COLUMNS
    if query and placed:
        # Keywords within a place: match the stems kept beside each of these few rows.
        columns = (*_COLUMNS, "words")
    elif query:
        # Keywords alone: matches from the full-text index, a bounded number of them, those
        # with the words in their name first (as with the stems near a place).
        matched = search_matches_bounded(SEARCH_KIND, query, limit=limit + 1)
        limited = len(matched) > limit
        ranks = {_service_key(oid): rank for oid, rank in list(matched.items())[:limit]}
        entry_sets = [entries.filter(service_id__in=list(ranks)) for entries in entry_sets]
    elif not placed:
        # Nothing to narrow by: the first listings by name, a bounded number of them.
        entry_sets = [entries.order_by("name")[: limit + 1] for entries in entry_sets]
    row_sets = [_raw(entries.values_list(*columns)) for entries in entry_sets]
    if not query and not placed:
        limited = any(len(rows) > limit for rows in row_sets)

    radius = data.get("radius") or DEFAULT_RADIUS
    best: dict[Any, _Candidate] = {}
    for key, lat, lon, tags, name, town, hours, zone, *words in (r for s in row_sets for r in s):
        if words:
            rank = stems_rank(query, words[0])
            if rank is None:
                continue
        else:
            rank = ranks.get(key, 0)
        distance = None
        if place is not None and lat is not None and lon is not None:
            distance = geo.miles_between(place.latitude, place.longitude, lat, lon)
            if distance > radius:
                continue
        current = best.get(key)
        if current is None or (
            distance is not None and (current.distance is None or distance < current.distance)
        ):
            best[key] = _Candidate(
                key, _tag_bits(tags), tags, name, town, distance, hours, zone, rank
            )
    candidates = list(best.values())
    if not query and not placed:
        candidates = sorted(candidates, key=lambda c: c.name)[:limit]
    return candidates, limited


# Filter codes as bits of one integer: a listing passes a filter when its bits meet the
# filter's mask, and facet counts add up per distinct combination of codes.
_BIT_OF_TAG: dict[str, int] = {}
_TAG_OF_BIT: list[str] = []
_BITS_LOCK = threading.Lock()


def _bit(tag: str) -> int:
    bit = _BIT_OF_TAG.get(tag)
    if bit is None:
        with _BITS_LOCK:
            bit = _BIT_OF_TAG.get(tag)
            if bit is None:
                bit = _BIT_OF_TAG[tag] = 1 << len(_TAG_OF_BIT)
                _TAG_OF_BIT.append(tag)
    return bit


@lru_cache(maxsize=65536)
def _tag_bits(tags: str) -> int:
    bits = 0
    for tag in tags.split():
        bits |= _bit(tag)
    return bits


@lru_cache(maxsize=65536)
def _tags_of(bits: int) -> tuple[tuple[str, str], ...]:
    found = []
    for index in range(bits.bit_length()):
        if bits >> index & 1:
            group, _sep, code = _TAG_OF_BIT[index].partition(":")
            found.append((group, code))
    return tuple(found)


def _masks(data: dict[str, Any]) -> dict[str, int]:
    masks = {}
    for group in FILTER_GROUPS:
        if data.get(group):
            mask = 0
            for value in data[group]:
                mask |= _bit(f"{group}:{value}")
            masks[group] = mask
    return masks


def _facets(candidates: list[_Candidate], masks: dict[str, int]) -> dict[str, dict[str, int]]:
    """For each filter, counts per value under every *other* active filter."""
    # A candidate counts towards every filter when it passes them all, and towards one
    # filter alone when that is the only one it fails.
    tally: Counter[tuple[int, str]] = Counter()
    if not masks:
        tally.update((c.bits, "") for c in candidates)
    else:
        for c in candidates:
            failed = [group for group, mask in masks.items() if not c.bits & mask]
            if not failed:
                tally[(c.bits, "")] += 1
            elif len(failed) == 1:
                tally[(c.bits, failed[0])] += 1
    facets: dict[str, dict[str, int]] = {group: defaultdict(int) for group in FILTER_GROUPS}
    for (bits, only), count in tally.items():
        for group, code in _tags_of(bits):
            if group in facets and (not only or only == group):
                facets[group][code] += count
    return {group: dict(sorted(counts.items())) for group, counts in facets.items()}


@dataclass(slots=True)
class _Row:
    """The fields of a schedule row that ``hours.open_state`` reads, from raw values."""

    valid_from: date | None
    valid_to: date | None
    byday: str
    opens_at: time | None
    closes_at: time | None
    closed: bool
    description: str = ""

    @classmethod
    def parse(
        cls, valid_from: Any, valid_to: Any, byday: str, opens: Any, closes: Any, closed: Any
    ) -> _Row:
        # From ``services.search_hours``: dates and times as ISO text.
        def day(v: Any) -> date | None:
            return date.fromisoformat(v) if isinstance(v, str) else v

        def clock(v: Any) -> time | None:
            return time.fromisoformat(v) if isinstance(v, str) else v

        return cls(day(valid_from), day(valid_to), byday, clock(opens), clock(closes), bool(closed))


def _raw(values: QuerySet[Any]) -> list[tuple]:
    # Straight from the cursor: thousands of rows, and Django's per-value converters (UUIDs
    # above all) would cost more than the query itself.
    try:
        sql, params = values.query.sql_with_params()
    except EmptyResultSet:  # an empty ``__in`` list
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _open_states(candidates: list[_Candidate], moment: datetime) -> dict[Any, OpenState]:
    """Open or closed at ``moment``, from the hours kept on each search row: no query."""
    return {
        c.key: open_state(
            [_Row.parse(*row) for row in json.loads(c.hours or "[]")],
            c.zone or settings.TIME_ZONE,
            moment,
        )
        for c in candidates
    }


def _codes(tags: str) -> dict[str, list[str]]:
    codes: dict[str, list[str]] = {g: [] for g in FILTER_GROUPS}
    for tag in sorted(tags.split()):
        group, _sep, code = tag.partition(":")
        if group in codes:
            codes[group].append(code)
    return codes


def services_search(data: dict[str, Any], place: geo.Place | None = None) -> SearchResults:
    """Search the directory with the validated parameters of ``SearchForm``."""
    moment = data.get("open_at") or timezone.now()
    masks = _masks(data)
    candidates, limited = _candidates(data, place)
    facets = _facets(candidates, masks)
    wanted = list(masks.values())
    matching = [c for c in candidates if all(c.bits & mask for mask in wanted)]

    states: dict[Any, OpenState] = {}
    wants_open = bool(data.get("open_now") or data.get("open_at"))
    if wants_open:
        states = _open_states(matching, moment)
        matching = [c for c in matching if states[c.key].open_now]

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
    if not wants_open:
        states = _open_states(chunk, moment)
    services = Service.objects.select_related("organization").prefetch_related("phones")
    by_key = {_service_key(str(s.id)): s for s in services.filter(id__in=[c.key for c in chunk])}
    results = [
        Result(by_key[c.key], c.distance, c.town, _codes(c.tags), states[c.key]) for c in chunk
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
        limited=limited,
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
