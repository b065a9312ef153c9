"""Directory search latency for six query shapes. Prints figures; asserts nothing.

    make bench                                  # 10,000 listings on a throw-away SQLite file
    BENCH_COUNT=100000 .venv/bin/python bench/directory_search.py
    DATABASE_URL=postgres://… BENCH_COUNT=… .venv/bin/python bench/directory_search.py

On PostgreSQL, point DATABASE_URL at an empty scratch database: the script migrates it and
adds BENCH_COUNT synthetic listings.
"""

import os
import random
import statistics
import time

from _setup import django_setup, ensure_listings, production_env

os.environ.update(production_env())  # as a deployment runs: no query log (DEBUG=0)
django_setup()

from django.db import connection  # noqa: E402

from alongside.directory import geo  # noqa: E402
from alongside.directory.forms import SearchForm  # noqa: E402
from alongside.directory.models import Service  # noqa: E402
from alongside.directory.search import services_search  # noqa: E402
from alongside.directory.warmup import warm_up  # noqa: E402

COUNT = int(os.environ.get("BENCH_COUNT", "10000"))
RUNS = int(os.environ.get("BENCH_RUNS", "200"))
ensure_listings(COUNT)

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

print(f"{connection.vendor}, {Service.objects.count()} listings, {RUNS} runs per shape")
warm = SearchForm({"near": "03301"})
warm.is_valid()
services_search(warm.params())  # opens the connection
warm_up()  # as a web process does at start-up (``alongside/wsgi.py``)
for name, make in SHAPES.items():
    times, found = [], []
    for _ in range(RUNS):
        form = SearchForm(make())
        assert form.is_valid(), form.errors
        start = time.perf_counter()
        result = services_search(form.params())
        times.append((time.perf_counter() - start) * 1000)
        found.append(result.total)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(
        f"  {name:<28} p50 {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms"
        f"   (median {statistics.median(found):.0f} found)"
    )
