"""Keeping the directory's derived search rows in step with its listings.

Each place a service can be found is one ``SearchEntry`` row (and a keyword document);
``services_index`` rebuilds them for some services, ``services_reindex`` for all that need it.
"""

from __future__ import annotations

import json
import re
import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL

from alongside.core.search import search_documents_delete, search_documents_put, stems
from alongside.directory import geo
from alongside.directory.models import (
    Address,
    Attribute,
    Language,
    Location,
    Schedule,
    SearchEntry,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)
from alongside.directory.search.buckets import (
    buckets_deferred,
    buckets_touched,
    cell_of,
    entry_keys,
    keys_of_entries,
)
from alongside.directory.staleness import hidden_before, is_stale
from alongside.directory.taxonomy import (
    GROUPS,
    TAXONOMY_NAME,
    TERM_BY_CODE,
    TERMS,
)
from alongside.lib.bulk import dicts_insert
from alongside.lib.rows import db_date, db_uuids, hex_key, raw_rows

SEARCH_KIND = "directory.service"
_US_STATE = re.compile(r"[A-Za-z]{2}\Z")  # what a search row keeps as its ``state``


def services_reindex(*, everything: bool = False) -> int:
    """Re-index the listings whose search rows no longer say what they should; returns how many.

    Search leaves out a listing the day it passes ``DIRECTORY_HIDE_AFTER_MONTHS`` without
    being verified (by the day its rows keep); this, run daily (see docs/directory.md), takes
    such listings, and any made inactive by a direct change to the database, out of the
    search rows, buckets and full-text index. ``everything`` re-indexes every listing.
    """
    if everything:
        return services_index(Service.objects.values_list("pk", flat=True))
    cutoff = hidden_before()
    shown = Service.objects.filter(search_entries__visible=True)
    ids = list(
        shown.filter(Q(verified_on__lt=cutoff) | ~Q(status=Service.Status.ACTIVE))
        .values_list("pk", flat=True)
        .distinct()
    )
    return services_index(ids)


# The fields of a schedule row that "open now" reads, in the order ``search_hours`` takes.
HOURS = ("valid_from", "valid_to", "byday", "opens_at", "closes_at", "closed")
# What indexing reads of a service area and of a place.
AREA = ("scope", "value")
PLACE = (
    "id",
    "location_type",
    "latitude",
    "longitude",
    "county",
    "timezone_name",
    "address_confidential",
)


def search_hours(rows: Iterable[tuple]) -> str:
    """A service's schedule rows (``HOURS`` tuples), compact, for ``SearchEntry.hours``."""

    def iso(value: Any) -> Any:  # a date or time, or the ISO text SQLite keeps
        return value.isoformat() if hasattr(value, "isoformat") else value

    return json.dumps(
        [
            [iso(valid_from), iso(valid_to), byday, iso(opens), iso(closes), bool(closed)]
            for valid_from, valid_to, byday, opens, closes, closed in rows
        ],
        separators=(",", ":"),
    )


def search_tags(codes: dict[str, list[str]], languages: Iterable[str]) -> str:
    parts = [f"{group}:{code}" for group, values in codes.items() for code in values]
    parts += [f"language:{code.lower()}" for code in languages if code]
    return " " + " ".join(sorted(set(parts))) + " "


def service_index(service: Service) -> None:
    """Rebuild the search rows and full-text document of one service."""
    services_index([service.pk])


# Services indexed per round of queries: bounds the memory and the size of each IN (...).
INDEX_CHUNK = 500


@transaction.atomic
def services_index(
    service_ids: Iterable[Any],
    *,
    new: Collection[str] = (),
    codes: Mapping[str, list[str]] | None = None,
    foreign: dict[str, str] | None = None,
) -> int:
    """Rebuild the search rows and full-text documents of many services; returns how many.

    Takes a fixed number of queries per ``INDEX_CHUNK`` services, however much each has.
    ``new`` (ids as text) are services created since they could last have been indexed: their
    old search rows are not looked for. ``codes``, when given, holds the taxonomy codes of
    every one of the services that has any (by 32 hex digits), as its attributes say: they
    are then not read.

    A service at an address outside the US (a ``state_province`` that is not the two letters
    search keeps) leaves search: ``foreign``, when given, gets its id and that state.
    """
    # As UUIDs: one spelling of each id, converted for the database once a chunk (db_uuids).
    ids = list(dict.fromkeys(uuid.UUID(str(i)) for i in service_ids))
    fresh = {uuid.UUID(str(i)) for i in new}
    foreign = {} if foreign is None else foreign
    indexed = 0
    with buckets_deferred():  # each search bucket is rebuilt once, at the end
        for start in range(0, len(ids), INDEX_CHUNK):
            chunk = ids[start : start + INDEX_CHUNK]
            indexed += _index_chunk(chunk, [i for i in chunk if i not in fresh], codes, foreign)
    return indexed


def _grouped(rows: Iterable[tuple]) -> dict[str, list[Any]]:
    """(key, *values) rows as {hex key: [values, …]}, in the order the rows came."""
    groups: dict[str, list[Any]] = defaultdict(list)
    for key, *values in rows:
        groups[hex_key(key)].append(values[0] if len(values) == 1 else tuple(values))
    return groups


def _index_chunk(
    ids: list[uuid.UUID],
    indexed_before: list[uuid.UUID],
    codes_of: Mapping[str, list[str]] | None,
    foreign: dict[str, str],
) -> int:
    # The chunk's rows are read as plain tuples (``raw_rows``) and search rows written from
    # dicts: model instances and UUID objects for each of them cost more than the queries.
    chunk = db_uuids(ids)
    services = raw_rows(
        Service.objects.filter(pk__in=chunk).values_list(
            "id", "name", "description", "status", "verified_on", "organization__name"
        )
    )
    touched: set[str] = set()
    if indexed_before:
        old_entries = SearchEntry.objects.filter(service_id__in=db_uuids(indexed_before))
        touched = keys_of_entries(old_entries.filter(visible=True))
        old_entries.delete()
    if codes_of is None:
        codes_of = _chunk_codes(chunk)
    languages_of = _grouped(
        raw_rows(Language.objects.filter(service_id__in=chunk).values_list("service_id", "code"))
    )
    schedules_of = _grouped(
        raw_rows(Schedule.objects.filter(service_id__in=chunk).values_list("service_id", *HOURS))
    )
    areas_of = _grouped(
        raw_rows(ServiceArea.objects.filter(service_id__in=chunk).values_list("service_id", *AREA))
    )
    places = raw_rows(
        ServiceAtLocation.objects.filter(service_id__in=chunk).values_list(
            "service_id", *(f"location__{f}" for f in PLACE)
        )
    )
    places_of = _grouped(places)
    at = db_uuids([place[1] for place in places])  # as the database gave them
    addresses_of = _grouped(
        raw_rows(
            Address.objects.filter(location_id__in=at).values_list(
                "location_id", "city", "state_province", "postal_code"
            )
        )
    )
    place_languages = _grouped(
        raw_rows(Language.objects.filter(location_id__in=at).values_list("location_id", "code"))
    )
    label_of = {t.code: str(t.label) for t in TERMS}  # translated once, not per service
    entries: list[dict[str, Any]] = []
    documents: list[tuple[str, str, str]] = []
    hidden: list[str] = []
    indexed = 0
    for service_id, name, description, status, verified_on, organization in services:
        key = hex_key(service_id)
        state = _foreign_state(places_of.get(key, []), addresses_of)
        if state is not None:
            foreign[str(uuid.UUID(hex=key))] = state
            hidden.append(str(uuid.UUID(hex=key)))
            continue
        indexed += 1
        verified_on = db_date(verified_on)
        visible = status == Service.Status.ACTIVE and not is_stale(verified_on)
        codes = codes_by_group(codes_of.get(key, []))
        languages = set(languages_of.get(key, []))
        # Reaching a service by phone, text or video: the languages of its virtual places.
        remote = set(languages)
        labels = " ".join(label_of[c] for values in codes.values() for c in values)
        body = f"{organization or ''} {description} {labels}"
        common = {
            "service_id": key,
            "name": name,
            "words": stems(name, body),
            "hours": search_hours(schedules_of.get(key, [])),
            "visible": visible,
            "verified_on": verified_on,
        }
        for place_id, kind, latitude, longitude, county, zone, hidden_address in places_of.get(
            key, []
        ):
            place = hex_key(place_id)
            # The service's languages, and those spoken at this place.
            here = languages | set(place_languages.get(place, []))
            if kind == Location.LocationType.VIRTUAL:
                remote |= here
                continue
            town, state, postal_code = next(iter(addresses_of.get(place, [])), ("", "", ""))
            if hidden_address:
                latitude, longitude = _middle_of_town(town, state, postal_code)
            entries.append(
                common
                | {
                    "location_id": place,
                    "latitude": latitude,
                    "longitude": longitude,
                    "cell": cell_of(latitude, longitude),
                    "county": county,
                    "state": state,
                    "town": town,
                    "tags": search_tags(codes, here),
                    "timezone_name": zone or settings.TIME_ZONE,
                }
            )
        for scope, value in areas_of.get(key, []):
            if not scope:
                continue
            entries.append(
                common
                | {
                    "area_scope": scope,
                    "area_value": value,
                    "county": value if scope == ServiceArea.Scope.COUNTY else "",
                    "state": _area_state(scope, value),
                    "tags": search_tags(codes, remote),
                    "timezone_name": settings.TIME_ZONE,
                }
            )
        if visible:
            documents.append((str(uuid.UUID(hex=key)), name, body))
        else:
            hidden.append(str(uuid.UUID(hex=key)))
    dicts_insert(SearchEntry, entries)
    for entry in entries:
        if entry["visible"]:
            touched |= entry_keys(
                entry.get("cell", ""),
                entry["county"],
                entry["state"],
                entry.get("area_scope", ""),
                entry.get("area_value", ""),
            )
    buckets_touched(touched)
    search_documents_put(kind=SEARCH_KIND, documents=documents)
    search_documents_delete(kind=SEARCH_KIND, object_ids=hidden)
    return indexed


def _foreign_state(places: list[tuple], addresses_of: Mapping[str, list[tuple]]) -> str | None:
    """The first state of the service's addresses (``PLACE`` rows, then (town, state, ZIP)
    rows by place) that is not a US state's two letters, if any; virtual places have no
    address."""
    for place_id, kind, *_rest in places:
        if kind == Location.LocationType.VIRTUAL:
            continue
        for _town, state, _postal_code in addresses_of.get(hex_key(place_id), []):
            if state and not _US_STATE.match(state):
                return str(state)
    return None


def _middle_of_town(town: str, state: str, postal_code: str) -> tuple[float | None, float | None]:
    """Where search puts a place whose address is confidential: the middle of its town, as
    the export does (``geo.town_of_address``), or nowhere. Its own point would let anyone find
    it from the distances of a few searches near it."""
    middle = geo.town_of_address(town or "", state or "", postal_code or "")
    return (middle.latitude, middle.longitude) if middle else (None, None)


def _chunk_codes(chunk: RawSQL) -> dict[str, list[str]]:
    """Our codes of the services in ``chunk`` (``db_uuids``), by 32 hex digits."""
    # Our terms by id, then the services' attributes by link_id alone: joined to the taxonomy
    # in SQL, SQLite walks every attribute of each term instead of the services' few.
    ours = {uuid.UUID(i).hex: code for i, code in our_term_codes().items()}
    attributes = Attribute.objects.filter(link_id__in=chunk)
    return _grouped(
        (link_id, ours[hex_key(term_id)])
        for link_id, term_id in raw_rows(attributes.values_list("link_id", "taxonomy_term_id"))
        if hex_key(term_id) in ours
    )


def our_term_codes() -> dict[str, str]:
    """The code of each of the ``alongside`` taxonomy's terms, by its id as text."""
    terms = TaxonomyTerm.objects.filter(taxonomy__name=TAXONOMY_NAME)
    return {str(i): code for i, code in terms.values_list("id", "code")}


def codes_by_group(codes: Iterable[str]) -> dict[str, list[str]]:
    by_group: dict[str, list[str]] = {group: [] for group in GROUPS}
    for code in sorted(codes):
        term = TERM_BY_CODE.get(code)
        if term is not None:
            by_group[term.group].append(code)
    return by_group


def _area_state(scope: str, value: str) -> str:
    if scope == ServiceArea.Scope.STATE:
        return value.upper()
    if scope == ServiceArea.Scope.COUNTY:
        return value.rsplit(",", 1)[-1].strip().upper()
    record = geo.zip_record(value)
    return record["state"] if record else ""
