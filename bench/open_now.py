""" "Open now" over many listings with hours of their own. Prints figures; asserts nothing.

    .venv/bin/python bench/open_now.py            # 40,000 listings (a large city at 1M)
    BENCH_COUNT=2000 .venv/bin/python bench/open_now.py

Packs BENCH_COUNT synthetic listings (the hours ``generate_directory`` gives them) as a search
bucket would, then times the search's answer for every one of them (``open_flags``: each
schedule's week on columns) against working out each distinct schedule in Python with
``hours.open_state``, as search did before 2026-12-05, on an ordinary day and on a holiday
that some of them close for. Needs no database.
"""

import os
import random
import statistics
import time
import uuid
from datetime import UTC, datetime

from _setup import django_setup

django_setup()

import numpy as np  # noqa: E402

from alongside.directory.indexing import search_hours  # noqa: E402
from alongside.directory.search.buckets import pack  # noqa: E402
from alongside.directory.search.open_columns import open_flags, row_open_state  # noqa: E402
from alongside.directory.synthetic import listing_hours  # noqa: E402

COUNT = int(os.environ.get("BENCH_COUNT", "40000"))
RUNS = int(os.environ.get("BENCH_RUNS", "15"))

rng = random.Random(3)  # noqa: S311
zones = ["America/New_York"] * 8 + ["America/Chicago"]
schedules = [(search_hours(listing_hours(rng)), rng.choice(zones)) for _ in range(COUNT)]
packed = pack(
    (i, uuid.uuid4(), 40.7, -74.0, "", "x", "", hours, zone, "", None, "", "")
    for i, (hours, zone) in enumerate(schedules)
)
rows = np.arange(COUNT)
distinct = {(hours, zone): i for i, (hours, zone) in enumerate(schedules)}
print(
    f"{COUNT} listings, {len(distinct)} distinct schedules, "
    f"{len(packed.hours)} of them with dated rows; median of {RUNS} runs"
)


def one_by_one(moment: datetime) -> np.ndarray:
    """Each distinct schedule worked out in Python, spread to its listings."""
    answer = {
        key: row_open_state(hours, zone, moment).open_now is True
        for (hours, zone), key in distinct.items()
    }
    return np.array([answer[distinct[s]] for s in schedules])


for label, moment in (
    ("a Thursday, 10:00 in New York", datetime(2026, 12, 3, 15, tzinfo=UTC)),
    ("Christmas Day, 10:00 in New York", datetime(2026, 12, 25, 15, tzinfo=UTC)),
):
    for name, answer in (("one by one", one_by_one), ("weeks on columns", open_flags)):
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            found = answer(moment) if answer is one_by_one else answer(packed, rows, moment)
            times.append((time.perf_counter() - start) * 1000)
        print(
            f"  {label:<34} {name:<18} {statistics.median(times):7.1f} ms"
            f"   ({int(found.sum())} open)"
        )
