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
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault(
    "DATABASE_URL", f"sqlite:///{tempfile.mkdtemp(prefix='alongside-bench-')}/bench.sqlite3"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from alongside.directory import geo  # noqa: E402
from alongside.directory.forms import SearchForm  # noqa: E402
from alongside.directory.models import Service  # noqa: E402
from alongside.directory.selectors import services_search  # noqa: E402
from alongside.directory.synthetic import generate_directory  # noqa: E402

COUNT = int(os.environ.get("BENCH_COUNT", "10000"))
RUNS = int(os.environ.get("BENCH_RUNS", "40"))

call_command("migrate", verbosity=0)
existing = Service.objects.count()
if existing < COUNT:
    start = time.perf_counter()
    generate_directory(COUNT - existing)
    print(f"generated {COUNT - existing} listings in {time.perf_counter() - start:.1f}s")

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
for name, make in SHAPES.items():
    times = []
    for _ in range(RUNS):
        form = SearchForm(make())
        assert form.is_valid(), form.errors
        start = time.perf_counter()
        services_search(form.cleaned_data, form.place)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"  {name:<28} p50 {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms")
