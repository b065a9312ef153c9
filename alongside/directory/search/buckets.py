"""Search buckets: the search rows of one map cell, county or service area, packed together.

A search near a place reads the few dozen cells around it as one row each, instead of one
row per listing, and does its arithmetic (distance, filters, facet counts, order) on whole
columns with NumPy. At a million listings a 25-mile circle in a city holds ten thousand of
them, too many to handle as one Python object each.

A bucket is derived from the visible ``SearchEntry`` rows it covers and rebuilt whenever they
change (``buckets_rebuild``, called by indexing), so it is never the only copy of anything.

Keys: ``g:<row>:<col>`` a cell of ``CELL_DEGREES`` (physical places), ``c:<county>`` a county
(physical places), ``a:<value>`` a service area (a state, ``<county>, <state>`` or a ZIP).
"""

from __future__ import annotations

import hashlib
import json
import math
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache
from itertools import groupby
from operator import itemgetter
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Concat

from alongside.directory.geo import unit_vectors
from alongside.directory.hours import rows_of_json, week_of
from alongside.directory.models import SearchBucket, SearchEntry
from alongside.directory.taxonomy import ALSO_MATCHES, LANGUAGES, TERMS
from alongside.lib.bulk import dicts_insert
from alongside.lib.rows import binary_cursor, db_date

CELL_DEGREES = 0.2

# Every filter code as one bit of a row's tag words (``ENTRY["bits"]``): as many 64-bit words
# as the codes need, so a new code in the taxonomy is only a line of data there. Changing this
# list changes ``LAYOUT``, and buckets are rebuilt as they are read.
TAGS: tuple[str, ...] = (
    *(f"{t.group}:{t.code}" for t in TERMS),
    *(f"language:{code}" for code, _name in LANGUAGES),
)
BIT_OF_TAG = {tag: 1 << index for index, tag in enumerate(TAGS)}
# Every other language shares one of these spare bits, chosen by its code: a search for one
# reads the tags of the rows with that bit to tell its languages apart.
SPARE_BITS = 16
TAG_WORDS = -(-(len(TAGS) + SPARE_BITS) // 64)
_WORD_MASK = (1 << 64) - 1


def tag_words(bits: int) -> np.ndarray:
    """A number of ``TAG_WORDS * 64`` bits as its words, lowest first."""
    return np.array([(bits >> (64 * i)) & _WORD_MASK for i in range(TAG_WORDS)], dtype=np.uint64)


@lru_cache(maxsize=1024)
def language_bit(code: str) -> int:
    """The bit of a language's code: its own in ``TAGS``, else a spare one shared."""
    bit = BIT_OF_TAG.get(f"language:{code}")
    if bit is not None:
        return bit
    spare = int.from_bytes(hashlib.blake2b(code.encode(), digest_size=4).digest()) % SPARE_BITS
    return 1 << (len(TAGS) + spare)


NAME_BYTES = 48  # names are ordered by this much of their case-folded UTF-8 (ties: by entry)


def name_bytes(name: str) -> bytes:
    """What a name is ordered by."""
    return name.casefold().encode()[:NAME_BYTES]


def name_heads(names: list[str]) -> np.ndarray:
    """The first eight bytes of each name's ``name_bytes``, as numbers that order as they do.

    A bucket keeps only these: the whole name is read for rows they cannot tell apart."""
    # NumPy cuts each to eight bytes and pads it with zeros; read big-endian, they order as
    # the bytes do.
    heads = np.array([name_bytes(name) for name in names], dtype="S8")
    return heads.view(">u8").astype(np.uint64)


ENTRY = np.dtype(
    [
        ("entry", "<i8"),  # SearchEntry id
        ("service", "S16"),  # the service's UUID, as bytes
        # The place as a point of the unit sphere (``geo.unit_vectors``); NaN for an area-wide
        # service or a place without coordinates.
        ("x", "<f8"),
        ("y", "<f8"),
        ("z", "<f8"),
        ("bits", "<u8", (TAG_WORDS,)),  # filter codes (``TAGS``), lowest word first
        ("week", "<u4"),  # the row of its schedule in the bucket's weeks
        ("words", "<u4"),  # where the listing's stems start in the bucket's words
        ("title_end", "<u4"),  # and where the title's stems end
        ("name", "<u8"),  # ``name_heads``
        ("area", "?"),  # an area-wide (virtual) service: no distance
        ("verified", "<u2"),  # the day the service was last verified (``verified_day``)
        # "<county>, <state>" of a place, for the county facet ("" for an area-wide service):
        # room for the longest a search row can hold, in ASCII.
        ("county", "S84"),
    ]
)
# Each distinct schedule of a bucket, as ``hours.week_of`` works it out: open now is then a
# comparison on columns. A schedule that cannot be kept so (more stretches than ``SPANS``,
# times with seconds, a time zone's name too long) has a dated range of every day.
SPANS = 12
DATED = 4  # ranges of dated days; more are joined across their shortest gaps
WEEK = np.dtype(
    [
        ("key", "<u8"),  # of (time zone, schedule rows): in the bucket's hours when dated
        ("zone", "S32"),  # the time zone's name ("": ``settings.TIME_ZONE``)
        ("dated", "<u2", (DATED, 2)),  # first and last day (``day_number``) of special hours
        ("closed", "<u2", (DATED, 2)),  # and of days closed all day (``Week.closed``)
        ("spans", "<u2", (SPANS, 2)),  # open [start, end) in minutes from Monday 00:00
        ("spill", "<u2", 7),  # minutes each weekday's hours run into the next day
    ]
)
_NO_DAYS = (1, 0)  # a range with no day in it
# Days are numbered from 2000-01-01 to fit two bytes (to 2179); a moment outside that is
# answered in Python, and dated rows outside it cannot matter to one inside.
DAY_ZERO = date(2000, 1, 1).toordinal()
LAST_DAY = 2**16 - 1
_ALL_DAYS = [(0, LAST_DAY)]


def day_number(day: date) -> int:
    return day.toordinal() - DAY_ZERO


def verified_day(verified_on: date | str | None) -> int:
    """A row's ``ENTRY["verified"]``: the day number of the last verification, clipped to
    the days that fit; never verified is ``LAST_DAY``, which no limit hides."""
    day = db_date(verified_on)  # SQLite's ISO text when read without Django
    return LAST_DAY if day is None else min(max(day_number(day), 0), LAST_DAY - 1)


def _numbered(ranges: Iterable[tuple[date, date]]) -> list[tuple[int, int]]:
    """Ranges of days as day numbers, cut to those that fit."""
    numbered = []
    for first, last in ranges:
        low, high = day_number(first), day_number(last)
        if high >= 0 and low <= LAST_DAY:
            numbered.append((max(low, 0), min(high, LAST_DAY)))
    return numbered


def _at_most(ranges: list[tuple[int, int]], count: int) -> list[tuple[int, int]]:
    """``ranges`` (sorted, apart) as ``count`` at most, by joining those closest together."""
    ranges = list(ranges)
    while len(ranges) > count:
        gaps = [ranges[i + 1][0] - ranges[i][1] for i in range(len(ranges) - 1)]
        i = gaps.index(min(gaps))
        ranges[i : i + 2] = [(ranges[i][0], ranges[i + 1][1])]
    return ranges + [_NO_DAYS] * (count - len(ranges))


# Buckets written under another layout (filter codes or columns) are rebuilt when read.
LAYOUT = hashlib.blake2b(
    f"{TAGS}\n{ALSO_MATCHES}\nspare languages\n{ENTRY.descr}\n{WEEK.descr}".encode(), digest_size=6
).hexdigest()

# The SearchEntry columns a bucket is packed from, in this order.
COLUMNS = (
    "id",
    "service_id",
    "latitude",
    "longitude",
    "tags",
    "name",
    "words",
    "hours",
    "timezone_name",
    "area_scope",
    "verified_on",
    "county",
    "state",
)


@dataclass
class Packed:
    """Search rows as columns: the entries, their stems as one text, their distinct schedules
    (``WEEK``), and the rows of those that can need them (dated or not kept as a week)."""

    entries: np.ndarray
    words: bytes
    weeks: np.ndarray
    # Each bucket's JSON object of str(hours key): [time zone, schedule rows as JSON].
    hours_texts: list[str]

    @classmethod
    def empty(cls) -> Packed:
        return cls(np.zeros(0, dtype=ENTRY), b"", np.zeros(0, dtype=WEEK), [])

    @cached_property
    def hours(self) -> dict[str, list[str]]:
        """The rows of the schedules that can need them, read on first use: most searches
        never do (no dated day is near), so no search pays for decoding every bucket's."""
        hours: dict[str, list[str]] = {}
        for text in self.hours_texts:
            if text:
                hours.update(json.loads(text))
        return hours


def cell_of(latitude: float | None, longitude: float | None) -> str:
    """The map cell of a place, ``<row>:<col>`` (``SearchEntry.cell``); blank without one."""
    if latitude is None or longitude is None:
        return ""
    row = math.floor((latitude + 90) / CELL_DEGREES)
    col = math.floor((longitude + 180) / CELL_DEGREES)
    return f"{row}:{col}"


def cell_keys(min_lat: float, max_lat: float, min_lon: float, max_lon: float) -> list[str]:
    """Keys of every cell that overlaps the box."""
    rows = range(
        math.floor((min_lat + 90) / CELL_DEGREES), math.floor((max_lat + 90) / CELL_DEGREES) + 1
    )
    cols = range(
        math.floor((max(min_lon, -180) + 180) / CELL_DEGREES),
        math.floor((min(max_lon, 180) + 180) / CELL_DEGREES) + 1,
    )
    return [f"g:{row}:{col}" for row in rows for col in cols]


def county_key(county: str, state: str) -> str:
    """A county's bucket, by name and state: "Carroll County" alone is in thirteen states."""
    return f"c:{county}, {state}"


def area_key(value: str) -> str:
    return f"a:{value}"


def entry_keys(cell: str, county: str, state: str, area_scope: str, area_value: str) -> set[str]:
    """The buckets a search row belongs to (when it is visible)."""
    if area_scope:
        return {area_key(area_value)} if area_value else set()
    keys = {f"g:{cell}"} if cell else set()
    return keys | {county_key(county, state)} if county else keys


@lru_cache(maxsize=65536)
def tag_bits(tags: str) -> int:
    bits = 0
    for tag in tags.split():
        group, _sep, code = tag.partition(":")
        bits |= language_bit(code) if group == "language" else BIT_OF_TAG.get(tag, 0)
        for also in ALSO_MATCHES.get(code, ()):  # found by a search for either
            bits |= BIT_OF_TAG.get(f"{group}:{also}", 0)
    return bits


@lru_cache(maxsize=65536)
def _tag_words(tags: str) -> tuple[int, ...]:
    return tuple(int(w) for w in tag_words(tag_bits(tags)))


@lru_cache(maxsize=65536)
def _hours_key(zone: str, hours: str) -> int:
    return int.from_bytes(hashlib.blake2b(f"{zone}\n{hours}".encode(), digest_size=8).digest())


# Enough for every distinct schedule of a large import, so that its second pass over the
# search rows (counties, after map cells) finds each one worked out.
@lru_cache(maxsize=65536)
def _week(zone: str, hours: str) -> tuple[bytes, bool]:
    """A schedule's ``WEEK`` row, as bytes, and whether it has dated days (special hours or
    closures: its rows are then kept, for the moments a week cannot answer)."""
    week = week_of(rows_of_json(hours))
    key = _hours_key(zone, hours)
    spans = [(0, 0)] * SPANS
    none = _at_most([], DATED)
    seconds = [s for span in week.spans for s in span] + list(week.spill)
    name = zone.encode()
    if len(week.spans) > SPANS or any(s % 60 for s in seconds) or len(name) > WEEK["zone"].itemsize:
        row = (key, b"", _at_most(_ALL_DAYS, DATED), none, spans, [0] * 7)
        return np.array([row], dtype=WEEK).tobytes(), True
    spans[: len(week.spans)] = [(start // 60, end // 60) for start, end in week.spans]
    dated, closed = _numbered(week.dated), _numbered(week.closed)
    if len(closed) > DATED:  # joined across gaps, they would close open days: dated instead
        dated, closed = sorted(dated + closed), []
    spill = [s // 60 for s in week.spill]
    row = (key, name, _at_most(dated, DATED), _at_most(closed, DATED), spans, spill)
    return np.array([row], dtype=WEEK).tobytes(), bool(week.dated or week.closed)


def _weeks(schedules: dict[int, tuple[int, str, str]]) -> tuple[np.ndarray, list[str]]:
    """The ``WEEK`` rows of these schedules (key: row, zone and rows as JSON, in the order of
    their rows), and the rows of those that have dated days (``Packed.hours_texts``)."""
    rows: list[bytes] = []
    dated: dict[str, list[str]] = {}
    for key, (_row, zone, hours) in schedules.items():
        week, has_dated = _week(zone, hours)
        rows.append(week)
        if has_dated:
            dated[str(key)] = [zone, hours]
    weeks = np.frombuffer(b"".join(rows), dtype=WEEK)
    return weeks, [json.dumps(dated, separators=(",", ":"))] if dated else []


def _service_bytes(value: Any) -> bytes:
    # SQLite hands UUIDs over as hex text, PostgreSQL as UUID objects.
    return value.bytes if isinstance(value, uuid.UUID) else bytes.fromhex(value.replace("-", ""))


@lru_cache(maxsize=4096)
def _county_bytes(county: str, state: str) -> bytes:
    return (f"{county}, {state}" if state else county).encode() if county else b""


def pack(rows: Iterable[tuple]) -> Packed:
    """Rows of ``COLUMNS`` as a ``Packed``."""
    records = []
    names: list[str] = []
    lats: list[float] = []
    lons: list[float] = []
    words = bytearray()
    schedules: dict[int, tuple[int, str, str]] = {}  # key: (row in weeks, zone, rows as JSON)
    for row in rows:
        entry, service, lat, lon, tags, name, stems, schedule, zone, area_scope, verified = row[:11]
        county, state = row[11:]
        key = _hours_key(zone, schedule or "[]")
        week = schedules.setdefault(key, (len(schedules), zone, schedule or "[]"))[0]
        text = (stems or " | ").encode()
        start = len(words)
        words += text + b"\n"  # so that no match runs from one listing into the next
        records.append(
            (
                entry,
                _service_bytes(service),
                0.0,  # x, y and z: below, for every row at once (and the name's head)
                0.0,
                0.0,
                _tag_words(tags),
                week,
                start,
                start + max(text.find(b"|"), 0),
                0,
                bool(area_scope),
                verified_day(verified),
                _county_bytes(county, state) if not area_scope else b"",
            )
        )
        names.append(name)
        placed = lat is not None and lon is not None and not area_scope
        lats.append(lat if placed else math.nan)
        lons.append(lon if placed else math.nan)
    entries = np.array(records, dtype=ENTRY)
    entries["x"], entries["y"], entries["z"] = unit_vectors(np.array(lats), np.array(lons))
    entries["name"] = name_heads(names)
    return Packed(entries, bytes(words), *_weeks(schedules))


def _joined(rows: list[tuple[bytes, bytes, bytes, str]]) -> Packed:
    """Buckets' (entries, words, weeks, hours) as one ``Packed``: the bytes joined, offsets
    moved on. (A schedule of several buckets is there once for each.)"""
    if not rows:
        return Packed.empty()
    # Joined into a bytearray, so the entries can be written to: copying a structured array
    # instead goes field by field, where the bytes are copied in one piece.
    entries = np.frombuffer(bytearray().join(e for e, _w, _k, _h in rows), dtype=ENTRY)
    weeks = np.frombuffer(b"".join(k for _e, _w, k, _h in rows), dtype=WEEK)
    words = [w for _e, w, _k, _h in rows]
    # Each bucket's offsets into its words and weeks start at 0: add where they begin in the
    # joined ones.
    starts: dict[str, list[int]] = {}
    if any(words):
        starts["words"] = starts["title_end"] = [len(w) for w in words]
    if len(weeks) and len(rows) > 1:
        starts["week"] = [len(k) // WEEK.itemsize for _e, _w, k, _h in rows]
    if starts:
        sizes = [len(e) // ENTRY.itemsize for e, _w, _k, _h in rows]
        for field, lengths in starts.items():
            entries[field] += np.repeat(np.cumsum([0, *lengths[:-1]], dtype=np.uint32), sizes)
    return Packed(entries, b"".join(words), weeks, [h for _e, _w, _k, h in rows if h])


# --- Reading --------------------------------------------------------------------------------


def buckets_read(keys: Iterable[str], *, words: bool = False, hours: bool = False) -> Packed:
    """The packed rows of these buckets, in one query (two when some must be rebuilt first)."""
    keys = sorted(set(keys))
    if not keys:
        return Packed.empty()
    columns = ["key", "layout", "entries", "words" if words else "''"]
    columns += ["weeks", "hours"] if hours else ["''", "''"]
    table = SearchBucket._meta.db_table
    marks = ", ".join(["%s"] * len(keys))
    with binary_cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM {table} WHERE key IN ({marks})",  # noqa: S608
            keys,
        )
        rows = cursor.fetchall()
    stale = [row[0] for row in rows if row[1] != LAYOUT]
    if stale:
        buckets_rebuild(stale)
        return buckets_read(keys, words=words, hours=hours)
    return _joined(
        [(bytes(e), bytes(w or b""), bytes(k or b""), h) for _key, _layout, e, w, k, h in rows]
    )


# --- Writing --------------------------------------------------------------------------------

_deferred: ContextVar[set[str] | None] = ContextVar("deferred_buckets", default=None)


@contextmanager
def buckets_deferred() -> Iterator[None]:
    """Inside this block ``buckets_touched`` only collects; the buckets are rebuilt at its end.

    For bulk work (an import, a re-index): each bucket is rebuilt once, not once per batch.
    """
    if _deferred.get() is not None:  # already inside one: the outer block rebuilds
        yield
        return
    pending: set[str] = set()
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    buckets_rebuild(pending)


def buckets_touched(keys: Iterable[str]) -> None:
    """These buckets' rows changed: rebuild them now, or at the end of ``buckets_deferred``."""
    pending = _deferred.get()
    if pending is None:
        buckets_rebuild(keys)
    else:
        pending.update(keys)


def keys_of_entries(entries: Any) -> set[str]:
    """The buckets of the search rows in ``entries`` (a queryset), in one query."""
    keys: set[str] = set()
    rows = entries.values_list("cell", "county", "state", "area_scope", "area_value")
    for row in rows.distinct():
        keys |= entry_keys(*row)
    return keys


LOCK_ID = 0x5EA2C4  # any constant: the advisory lock that serializes bucket rebuilds
# Each kind of bucket: its prefix, the field a row must have, what names its bucket, and the
# order that brings a bucket's rows together.
_KINDS = (
    ("g:", "cell", F("cell"), ("cell",)),
    ("c:", "county", Concat("county", Value(", "), "state"), ("county", "state")),
    ("a:", "area_value", F("area_value"), ("area_value",)),
)
_KEYS_PER_QUERY = 500


def buckets_rebuild(keys: Iterable[str] | None = None) -> int:
    """Rebuild these buckets (all of them when ``keys`` is None) from the search rows."""
    if connection.vendor == "postgresql":
        # One rebuilder at a time: each reads the rows the one before it committed.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_ID])
    if keys is None:
        SearchBucket.objects.all().delete()
        wanted: list[str] | None = None
    else:
        wanted = sorted(set(keys))
        if not wanted:
            return 0
    written = 0
    for prefix, field, bucket, order in _KINDS:
        visible = SearchEntry.objects.filter(visible=True)
        visible = visible.filter(area_scope="") if field != "area_value" else visible
        visible = visible.exclude(**{field: ""}).annotate(bucket=bucket)
        if wanted is None:
            written += _rebuild(prefix, visible, order)
            continue
        values = [k[len(prefix) :] for k in wanted if k.startswith(prefix)]
        for start in range(0, len(values), _KEYS_PER_QUERY):
            chunk = values[start : start + _KEYS_PER_QUERY]
            SearchBucket.objects.filter(key__in=[prefix + v for v in chunk]).delete()
            if prefix == "c:":  # by the county's name first, which is indexed
                names = {v.rsplit(", ", 1)[0] for v in chunk}
                rows = visible.filter(county__in=names, bucket__in=chunk)
            else:
                rows = visible.filter(**{f"{field}__in": chunk})
            written += _rebuild(prefix, rows, order)
    return written


_WRITE_BATCH = 200


def _rebuild(prefix: str, entries: Any, order: tuple[str, ...]) -> int:
    """Pack ``entries`` into one bucket per value of their ``bucket``; ``order`` brings each
    bucket's rows together."""
    batch: list[dict[str, Any]] = []
    written = 0
    rows = entries.order_by(*order, "id").values_list("bucket", *COLUMNS)
    rows = rows.iterator(chunk_size=5000)
    for value, group in groupby(rows, key=itemgetter(0)):
        batch.append(_bucket(prefix + value, [row[1:] for row in group]))
        if len(batch) >= _WRITE_BATCH:
            written += _write(batch)
            batch = []
    return written + _write(batch)


def _bucket(key: str, rows: list[tuple]) -> dict[str, Any]:
    """A bucket's row, by field name."""
    packed = pack(rows)
    return {
        "key": key,
        "layout": LAYOUT,
        "size": len(packed.entries),
        "entries": packed.entries.tobytes(),
        "words": packed.words,
        "weeks": packed.weeks.tobytes(),
        "hours": "".join(packed.hours_texts) or "{}",  # ``pack`` gives one text at most
    }


def _write(batch: list[dict[str, Any]]) -> int:
    # The rebuild deleted them first. (On PostgreSQL by COPY: ``bulk_create`` would spell
    # each bucket's bytes out in hex inside the SQL text, for the server to parse back.)
    return dicts_insert(SearchBucket, batch)
