"""Synthetic listings in bulk, for benchmarks: ``alongside generate_directory --count N``.

Listings are spread over real US ZIP centres with a realistic mix of kinds of support,
formats, languages and hours. They are written with bulk inserts (search rows and the
full-text index included): a million written one at a time would take far too long.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import date, time
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from alongside.core.models import SearchDocument
from alongside.core.search import stems
from alongside.directory import geo
from alongside.directory.indexing import SEARCH_KIND, search_hours, search_tags
from alongside.directory.models import (
    Address,
    Attribute,
    Location,
    Organization,
    Schedule,
    SearchEntry,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)
from alongside.directory.search.buckets import buckets_rebuild, cell_of
from alongside.directory.services import taxonomy_ensure
from alongside.directory.taxonomy import TAXONOMY_NAME, TERM_BY_CODE, codes

WORDS = [
    "Hope",
    "Harbor",
    "Bridge",
    "Summit",
    "River",
    "Open Door",
    "New Leaf",
    "Compass",
    "Lantern",
    "Common Ground",
    "Pathways",
    "Kinship",
    "Turning Point",
    "Anchor",
]
# Weekly patterns. Each listing moves its own times by some quarter hours and may drop a day,
# so that, as in real data, most listings in a city have hours of their own ("open now" is
# worked out per distinct schedule).
HOURS = [
    [("MO,TU,WE,TH,FR", time(9), time(17))],
    [("MO,TU,WE,TH,FR", time(9), time(12)), ("MO,TU,WE,TH,FR", time(13), time(17))],
    [("TU,TH", time(18), time(20))],
    [("MO,TU,WE,TH,FR,SA,SU", time(0), time(23, 59))],
    [("MO,TU,WE,TH,FR,SA,SU", time(17), time(1))],
    [],
]
HOLIDAYS = ((1, 1), (7, 4), (11, 26), (12, 25))


def _shifted(at: time, quarters: int) -> time:
    if at in (time(0), time(23, 59)):  # midnight and "all day" stay as they are
        return at
    minutes = (at.hour * 60 + at.minute + 15 * quarters) % (24 * 60)
    return time(minutes // 60, minutes % 60)


def listing_hours(rng: random.Random) -> list[tuple[Any, ...]]:
    """Schedule rows (valid_from, valid_to, byday, opens_at, closes_at, closed) of a listing:
    a weekly pattern moved by its own quarter hours, perhaps a day fewer, and for one in ten
    a dated holiday closure."""
    pattern = rng.choice(HOURS)  # the rows of a pattern share their days
    opens_by, closes_by = rng.randint(-6, 4), rng.randint(-4, 8)
    days = pattern[0][0].split(",") if pattern else []
    if len(days) > 2 and rng.random() < 0.3:
        days.remove(rng.choice(days))
    rows: list[tuple[Any, ...]] = [
        (None, None, ",".join(days), _shifted(opens, opens_by), _shifted(closes, closes_by), False)
        for _days, opens, closes in pattern
    ]
    if rows and rng.random() < 0.1:
        month, day = rng.choice(HOLIDAYS)
        holiday = date(date.today().year, month, day)
        rows.append((holiday, holiday, "", None, None, True))
    return rows


def _pick(rng: random.Random, group: str, most: int) -> list[str]:
    return rng.sample(codes(group), rng.randint(1, most))


def _batches(count: int, size: int) -> Iterator[range]:
    for start in range(0, count, size):
        yield range(start, min(count, start + size))


def generate_directory(count: int, seed: int = 1, batch_size: int = 2000) -> int:
    """Add ``count`` synthetic active services; returns how many were written."""
    taxonomy_ensure()
    terms = dict(
        TaxonomyTerm.objects.filter(taxonomy__name=TAXONOMY_NAME).values_list("code", "id")
    )
    zips = [z for z in geo._zip_index().values() if z["zip_code_type"] == "STANDARD"]
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    if connection.vendor == "sqlite":
        # Random UUID keys touch pages all over the indexes: a large page cache (about
        # 1 GB, this connection only) keeps a million-listing load from crawling.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -1000000")
    for batch in _batches(count, batch_size):
        with transaction.atomic():
            _write_batch(batch, rng, zips, terms)
    with transaction.atomic():
        buckets_rebuild()  # the rows went in directly, so the buckets are packed afresh
    return count


def _write_batch(batch: range, rng: random.Random, zips: list[dict], terms: dict) -> None:
    # Unsaved rows per model, written with bulk_create at the end of the batch.
    orgs: list[Any] = []
    services: list[Any] = []
    locations: list[Any] = []
    addresses: list[Any] = []
    sals: list[Any] = []
    schedules: list[Any] = []
    attributes: list[Any] = []
    areas: list[Any] = []
    entries: list[Any] = []
    documents: list[Any] = []
    org = None
    for i in batch:
        if org is None or i % 10 == 0:
            org = Organization(id=uuid.uuid4(), name=f"{rng.choice(WORDS)} Peer Network {i // 10}")
            orgs.append(org)
        record = rng.choice(zips)
        chosen = {
            "type": _pick(rng, "type", 2),
            "format": _pick(rng, "format", 3),
            "population": _pick(rng, "population", 2),
            "focus": _pick(rng, "focus", 1),
            "cost": _pick(rng, "cost", 2),
            "credential": _pick(rng, "credential", 1) if rng.random() < 0.6 else [],
        }
        languages = ["en"] + (["es"] if rng.random() < 0.15 else [])
        name = f"{rng.choice(WORDS)} {TERM_BY_CODE[chosen['type'][0]].label} {i}"
        service = Service(
            id=uuid.uuid4(),
            organization=org,
            name=name,
            description=f"Synthetic listing {i} for benchmarks in {record['city']}.",
        )
        services.append(service)
        virtual = rng.random() < 0.05
        tags = search_tags(chosen, languages)
        body = f"{org.name} {service.description}"
        words = stems(name, body)
        hour_rows = listing_hours(rng)
        schedules.extend(
            Schedule(
                service=service,
                valid_from=valid_from,
                valid_to=valid_to,
                byday=byday,
                opens_at=opens,
                closes_at=closes,
                closed=closed,
                description="Closed for the holiday" if closed else "",
            )
            for valid_from, valid_to, byday, opens, closes, closed in hour_rows
        )
        hours = search_hours(hour_rows)
        for group_codes in chosen.values():
            attributes.extend(
                Attribute(
                    link_id=service.id,
                    link_type="service",
                    link_entity="service",
                    taxonomy_term_id=terms[c],
                )
                for c in group_codes
            )
        if virtual:
            areas.append(
                ServiceArea(
                    service=service,
                    scope="state",
                    value=record["state"],
                    name=record["state"],
                    extent_type="text",
                )
            )
            entries.append(
                SearchEntry(
                    service=service,
                    area_scope="state",
                    area_value=record["state"],
                    state=record["state"],
                    tags=tags,
                    name=name,
                    words=words,
                    hours=hours,
                    timezone_name=settings.TIME_ZONE,
                )
            )
        else:
            location = Location(
                id=uuid.uuid4(),
                organization=org,
                location_type="physical",
                latitude=float(record["lat"]) + rng.uniform(-0.02, 0.02),
                longitude=float(record["long"]) + rng.uniform(-0.02, 0.02),
                timezone_name=record["timezone"] or "America/New_York",
                county=record["county"],
            )
            locations.append(location)
            addresses.append(
                Address(
                    location=location,
                    address_1=f"{i} Synthetic Street",
                    city=record["city"],
                    state_province=record["state"],
                    postal_code=record["zip_code"],
                )
            )
            sals.append(ServiceAtLocation(service=service, location=location))
            entries.append(
                SearchEntry(
                    service=service,
                    location=location,
                    latitude=location.latitude,
                    longitude=location.longitude,
                    cell=cell_of(location.latitude, location.longitude),
                    county=record["county"],
                    state=record["state"],
                    town=record["city"],
                    tags=tags,
                    name=name,
                    words=words,
                    hours=hours,
                    timezone_name=location.timezone_name,
                )
            )
        documents.append(
            SearchDocument(
                kind=SEARCH_KIND,
                object_id=str(service.id),
                title=name,
                body=body,
            )
        )
    batches: list[tuple[Any, list[Any]]] = [
        (Organization, orgs),
        (Service, services),
        (Location, locations),
        (Address, addresses),
        (ServiceAtLocation, sals),
        (Schedule, schedules),
        (Attribute, attributes),
        (ServiceArea, areas),
        (SearchEntry, entries),
        (SearchDocument, documents),
    ]
    for model, rows in batches:
        model.objects.bulk_create(rows, batch_size=1000)
