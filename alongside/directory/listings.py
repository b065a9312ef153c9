"""Listings the directory keeps in step with a source outside it: meetings from a Meeting Guide
feed (``directory.meeting_guide``), and this deployment's own public groups (``groups.listing``).

Each listing is keyed by its source and its key in that source (a feed's ``slug``, a group's
slug): the service's id, and the ids of every row under it, are derived from that key, so
writing the same listing twice changes nothing. Such listings are read-only in the directory
in the sense that the next import or sync writes them again from their source: an editor's
change to one does not last (docs/directory.md says so).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from functools import partial
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from alongside.core.models import Organization as CoreOrganization
from alongside.directory import geo
from alongside.directory.indexing import services_index
from alongside.directory.models import (
    Address,
    Attribute,
    Language,
    ListingClaim,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceChange,
    TaxonomyTerm,
)
from alongside.directory.services import service_set_terms, taxonomy_ensure
from alongside.directory.taxonomy import TAXONOMY_NAME, TERM_BY_CODE

# The ids of kept listings and their rows: uuid5 of "source:key[:part]" in this namespace.
_NAMESPACE = uuid.UUID("5d0c2f6e-8a8b-4f0e-9b7c-3c1e4a2d6f10")


def listing_id(source: str, key: str, part: str = "") -> uuid.UUID:
    """The id of the listing ``key`` of ``source`` (or of one of its rows, named by ``part``)."""
    name = f"{source}:{key}" + (f":{part}" if part else "")
    return uuid.uuid5(_NAMESPACE, name)


def provider_id(source: str, name: str) -> uuid.UUID:
    """The id of the directory organization a source names ``name``."""
    return uuid.uuid5(_NAMESPACE, f"{source}:provider:{name.casefold()}")


@dataclass(frozen=True)
class WeeklyHours:
    """Every week on the days of ``byday`` ("MO,WE"), from ``opens_at`` to ``closes_at``."""

    byday: str
    opens_at: time
    closes_at: time
    valid_from: date | None = None
    valid_to: date | None = None


@dataclass(frozen=True)
class DatedHours:
    """One date that differs from the weekly hours: closed, or other hours."""

    day: date
    closed: bool
    opens_at: time | None = None
    closes_at: time | None = None
    note: str = ""


@dataclass
class KeptListing:
    """What a source says of one listing, in the directory's terms."""

    source: str
    key: str
    name: str
    provider: str  # the name of the organization that offers it
    provider_id: uuid.UUID | None = None  # an existing directory organization, when known
    description: str = ""
    url: str = ""
    how_to_join: str = ""
    codes: Sequence[str] = ()  # ``directory.taxonomy`` codes
    weekly: Sequence[WeeklyHours] = ()
    dated: Sequence[DatedHours] = ()
    timezone: str = field(default_factory=lambda: settings.TIME_ZONE)  # of the hours
    in_person: bool = True
    online: bool = False
    place_name: str = ""
    address: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = "US"
    latitude: float | None = None
    longitude: float | None = None
    conference_phone: str = ""
    languages: Sequence[str] = ()
    active: bool = True


@dataclass
class KeptResult:
    created: list[uuid.UUID] = field(default_factory=list)
    updated: list[uuid.UUID] = field(default_factory=list)
    unchanged: list[uuid.UUID] = field(default_factory=list)

    @property
    def changed(self) -> list[uuid.UUID]:
        return self.created + self.updated


@transaction.atomic
def kept_listings_put(listings: Iterable[KeptListing]) -> KeptResult:
    """Create or update these listings from their source; re-indexes the changed ones for
    search after commit. A listing written again unchanged is left alone."""
    result = KeptResult()
    if not TaxonomyTerm.objects.filter(taxonomy__name=TAXONOMY_NAME).exists():
        taxonomy_ensure()
    for listing in listings:
        service_id = listing_id(listing.source, listing.key)
        changes = _put(listing, service_id)
        if changes is None:
            result.created.append(service_id)
        elif changes:
            result.updated.append(service_id)
        else:
            result.unchanged.append(service_id)
            continue
        ServiceChange.objects.create(
            service_id=service_id,
            source=ServiceChange.Source.IMPORT,
            fields={part: ["", "from the source"] for part in (changes or ["listing"])},
            note=f"Kept in step with {listing.source}: {listing.key}",
        )
    if result.changed:
        ids = list(result.changed)
        transaction.on_commit(partial(services_index, ids), robust=True)
    return result


@transaction.atomic
def kept_listing_withdraw(*, source: str, key: str) -> bool:
    """Take a kept listing out of search (its source no longer lists it); True if it was in."""
    service_id = listing_id(source, key)
    changed = (
        Service.objects.filter(pk=service_id)
        .exclude(status=Service.Status.INACTIVE)
        .update(status=Service.Status.INACTIVE)
    )
    if changed:
        ServiceChange.objects.create(
            service_id=service_id,
            source=ServiceChange.Source.IMPORT,
            fields={"status": ["active", "inactive"]},
            note=f"No longer listed by {source}: {key}",
        )
        transaction.on_commit(partial(services_index, [service_id]), robust=True)
    return bool(changed)


def provider_kept_by(organization: CoreOrganization) -> uuid.UUID | None:
    """The directory organization whose listings ``organization`` keeps (its approved claim;
    the one of the same name first when it keeps several), else one of the same name."""
    kept = list(
        ListingClaim.objects.filter(
            claimant=organization, status=ListingClaim.Status.APPROVED
        ).values_list("provider_id", "provider__name")
    )
    for pk, name in kept:
        if name.casefold() == organization.name.casefold():
            return pk
    if kept:
        return kept[0][0]
    return (
        Organization.objects.filter(name__iexact=organization.name)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )


def _put(listing: KeptListing, service_id: uuid.UUID) -> list[str] | None:
    """Write one listing; None when it is new, else the names of the parts that changed."""
    place = _place(listing)
    provider = _provider(listing)
    service_values = {
        "organization_id": provider.pk,
        "name": listing.name[:300],
        "description": listing.description,
        "url": listing.url,
        "application_process": listing.how_to_join,
        "status": Service.Status.ACTIVE if listing.active else Service.Status.INACTIVE,
    }
    changes: list[str] = []
    current = Service.objects.filter(pk=service_id).values(*service_values).first()
    created = current is None
    if created:
        Service.objects.create(pk=service_id, **service_values)
    elif current != service_values:
        Service.objects.filter(pk=service_id).update(**service_values, last_modified=timezone.now())
        changes.append("listing")
    locations: list[dict[str, Any]] = []
    addresses: list[dict[str, Any]] = []
    if listing.in_person:
        location_id = listing_id(listing.source, listing.key, "place")
        locations.append(
            {
                "id": location_id,
                "organization_id": provider.pk,
                "location_type": Location.LocationType.PHYSICAL,
                "name": listing.place_name[:300],
                "latitude": place["latitude"],
                "longitude": place["longitude"],
                "timezone_name": place["timezone"],
                "county": place["county"],
            }
        )
        addresses.append(
            {
                "id": listing_id(listing.source, listing.key, "address"),
                "location_id": location_id,
                "address_1": (listing.address or listing.place_name or listing.city)[:300],
                "city": listing.city[:120],
                "state_province": listing.state[:60],
                "postal_code": listing.postal_code[:20],
                "country": (listing.country or "US")[:2],
            }
        )
    if listing.online:
        locations.append(
            {
                "id": listing_id(listing.source, listing.key, "online"),
                "organization_id": provider.pk,
                "location_type": Location.LocationType.VIRTUAL,
                "name": "Online",
                "latitude": None,
                "longitude": None,
                "timezone_name": place["timezone"],
                "county": "",
            }
        )
    links = [
        {
            "id": listing_id(listing.source, listing.key, f"at:{row['id']}"),
            "service_id": service_id,
            "location_id": row["id"],
        }
        for row in locations
    ]
    possible = [listing_id(listing.source, listing.key, p) for p in ("place", "online")]
    parts = {
        "places": _put_parents(Location, possible, locations),
        "addresses": _replace(
            Address, {"location_id__in": [r["id"] for r in locations]}, addresses
        ),
        "places_served": _replace(ServiceAtLocation, {"service_id": service_id}, links),
        "hours": _replace(
            Schedule, {"service_id": service_id}, _schedule_rows(listing, service_id)
        ),
        "phones": _replace(Phone, {"service_id": service_id}, _phone_rows(listing, service_id)),
        "languages": _replace(
            Language, {"service_id": service_id}, _language_rows(listing, service_id)
        ),
        "areas": _replace(ServiceArea, {"service_id": service_id}, _area_rows(listing, service_id)),
    }
    codes = {c for c in listing.codes if c in TERM_BY_CODE}
    held = set(
        Attribute.objects.filter(
            link_id=service_id, taxonomy_term__taxonomy__name=TAXONOMY_NAME
        ).values_list("taxonomy_term__code", flat=True)
    )
    if held != codes:
        service_set_terms(service=Service(pk=service_id), codes=codes)
        parts["kinds"] = True
    changes += [name for name, changed in parts.items() if changed]
    return None if created else changes


def _put_parents(model: type[models.Model], possible: list[uuid.UUID], rows: list[dict]) -> bool:
    """Rows others hang from (a place's address): updated in place, not replaced."""
    manager = model._default_manager
    names = sorted({name for row in rows for name in row})
    current = {str(r["id"]): r for r in manager.filter(pk__in=possible).values(*names or ["id"])}
    changed = False
    for row in rows:
        if _normal([current.pop(str(row["id"]), {})]) != _normal([row]):
            manager.update_or_create(pk=row["id"], defaults=row)
            changed = True
    if current:
        manager.filter(pk__in=list(current)).delete()
        changed = True
    return changed


def _replace(
    model: type[models.Model],
    where: dict[str, Any],
    rows: list[dict[str, Any]],
) -> bool:
    """Make the rows ``where`` selects exactly ``rows`` (each with its ``id``); True if it
    had to change anything."""
    manager = model._default_manager
    names = sorted({name for row in rows for name in row} | {"id"})
    current = sorted(manager.filter(**where).values(*names), key=lambda r: str(r["id"]))
    wanted = sorted(({n: row.get(n) for n in names} for row in rows), key=lambda r: str(r["id"]))
    if _normal(current) == _normal(wanted):
        return False
    manager.filter(**where).delete()
    manager.filter(pk__in=[row["id"] for row in rows]).delete()
    manager.bulk_create(model(**row) for row in rows)
    return True


def _normal(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows compared as the database gives them back (UUIDs and times as text)."""
    return [
        {k: (str(v) if isinstance(v, uuid.UUID) else v) for k, v in row.items()} for row in rows
    ]


def _schedule_rows(listing: KeptListing, service_id: uuid.UUID) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for each in listing.weekly:
        rows.append(
            {
                "id": listing_id(listing.source, listing.key, f"week:{each.byday}:{each.opens_at}"),
                "service_id": service_id,
                "freq": "WEEKLY",
                "byday": each.byday,
                "opens_at": each.opens_at,
                "closes_at": each.closes_at,
                "valid_from": each.valid_from,
                "valid_to": each.valid_to,
                "closed": False,
                "description": "",
            }
        )
    for dated in listing.dated:
        rows.append(
            {
                "id": listing_id(listing.source, listing.key, f"date:{dated.day}:{dated.opens_at}"),
                "service_id": service_id,
                "freq": "",
                "byday": "",
                "opens_at": dated.opens_at,
                "closes_at": dated.closes_at,
                "valid_from": dated.day,
                "valid_to": dated.day,
                "closed": dated.closed,
                "description": dated.note[:300],
            }
        )
    return rows


def _phone_rows(listing: KeptListing, service_id: uuid.UUID) -> list[dict[str, Any]]:
    if not listing.conference_phone:
        return []
    return [
        {
            "id": listing_id(listing.source, listing.key, "phone"),
            "service_id": service_id,
            "number": listing.conference_phone[:40],
            "type": Phone.PhoneType.VOICE,
            "description": "Dial in to the online meeting",
        }
    ]


def _language_rows(listing: KeptListing, service_id: uuid.UUID) -> list[dict[str, Any]]:
    return [
        {
            "id": listing_id(listing.source, listing.key, f"language:{code}"),
            "service_id": service_id,
            "code": code[:10],
        }
        for code in dict.fromkeys(listing.languages)
    ]


def _area_rows(listing: KeptListing, service_id: uuid.UUID) -> list[dict[str, Any]]:
    """An online meeting is open to people anywhere; search finds it by the state it is held
    from (the spec's "point of origin"), when that is known."""
    state = geo.state_code(listing.state) if listing.online else ""
    if not state:
        return []
    return [
        {
            "id": listing_id(listing.source, listing.key, "area"),
            "service_id": service_id,
            "scope": ServiceArea.Scope.STATE,
            "value": state,
            "name": state,
        }
    ]


def _place(listing: KeptListing) -> dict[str, Any]:
    """Coordinates, county and time zone: as given, else from the offline gazetteer by ZIP
    code (or by town), else none."""
    record = geo.address_zip_record(listing.postal_code)
    town = None if record else geo.town_place(listing.city, listing.state)
    latitude, longitude = listing.latitude, listing.longitude
    if latitude is None or longitude is None:
        if record:
            latitude, longitude = float(record["lat"]), float(record["long"])
        elif town:
            latitude, longitude = town.latitude, town.longitude
    county = record["county"] if record else (town.county if town else "")
    zone = listing.timezone or (record["timezone"] if record else "") or settings.TIME_ZONE
    return {"latitude": latitude, "longitude": longitude, "county": county, "timezone": zone}


def _provider(listing: KeptListing) -> Organization:
    if listing.provider_id is not None:
        found = Organization.objects.filter(pk=listing.provider_id).first()
        if found is not None:
            return found
    pk = provider_id(listing.source, listing.provider)
    provider, _created = Organization.objects.get_or_create(
        pk=pk, defaults={"name": listing.provider[:300]}
    )
    return provider
