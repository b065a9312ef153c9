# ruff: noqa: S608, E501  (SQL from fixed fragments; long SQL lines read better whole)
"""The plain SQL design of directory search, timed beside the engine in use, in one run.

    DATABASE_URL=sqlite:///var/bench-100000.sqlite3 BENCH_COUNT=100000 \
        .venv/bin/python bench/directory_plain.py
    DATABASE_URL=postgres://… BENCH_COUNT=… .venv/bin/python bench/directory_plain.py

The plain design keeps nothing packed: a row per place (``plain_entry``) with a lat/lon index
(an R*Tree on SQLite, a B-tree on (lat, lon) on PostgreSQL), a row per filter code
(``plain_tag``: GROUP BY for the facets), a row per weekly open stretch (``plain_hours``:
open now is an EXISTS), and the listing's stems in FTS5 (no stemmer of its own: the stems are
Python's) or a ``simple`` ``tsvector`` with GIN. Each search is one query for the page and
the total, and one for the facets. The tables are made from the search rows (``SearchEntry``)
each run; the time to make them is printed. Dated hours (holidays) are left out of open now
here, which flatters the plain design a little.

A third column, "rows", is the engine without its bucket table (the smaller structure the
review suggested): each search reads the search rows of its map cells, counties and areas in
one query and packs them into the engine's columns as it goes. Prints figures; asserts
nothing.
"""

import os
import random
import statistics
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from _setup import django_setup, ensure_listings, production_env

os.environ.update(production_env())
django_setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from alongside.core.search import stem_needles  # noqa: E402
from alongside.directory import geo  # noqa: E402
from alongside.directory.forms import SearchForm  # noqa: E402
from alongside.directory.hours import rows_of_json, second_of_week, week_of  # noqa: E402
from alongside.directory.models import SearchBucket, Service  # noqa: E402
from alongside.directory.search import engine, services_search  # noqa: E402
from alongside.directory.search.buckets import (  # noqa: E402
    COLUMNS,
    LAYOUT,
    Packed,
    buckets_read,
    buckets_rebuild,
    pack,
)
from alongside.directory.warmup import warm_up  # noqa: E402

COUNT = int(os.environ.get("BENCH_COUNT", "10000"))
RUNS = int(os.environ.get("BENCH_RUNS", "200"))
PLAIN = os.environ.get("BENCH_PLAIN", "1") != "0"  # 0: the engine's two columns only
LIMIT = 500  # DIRECTORY_SEARCH_LIMIT: keywords with no place look at this many matches
ensure_listings(COUNT)
PG = connection.vendor == "postgresql"


def build() -> None:
    """The plain tables, from the visible search rows."""
    with connection.cursor() as c:
        for table in ("plain_entry", "plain_tag", "plain_hours", "plain_fts", "plain_box"):
            c.execute(f"DROP TABLE IF EXISTS {table}")
        c.execute(
            "CREATE TABLE plain_entry (id bigint PRIMARY KEY, service_id varchar(40), "
            "lat double precision, lon double precision, name varchar(300), county varchar(80), "
            "state varchar(2), area_value varchar(120), area boolean, zone varchar(64), "
            "verified_on date, stems text)"
        )
        c.execute(
            "INSERT INTO plain_entry SELECT id, service_id, latitude, longitude, name, county, "
            "state, area_value, area_scope <> '', timezone_name, verified_on, words "
            "FROM directory_searchentry WHERE visible"
        )
        c.execute("CREATE INDEX plain_entry_county ON plain_entry (county, state)")
        c.execute("CREATE INDEX plain_entry_area ON plain_entry (area_value)")
        c.execute("CREATE INDEX plain_entry_name ON plain_entry (name)")
        if PG:
            c.execute("CREATE INDEX plain_entry_place ON plain_entry (lat, lon)")
            c.execute(
                "ALTER TABLE plain_entry ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
                "setweight(to_tsvector('simple', split_part(stems, '|', 1)), 'A') || "
                "setweight(to_tsvector('simple', split_part(stems, '|', 2)), 'B')) STORED"
            )
            c.execute("CREATE INDEX plain_entry_tsv ON plain_entry USING gin (tsv)")
        else:
            c.execute("CREATE VIRTUAL TABLE plain_box USING rtree(id, lat0, lat1, lon0, lon1)")
            c.execute(
                "INSERT INTO plain_box SELECT id, lat, lat, lon, lon FROM plain_entry "
                "WHERE lat IS NOT NULL AND NOT area"
            )
            c.execute(
                "CREATE VIRTUAL TABLE plain_fts USING fts5(title, body, "
                "tokenize='unicode61 remove_diacritics 0 tokenchars _')"
            )
            c.execute(
                "INSERT INTO plain_fts (rowid, title, body) SELECT id, "
                "substr(stems, 1, instr(stems, '|') - 1), substr(stems, instr(stems, '|') + 1) "
                "FROM plain_entry"
            )
        c.execute("CREATE TABLE plain_tag (entry_id bigint, grp varchar(20), tag varchar(60))")
        c.execute("CREATE TABLE plain_hours (entry_id bigint, start_min int, end_min int)")
        c.execute(
            "SELECT id, ' ' || (SELECT tags FROM directory_searchentry s WHERE s.id = e.id), "
            "(SELECT hours FROM directory_searchentry s WHERE s.id = e.id) FROM plain_entry e"
        )
        tags, spans, weeks = [], [], {}
        for entry_id, text, hours in c.fetchall():
            for tag in text.split():
                grp, _sep, code = tag.partition(":")
                tags.append((entry_id, grp, code))
            if hours not in weeks:
                weeks[hours] = week_of(rows_of_json(hours)).spans
            spans += [(entry_id, s // 60, e // 60) for s, e in weeks[hours]]
        c.executemany("INSERT INTO plain_tag VALUES (%s, %s, %s)", tags)
        c.executemany("INSERT INTO plain_hours VALUES (%s, %s, %s)", spans)
        c.execute("CREATE INDEX plain_tag_entry ON plain_tag (entry_id, grp, tag)")
        c.execute("CREATE INDEX plain_hours_entry ON plain_hours (entry_id, start_min, end_min)")
        c.execute("ANALYZE")


def rows_read(keys: list[str], *, words: bool = False, hours: bool = False) -> Packed:
    """The review's smaller design: no bucket table; a search reads the search rows of its
    cells, counties and areas and packs them as it goes (``buckets.pack``), in one query."""
    cells = [k[2:] for k in keys if k.startswith("g:")]
    counties = [k[2:].rsplit(", ", 1) for k in keys if k.startswith("c:")]
    areas = [k[2:] for k in keys if k.startswith("a:")]
    ors, params = [], []
    if cells:
        ors.append(f"area_scope = '' AND cell IN ({', '.join(['%s'] * len(cells))})")
        params += cells
    for name, state in counties:
        ors.append("area_scope = '' AND county = %s AND state = %s")
        params += [name, state]
    if areas:
        ors.append(f"area_scope <> '' AND area_value IN ({', '.join(['%s'] * len(areas))})")
        params += areas
    if not ors:
        return Packed.empty()
    columns = ", ".join(c if c != "words" or words else "''" for c in COLUMNS)
    with connection.cursor() as c:
        c.execute(
            f"SELECT {columns} FROM directory_searchentry WHERE visible AND ({' OR '.join(ors)})",
            params,
        )
        return pack(c.fetchall())


GROUPS = ("type", "format", "population", "focus", "cost", "credential", "language")


def plain_search(data: dict, place: geo.Place | None) -> tuple[int, list, dict]:
    """The page (20 rows), the total and the facets, in two queries."""
    where, params = ["(e.verified_on IS NULL OR e.verified_on >= %s)"], ["2000-01-01"]
    distance = "NULL"
    dist_params: list = []
    query = data.get("q") or ""
    if place is not None:
        radius = data.get("radius") or 25
        lat0, lat1, lon0, lon1 = geo.bounding_box(place.latitude, place.longitude, radius)
        areas = sorted({v for v in (place.state, place.postal_code) if v})
        if place.county:
            areas.append(f"{place.county}, {place.state}")
        # Squared miles on a flat map near the place: orders and cuts as the distance does.
        scale = 69.0 * geo.math.cos(geo.math.radians(place.latitude))
        distance = "((e.lat - %s) * 69.0) * ((e.lat - %s) * 69.0) + ((e.lon - %s) * %s) * ((e.lon - %s) * %s)"
        dist_params = [
            place.latitude,
            place.latitude,
            place.longitude,
            scale,
            place.longitude,
            scale,
        ]
        if PG:
            box = "(NOT e.area AND e.lat BETWEEN %s AND %s AND e.lon BETWEEN %s AND %s)"
        else:
            box = (
                "e.id IN (SELECT id FROM plain_box WHERE lat0 >= %s AND lat1 <= %s "
                "AND lon0 >= %s AND lon1 <= %s)"
            )
        where.append(
            f"({box} AND {distance} <= %s OR e.area AND e.area_value IN "
            f"({', '.join(['%s'] * len(areas))}))"
        )
        params += [lat0, lat1, lon0, lon1, *dist_params, radius * radius, *areas]
    if data.get("county"):
        counties = []
        for county in data["county"]:
            name, _c, state = county.partition(", ")
            for s in (state,) if state else geo.states_with_county(name):
                counties.append((name, s))
        ors = " OR ".join(["(e.county = %s AND e.state = %s)"] * len(counties))
        where.append(f"({ors} OR e.area AND e.area_value IN ({', '.join(['%s'] * len(counties))}))")
        for name, s in counties:
            params += [name, s]
        areas = sorted({f"{n}, {s}" for n, s in counties} | {s for _n, s in counties})
        where[-1] = where[-1].replace(
            ", ".join(["%s"] * len(counties)) + "))", ", ".join(["%s"] * len(areas)) + "))"
        )
        params += areas
    rank = "0"
    rank_params: list = []
    if query:
        needles = [n.strip() for n in stem_needles(query)]
        narrowed = place is not None or data.get("county")
        if narrowed:
            # Few rows near a place: their stems are read, as the index would match them.
            find = "strpos(e.stems, %s) > 0" if PG else "instr(e.stems, %s) > 0"
            needles = stem_needles(query)
            where += [find] * len(needles)
            params += needles
            title = (
                "substr(e.stems, 1, strpos(e.stems, '|'))"
                if PG
                else "substr(e.stems, 1, instr(e.stems, '|'))"
            )
            rank = (
                "CASE WHEN "
                + " AND ".join(f"{find.replace('e.stems', title)}" for _n in needles)
                + " THEN 0 ELSE 1 END"
            )
            rank_params = list(needles)
        elif PG:
            terms = [*needles[:-1], f"{needles[-1]}:*"]
            where.append("e.tsv @@ to_tsquery('simple', %s)")
            params.append(" & ".join(terms))
            rank = "CASE WHEN e.tsv @@ to_tsquery('simple', %s) THEN 0 ELSE 1 END"
            rank_params = [" & ".join(f"{t}A" if t.endswith(":*") else f"{t}:A" for t in terms)]
        else:
            match = " ".join(f'"{n}"' for n in needles[:-1]) + f' "{needles[-1]}"*'
            where.append("e.id IN (SELECT rowid FROM plain_fts WHERE plain_fts MATCH %s)")
            params.append(match)
            rank = "CASE WHEN e.id IN (SELECT rowid FROM plain_fts WHERE plain_fts MATCH %s) THEN 0 ELSE 1 END"
            rank_params = [f"title : ({match})"]
    bounded = place is None and not data.get("county")
    # The candidates: one row per service, its nearest place; keyword or name bound without
    # a place.
    base = (
        f"SELECT e.id, e.service_id, e.name, {distance} AS d, {rank} AS r FROM plain_entry e "
        f"WHERE {' AND '.join(where)}"
    )
    base_params = dist_params + rank_params + params
    if bounded:
        base += " ORDER BY e.name LIMIT %s" if not query else " LIMIT %s"
        base_params.append(LIMIT)
    passes, pass_params = {}, []
    for group in GROUPS:
        if data.get(group):
            values = list(data[group])
            passes[group] = (
                f"EXISTS (SELECT 1 FROM plain_tag x WHERE x.entry_id = m.id AND x.grp = '{group}' "
                f"AND x.tag IN ({', '.join(['%s'] * len(values))}))"
            )
            pass_params.append(values)
    if data.get("open_now"):
        now = timezone.now()
        minutes = {z: second_of_week(now.astimezone(ZoneInfo(z))) // 60 for z in ZONES}
        case = (
            "CASE m.zone "
            + " ".join(f"WHEN '{z}' THEN {m}" for z, m in minutes.items())
            + " ELSE 0 END"
        )
        passes["open"] = (
            f"EXISTS (SELECT 1 FROM plain_hours h WHERE h.entry_id = m.id AND h.start_min <= {case} "
            f"AND {case} < h.end_min)"
        )
        pass_params.append([])
    candidates = (
        f"WITH c AS ({base.replace('SELECT e.id,', 'SELECT e.id, e.zone AS zone,')}), "
        "m AS (SELECT * FROM (SELECT c.*, ROW_NUMBER() OVER (PARTITION BY service_id "
        "ORDER BY d, id) AS n FROM c) o WHERE n = 1)"
    )
    flat = [p for values in pass_params for p in values]
    sort = "d, name, id" if place is not None else ("r, name, id" if query else "name, id")
    every = " AND ".join(passes.values()) or "TRUE"
    with connection.cursor() as cur:
        cur.execute(
            f"{candidates} SELECT id, name, d, COUNT(*) OVER () FROM m WHERE {every} "
            f"ORDER BY {sort} LIMIT 20",
            base_params + flat,
        )
        page = cur.fetchall()
        # Facets: each tag counted among the rows that pass every other filter.
        flags = ", ".join(
            f"CASE WHEN {sql} THEN 1 ELSE 0 END AS p_{g}" for g, sql in passes.items()
        )
        products = {g: " * ".join(f"p_{o}" for o in passes if o != g) or "1" for g in passes}
        every_product = " * ".join(f"p_{g}" for g in passes) or "1"
        case = (
            "CASE t.grp "
            + " ".join(f"WHEN '{g}' THEN {products[g]}" for g in passes if g != "open")
            + f" ELSE {every_product} END"
            if passes
            else "1"
        )
        cur.execute(
            f"{candidates}, f AS (SELECT m.id{', ' + flags if flags else ''} FROM m) "
            f"SELECT t.grp, t.tag, SUM({case}) FROM f JOIN plain_tag t ON t.entry_id = f.id "
            "GROUP BY t.grp, t.tag",
            base_params + flat,
        )
        facets: dict = {}
        for grp, tag, count in cur.fetchall():
            if count:
                facets.setdefault(grp, {})[tag] = count
    return (page[0][3] if page else 0), page, facets


rng = random.Random(7)  # noqa: S311
zips = [z["zip_code"] for z in geo._zip_index().values() if z["zip_code_type"] == "STANDARD"]
counties = ["Merrimack", "Cook", "Los Angeles", "King", "Hillsborough"]
SHAPES = {
    "near+radius": lambda: {"near": rng.choice(zips), "radius": "25"},
    "near+radius+type+open_now": lambda: {
        "near": rng.choice(zips),
        "radius": "25",
        "type": ["peer_group", "warm_line"],
        "open_now": "1",
    },
    "q only": lambda: {"q": rng.choice(["recovery", "harbor", "family", "warm line"])},
    "q+near": lambda: {"q": "peer", "near": rng.choice(zips)},
    "county+filters": lambda: {
        "county": rng.choice(counties),
        "format": ["phone"],
        "cost": ["free"],
    },
    "area-wide virtual": lambda: {
        "near": rng.choice(zips),
        "type": ["online_support"],
        "format": ["video"],
    },
}

print(
    f"{connection.vendor}, {Service.objects.count()} listings, {RUNS} runs per shape, {datetime.now():%Y-%m-%d %H:%M}"
)
start = time.perf_counter()
loop = 0
for i in range(30_000_000):
    loop += i & 7
print(f"the pure-Python loop: {time.perf_counter() - start:.1f} s")
start = time.perf_counter()
stale = SearchBucket.objects.exclude(layout=LAYOUT).values_list("key", flat=True)
print(
    f"{buckets_rebuild(list(stale))} buckets of an older layout rebuilt in {time.perf_counter() - start:.1f} s"
)
ZONES: list[str] = []
if PLAIN:
    start = time.perf_counter()
    build()
    print(f"plain tables made in {time.perf_counter() - start:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT zone FROM plain_entry")
        ZONES = [z for (z,) in cursor.fetchall() if z]
warm = SearchForm({"near": "03301"})
warm.is_valid()
services_search(warm.params())
warm_up()


def p(times: list[float]) -> str:
    if not times:
        return "     — /      —"
    times = sorted(times)
    return f"{statistics.median(times):6.1f} / {times[int(len(times) * 0.95) - 1]:6.1f}"


print(
    f"  {'shape':<28} {'engine p50/p95':>15}   {'rows p50/p95':>15}   {'plain p50/p95':>15}"
    "   found (engine · rows · plain)"
)
for name, make in SHAPES.items():
    old, rows, new, found_old, found_rows, found_new = [], [], [], [], [], []
    for _ in range(RUNS):
        form = SearchForm(make())
        assert form.is_valid(), form.errors
        t = time.perf_counter()
        result = services_search(form.params())
        old.append((time.perf_counter() - t) * 1000)
        engine.buckets_read = rows_read  # the same engine, its candidates packed as it goes
        t = time.perf_counter()
        found_rows.append(services_search(form.params()).total)
        rows.append((time.perf_counter() - t) * 1000)
        engine.buckets_read = buckets_read
        found_old.append(result.total)
        if PLAIN:
            t = time.perf_counter()
            total, _page, _facets = plain_search(form.cleaned_data, form.place)
            new.append((time.perf_counter() - t) * 1000)
            found_new.append(total)
    print(
        f"  {name:<28} {p(old)} ms   {p(rows)} ms   {p(new)} ms   "
        f"{statistics.median(found_old):.0f} · {statistics.median(found_rows):.0f} · "
        + (f"{statistics.median(found_new):.0f}" if found_new else "—")
    )
