"""The directory's search, behind both ``/find/`` and ``/api/v1/search``.

A search gathers its candidate listings as packed columns (``directory.search.buckets``): near a
place or in a county from the search buckets there, otherwise a bounded number of rows from
the full-text index or by name. Distance, keywords, filters, facet counts, "open now" and the
order are then worked out on whole columns, and only the page shown is read row by row.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
from django.conf import settings
from django.db import connection
from django.utils import timezone

from alongside.core.search import stem_needles
from alongside.directory import geo
from alongside.directory.hours import (
    DayHours,
    OpenState,
)
from alongside.directory.models import Address, Phone, SearchEntry
from alongside.directory.search.buckets import (
    BIT_OF_TAG,
    COLUMNS,
    NAME_BYTES,
    TAG_WORDS,
    TAGS,
    Packed,
    area_key,
    buckets_read,
    cell_keys,
    county_key,
    day_number,
    language_bit,
    name_bytes,
    pack,
    tag_words,
)
from alongside.directory.search.keywords import entry_matches_bounded
from alongside.directory.search.open_columns import (
    hours_flags,
    open_flags,
    row_open_state,
    row_today,
)
from alongside.directory.search.params import SearchParams
from alongside.directory.staleness import hidden_before
from alongside.directory.taxonomy import ALL_OF_GROUPS, FILTER_GROUPS
from alongside.lib.rows import db_date, db_uuids, hex_key, raw_rows


@dataclass
class Result:
    """One listing on a page of results: what the page and the API show of it."""

    service_id: uuid.UUID
    name: str
    organization_name: str
    verified_on: date | None
    phone: Phone | None  # the number to call or text, not saved (``_first_phones``)
    distance_miles: float | None
    town: str
    codes: dict[str, list[str]]
    state: OpenState
    # For the card: the street address (blank for a confidential place, which shows its town,
    # and for an area-wide service, which shows ``area``), the description, today's hours.
    address: str = ""
    area: str = ""
    description: str = ""
    today: DayHours | None = None


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


def _area_values(place: geo.Place) -> set[str]:
    """The service areas (state, county, ZIP) that contain ``place``."""
    values = {place.state, place.postal_code}
    if place.county and place.state:
        values.add(f"{place.county}, {place.state}")
    return {v for v in values if v}


def _bucket_keys(params: SearchParams, place: geo.Place | None) -> list[str]:
    """The search buckets that hold every candidate of a search by place or counties (as
    ``SearchForm`` spells them)."""
    keys: list[str] = []
    area_values: set[str] = set()
    if place is not None:
        box = geo.bounding_box(place.latitude, place.longitude, params.radius)
        area_values = _area_values(place)
    if counties := params.counties:
        # Several counties are one area: the places in any of them, and the area-wide
        # services of any of them or their states (that also cover ``place``, if given).
        in_counties: set[str] = set()
        for county in counties:
            # "Carroll County, NH", or "Carroll County" in any state (or none given).
            name, _comma, state = county.partition(", ")
            states = (state,) if state else geo.states_with_county(name)
            keys += [county_key(name, s) for s in (states if state else ("", *states))]
            in_counties |= {f"{name}, {s}" for s in states} | set(states)
        area_values = area_values & in_counties if place is not None else in_counties
    elif place is not None:
        keys += cell_keys(*box)
    return keys + [area_key(v) for v in sorted(area_values)]


def _uuid(packed: bytes) -> uuid.UUID:
    # NumPy drops trailing zero bytes from fixed-width byte strings; put them back.
    return uuid.UUID(bytes=bytes(packed).ljust(16, b"\0"))


def _visible_entries(entry_ids: list[int], *, hours: bool) -> list[tuple]:
    """These search rows as ``COLUMNS``, the visible ones, in one query; with their hours
    only when asked."""
    if not entry_ids:
        return []
    # No stems: the keyword index has matched them already.
    skipped = {"words", "hours"} if not hours else {"words"}
    columns = ", ".join("''" if c in skipped else c for c in COLUMNS)
    marks = ", ".join(["%s"] * len(entry_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {SearchEntry._meta.db_table} "  # noqa: S608
            f"WHERE visible AND id IN ({marks})",
            entry_ids,
        )
        return cursor.fetchall()


def _candidates(
    params: SearchParams, place: geo.Place | None, wants_open: bool
) -> tuple[Packed, np.ndarray, bool]:
    """The packed rows a search starts from, their keyword ranks, and whether it was cut."""
    query = params.q
    if place is not None or params.counties:
        packed = buckets_read(_bucket_keys(params, place), words=bool(query), hours=wants_open)
        return packed, _stem_ranks(packed, query), False
    # Nothing to narrow by place: a bounded number of rows, best keyword matches or by name.
    limit = settings.DIRECTORY_SEARCH_LIMIT
    visible = SearchEntry.objects.filter(visible=True)
    if query:
        matched = entry_matches_bounded(query, limit=limit + 1)
        ranked = dict(list(matched.items())[:limit])
        packed = pack(_visible_entries(list(ranked), hours=wants_open))
        ranks = np.array([ranked[int(i)] for i in packed.entries["entry"]], dtype=np.int8)
        return packed, ranks, len(matched) > limit
    rows = raw_rows(visible.order_by("name").values_list(*COLUMNS)[: limit + 1])
    packed = pack(rows[:limit])
    return packed, np.zeros(len(packed.entries), dtype=np.int8), len(rows) > limit


def _stem_ranks(packed: Packed, query: str) -> np.ndarray:
    """Per row: 0 when every word is in the name, 1 when in the whole text, -1 not at all.

    Each needle is looked for once per listing, in C, within the listing's own stretch of
    the text; its first place tells whether it is in the name, which comes first. (Going
    through every match in Python was slow where a city's listings all say "peer".)"""
    count = len(packed.entries)
    needles = stem_needles(query)
    if not needles or not count:
        return np.zeros(count, dtype=np.int8)
    starts = packed.entries["words"].astype(np.int64)
    ends = np.append(starts[1:], len(packed.words))
    title_ends = packed.entries["title_end"].astype(np.int64)
    text = np.frombuffer(packed.words, dtype=f"S{len(packed.words)}")
    anywhere = np.ones(count, dtype=bool)
    in_title = np.ones(count, dtype=bool)
    for needle in needles:
        first = np.strings.find(text, needle.encode(), starts, ends)
        anywhere &= first >= 0
        in_title &= (first >= 0) & (first < title_ends)
    return np.where(anywhere, np.where(in_title, 0, 1), -1).astype(np.int8)


def _unit_vector(place: geo.Place) -> tuple[float, float, float]:
    x, y, z = geo.unit_vectors(place.latitude, place.longitude)
    return float(x), float(y), float(z)


def _chord_squared(place: geo.Place, entries: np.ndarray) -> np.ndarray:
    """Each row's squared chord to ``place`` on the unit sphere: it orders rows as their
    distance does, in a few multiplications (NaN for area-wide services).

    Between unit vectors it is 2 - 2 (a . b), within 1e-15 of the truth: good to order by,
    not to show (10 cm at no distance at all), so the page's miles come from ``_miles``."""
    x, y, z = _unit_vector(place)
    return 2 - 2 * (entries["x"] * x + entries["y"] * y + entries["z"] * z)


def _miles(place: geo.Place | None, entries: np.ndarray) -> list[float | None]:
    """The exact distance of each row in miles (None for area-wide services)."""
    if place is None:
        return [None] * len(entries)
    x, y, z = _unit_vector(place)
    chords = (entries["x"] - x) ** 2 + (entries["y"] - y) ** 2 + (entries["z"] - z) ** 2
    return [None if np.isnan(c) else geo.miles_of_chord_squared(float(c)) for c in chords]


def _masks(params: SearchParams) -> dict[str, np.ndarray]:
    masks = {}
    for group in FILTER_GROUPS:
        if params.filters.get(group):
            mask = 0
            for value in params.filters[group]:
                if group == "language":
                    mask |= language_bit(value)
                else:
                    mask |= BIT_OF_TAG.get(f"{group}:{value}", 0)
            masks[group] = tag_words(mask)
    return masks


def _spare_languages(
    params: SearchParams, bits: np.ndarray, entry_ids: np.ndarray
) -> dict[str, np.ndarray]:
    """For each language asked that has no bit of its own, which rows speak it: only rows
    with its shared bit can, and their tags tell (read in one query per 5,000 rows)."""
    asked = [c for c in params.filters.get("language", ()) if f"language:{c}" not in BIT_OF_TAG]
    if not asked:
        return {}
    shared = tag_words(sum({language_bit(c) for c in asked}))
    maybe = np.flatnonzero((bits & shared).any(axis=1))
    tags = _entry_values(entry_ids[maybe], "tags")
    speaks = {}
    for code in asked:
        speaks[code] = np.zeros(len(bits), dtype=bool)
        speaks[code][maybe] = [f" language:{code} " in t for t in tags]
    return speaks


# Row v: the eight bits of the byte v, lowest first.
_BITS_OF_BYTE = np.unpackbits(
    np.arange(256, dtype=np.uint8).reshape(-1, 1), axis=1, bitorder="little"
).astype(np.int64)
_BYTES = 8 * TAG_WORDS
_BYTE_SLOT = np.arange(_BYTES, dtype=np.uint32) * 256


def _bit_counts(bits: np.ndarray) -> np.ndarray:
    """How many rows of ``bits`` (their tag words) have each bit set, lowest first.

    Each row's bytes are counted by value, and the bytes × 256 counts turned into bits by a
    table: over a city's rows, much cheaper than unpacking every bit."""
    slots = (np.ascontiguousarray(bits).view(np.uint8).reshape(-1, _BYTES) + _BYTE_SLOT).ravel()
    by_value = np.bincount(slots, minlength=_BYTES * 256).reshape(_BYTES, 256)
    return (by_value @ _BITS_OF_BYTE).ravel()


def _facets(bits: np.ndarray, passes: dict[str, np.ndarray]) -> dict[str, dict[str, int]]:
    """For each filter, counts per value among the rows that pass every *other* filter; for
    a filter whose values must all hold (``ALL_OF_GROUPS``), among the rows that pass every
    filter, since ticking one more of its boxes narrows the search."""
    everything = np.ones(len(bits), dtype=bool)
    for passed in passes.values():
        everything &= passed
    counted: dict[str | None, np.ndarray] = {None: _bit_counts(bits[everything])}
    for group in passes.keys() - ALL_OF_GROUPS:
        others = np.ones(len(bits), dtype=bool)
        for other, passed in passes.items():
            if other != group:
                others &= passed
        counted[group] = _bit_counts(bits[others])
    facets: dict[str, dict[str, int]] = {group: {} for group in FILTER_GROUPS}
    for index, tag in enumerate(TAGS):
        group, _sep, code = tag.partition(":")
        own = group in passes and group not in ALL_OF_GROUPS
        count = int(counted[group if own else None][index])
        if count:
            facets[group][code] = count
    return {group: dict(sorted(counts.items())) for group, counts in facets.items()}


def _codes(tags: str) -> dict[str, list[str]]:
    codes: dict[str, list[str]] = {g: [] for g in FILTER_GROUPS}
    for tag in sorted(tags.split()):
        group, _sep, code = tag.partition(":")
        if group in codes:
            codes[group].append(code)
    return codes


def _places_first(distance: np.ndarray) -> np.ndarray:
    """Distances to sort by: area-wide services (no distance, NaN) after every place."""
    return np.where(np.isnan(distance), np.inf, distance)


def _order(
    sort: str,
    rows: np.ndarray,
    distance: np.ndarray,
    ranks: np.ndarray,
    heads: np.ndarray,
    ids: np.ndarray,
    first: int,
    names_of: Callable[[np.ndarray], list[bytes]],
) -> np.ndarray:
    """The ``first`` of ``rows`` in the order asked for (by distance, relevance or name; then
    name; then entry); the columns are the whole bucket's.

    Rows that cannot be among them are left out before sorting: with twenty thousand found
    in a city, sorting them all cost more than the rest of the search. Every row tied with
    the last place is kept, so the order is the full sort's. Names are compared by their
    heads (``buckets.name_heads``); ``names_of`` reads whole names (by entry id) only for
    rows on the page that their heads cannot tell apart."""
    if sort == "distance":
        primary = _places_first(distance[rows])
    elif sort == "relevance":
        primary = ranks[rows]
    else:
        primary = heads[rows]
    if first < len(rows):
        last = np.partition(primary, first - 1)[first - 1]
        candidates = np.flatnonzero(primary <= last)
    else:
        candidates = np.arange(len(rows))
    if not len(candidates):
        return rows[:0]
    chosen, primary = rows[candidates], primary[candidates]
    # The last key given to lexsort sorts first.
    order = np.lexsort((ids[chosen], heads[chosen], primary))
    chosen, primary, head = chosen[order], primary[order], heads[chosen[order]]
    # Runs of rows alike in both keys; only those that reach the page need whole names.
    alike = (primary[1:] == primary[:-1]) & (head[1:] == head[:-1])
    run = np.concatenate(([0], np.cumsum(~alike)))
    in_a_run = np.zeros(len(chosen), dtype=bool)
    in_a_run[1:] |= alike
    in_a_run[:-1] |= alike
    needed = in_a_run & (run <= run[min(first, len(chosen)) - 1])
    if needed.any():
        names = head.astype(">u8").view("S8").astype(f"S{NAME_BYTES}")
        names[needed] = names_of(ids[chosen[needed]])
        chosen = chosen[np.lexsort((ids[chosen], names, primary))]
    return chosen[:first]


def _nearest_per_service(
    rows: np.ndarray, services: np.ndarray, distance: np.ndarray
) -> np.ndarray:
    """``rows`` (ascending) with one row per service: its nearest place."""
    # Ids whose first eight bytes all differ are all different: then nothing is to be done,
    # which is the common case, at the cost of sorting integers.
    heads = np.sort(services[rows].view(np.uint64)[::2])
    if not (heads[1:] == heads[:-1]).any():
        return rows
    rows = rows[np.argsort(_places_first(distance[rows]), kind="stable")]
    _services, first = np.unique(services[rows], return_index=True)
    return np.sort(rows[first])


def services_search(params: SearchParams) -> SearchResults:
    """Search the directory (``SearchForm.params()``)."""
    place = params.place
    moment = params.open_at or timezone.now()
    wants_open = params.wants_open
    needs_hours = wants_open or bool(params.day or params.time_of_day)
    packed, ranks, limited = _candidates(params, place, needs_hours)
    entries = packed.entries
    # Left unverified too long: hidden from the day it happens (never verified is kept).
    keep = (ranks >= 0) & (entries["verified"] >= day_number(hidden_before()))
    # Distances as squared chords (``_chord_squared``), turned into miles for the page only.
    distance = np.full(len(entries), np.nan)
    if place is not None:
        radius = params.radius
        distance = _chord_squared(place, entries)
        # An area-wide service has no distance and matches wherever it covers.
        keep &= entries["area"] | (distance <= geo.chord_squared_of_miles(radius))
    # One result per service: its nearest matching place.
    rows = _nearest_per_service(np.flatnonzero(keep), entries["service"], distance)
    if wants_open:  # before the facets, which count what the search would find
        rows = rows[open_flags(packed, rows, moment)]

    bits = entries["bits"][rows]
    passes = {
        group: ((bits & mask) == mask).all(axis=1)
        if group in ALL_OF_GROUPS
        else (bits & mask).any(axis=1)
        for group, mask in _masks(params).items()
    }
    if params.day or params.time_of_day:
        within = hours_flags(packed, rows, params.day, params.time_of_day)
        rows, bits = rows[within], bits[within]
        passes = {group: passed[within] for group, passed in passes.items()}
    if spoken := _spare_languages(params, bits, entries["entry"][rows]):
        # Exactly the languages asked: their own bits, or the tags behind a shared one.
        own = tag_words(sum(BIT_OF_TAG.get(f"language:{c}", 0) for c in params.filters["language"]))
        passes["language"] = (bits & own).any(axis=1)
        for speaks in spoken.values():
            passes["language"] |= speaks
    facets = _facets(bits, passes)
    if spoken:
        others = np.ones(len(rows), dtype=bool)
        for group, passed in passes.items():
            if group != "language":
                others &= passed
        for code, speaks in spoken.items():
            if count := int((others & speaks).sum()):
                facets["language"][code] = count
        facets["language"] = dict(sorted(facets["language"].items()))
    passing = np.ones(len(rows), dtype=bool)
    for passed in passes.values():
        passing &= passed
    rows = rows[passing]
    facets["county"] = _county_counts(entries["county"][rows])

    sort, page, per_page = params.sort, params.page, params.per_page
    total = len(rows)
    rows = _order(
        sort,
        rows,
        distance,
        ranks,
        entries["name"],
        entries["entry"],
        first=page * per_page,
        names_of=_names_of_entries,
    )
    chunk = rows[(page - 1) * per_page :]
    return SearchResults(
        total=total,
        page=page,
        per_page=per_page,
        results=_results(entries[chunk], place, moment, all_open=wants_open),
        facets=facets,
        place=place,
        moment=moment,
        counted_open=wants_open,
        limited=limited,
    )


_ENTRIES_PER_QUERY = 5000  # well inside SQLite's and PostgreSQL's limits on parameters


def _entry_values(entry_ids: np.ndarray, field: str) -> list[str]:
    """A field of these search rows, in their order: one query, unless thousands of rows are
    asked for ("" for a row deleted since the buckets were read)."""
    ids = [int(i) for i in entry_ids]
    values: dict[int, str] = {}
    for start in range(0, len(ids), _ENTRIES_PER_QUERY):
        chunk = ids[start : start + _ENTRIES_PER_QUERY]
        values.update(SearchEntry.objects.filter(id__in=chunk).values_list("id", field))
    return [values.get(i, "") for i in ids]


def _county_counts(counties: np.ndarray) -> dict[str, int]:
    """How many rows are in each county ("Merrimack County, NH"); an area-wide service is in
    none."""
    names, counts = np.unique(counties, return_counts=True)
    return {n.decode(): int(c) for n, c in zip(names, counts, strict=True) if n}


def _names_of_entries(entry_ids: np.ndarray) -> list[bytes]:
    """``buckets.name_bytes`` of these search rows' names: one query, unless thousands of
    listings near a place begin their names alike."""
    return [name_bytes(name) for name in _entry_values(entry_ids, "name")]


_OPEN = OpenState(True, None)


def _results(
    shown: np.ndarray, place: geo.Place | None, moment: datetime, *, all_open: bool
) -> list[Result]:
    """The page shown (its packed rows, in order), in two queries: its search rows with their
    services, and their phones. ``all_open``: the search kept only what is open at
    ``moment``, so each result's hours need not be worked out again.

    Read as plain values: model instances for twenty listings and their phones cost a page
    more than finding them among a million did."""
    ids = [int(i) for i in shown["entry"]]
    found: dict[int, tuple] = {}
    for row in raw_rows(
        SearchEntry.objects.filter(id__in=ids).values_list(
            "id",
            "town",
            "tags",
            "hours",
            "timezone_name",
            "service__name",
            "service__verified_on",
            "service__organization__name",
            "service__description",
            "area_scope",
            "area_value",
            "location__address_confidential",
            "location__addresses__address_type",
            "location__addresses__address_1",
            "location__addresses__city",
            "location__addresses__state_province",
        )
    ):
        # A place with a postal address as well: its street address is the one shown.
        if row[0] not in found or row[12] == Address.AddressType.PHYSICAL:
            found[row[0]] = row
    wanted = [_uuid(s) for s in shown["service"]]
    phones = _first_phones(wanted)
    results = []
    for entry_id, service_id, miles in zip(ids, wanted, _miles(place, shown), strict=True):
        if entry_id not in found:  # changed since the search buckets were read
            continue
        row = found[entry_id]
        _id, town, tags, hours, zone, name, verified_on, organization, description = row[:9]
        scope, area, confidential, _kind, street, city, state = row[9:]
        address = ""
        if street and not confidential:
            address = f"{street}, {city}, {state}"
        results.append(
            Result(
                service_id=service_id,
                name=name,
                organization_name=organization or "",
                verified_on=db_date(verified_on),
                phone=phones.get(service_id.hex),
                distance_miles=miles,
                town=town,
                codes=_codes(tags),
                state=_OPEN if all_open else row_open_state(hours, zone, moment),
                address=address,
                area=area if scope else "",
                description=description or "",
                today=row_today(hours, zone, moment),
            )
        )
    return results


# The number a result offers: one that takes calls first, then by the number itself.
_PHONE_ORDER = {
    kind: rank
    for rank, kind in enumerate(
        (Phone.PhoneType.VOICE, Phone.PhoneType.CELL, Phone.PhoneType.TEXT, Phone.PhoneType.VIDEO)
    )
}


def _first_phones(service_ids: list[uuid.UUID]) -> dict[str, Phone]:
    """Each service's own number to show with it (by 32 hex digits), in one query; never a
    fax, pager or textphone number, which a tap cannot use."""
    best: dict[str, tuple[int, str, str]] = {}
    rows = Phone.objects.filter(service_id__in=db_uuids(service_ids), type__in=_PHONE_ORDER)
    for service_id, number, kind in raw_rows(rows.values_list("service_id", "number", "type")):
        key, candidate = hex_key(service_id), (_PHONE_ORDER[kind], number, kind)
        if key not in best or candidate < best[key]:
            best[key] = candidate
    return {key: Phone(number=number, type=kind) for key, (_r, number, kind) in best.items()}
