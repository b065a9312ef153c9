"""Public groups at scale: the Meeting Guide feed, the groups list for "Tuesday evening", and
the directory search "Tuesday evening near 03301" once the groups are listed there. Prints
p50/p95 and the feed's query count; asserts only that the query count stays fixed.

    .venv/bin/python bench/groups.py                          # 10,000 groups, SQLite
    DATABASE_URL=postgres://… .venv/bin/python bench/groups.py  # a scratch database

Groups are synthetic and fictional, spread over New Hampshire ZIP codes.
"""

import os
import random
import statistics
import time

from _setup import django_setup, production_env

os.environ.update(production_env())  # as a deployment runs: no query log (DEBUG=0)
django_setup()

from datetime import time as clock  # noqa: E402
from datetime import timedelta  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from alongside.core.models import Organization  # noqa: E402
from alongside.core.services import organization_create  # noqa: E402
from alongside.directory import geo  # noqa: E402
from alongside.directory.forms import SearchForm  # noqa: E402
from alongside.directory.search import services_search  # noqa: E402
from alongside.groups.feeds import feed_groups, meeting_guide_feed  # noqa: E402
from alongside.groups.listing import groups_listings_sync  # noqa: E402
from alongside.groups.models import Group, MeetingTime  # noqa: E402
from alongside.groups.public import (  # noqa: E402
    UPCOMING_DAYS,
    public_groups_filtered,
    upcoming,
    with_schedules,
)
from alongside.groups.public_views import PER_PAGE  # noqa: E402

COUNT = int(os.environ.get("BENCH_COUNT", "10000"))
RUNS = int(os.environ.get("BENCH_RUNS", "20"))
LISTED = int(os.environ.get("BENCH_LISTED", "500"))
rng = random.Random(24)  # noqa: S311


def make_groups() -> None:
    call_command("migrate", verbosity=0)
    org = Organization.objects.filter(slug="bench-groups").first() or organization_create(
        name="Bench Peer Groups (fictional)", slug="bench-groups", state="NH"
    )
    missing = COUNT - Group.objects.with_scopes_disabled().count()
    if missing <= 0:
        return
    places = [z for z in geo._zip_index().values() if z["state"] == "NH"]
    groups, times = [], []
    start = time.perf_counter()
    for n in range(missing):
        place = rng.choice(places)
        online = rng.random() < 0.3
        group = Group(
            organization=org,
            name=f"Bench Group {n:05d} (fictional)",
            slug=f"bench-group-{n:05d}",
            kind=Group.Kind.PEER_SUPPORT,
            format=Group.Format.ONLINE if online else Group.Format.IN_PERSON,
            city=place["city"],
            state="NH",
            postal_code=place["zip_code"],
            address="" if online else f"{n % 200 + 1} Example Street",
            conference_url="https://video.example.org/j/5550100" if online else "",
            conference_public=online and rng.random() < 0.5,
            is_open=rng.random() < 0.8,
            timezone="America/New_York",
            listed_publicly=True,
        )
        groups.append(group)
        hour = rng.choice([7, 9, 12, 17, 18, 19, 20])
        for weekday in rng.sample(range(7), rng.choice([1, 1, 2])):
            times.append(
                MeetingTime(
                    organization=org,
                    group=group,
                    weekday=weekday,
                    start_time=clock(hour),
                    end_time=clock(hour + 1),
                )
            )
    Group.objects.bulk_create(groups, batch_size=1000)
    MeetingTime.objects.bulk_create(times, batch_size=1000)
    print(f"made {missing} groups in {time.perf_counter() - start:.1f} s")
    # Listing writes every directory row of a group: list a share of them (BENCH_LISTED).
    start = time.perf_counter()
    listed = Group.objects.with_scopes_disabled().order_by("slug")[:LISTED]
    groups_listings_sync(Group.objects.with_scopes_disabled().filter(pk__in=listed))
    print(f"listed {LISTED} in the directory in {time.perf_counter() - start:.1f} s")


def figures(name: str, run) -> None:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(f"  {name:<44} p50 {statistics.median(times):8.1f} ms   p95 {p95:8.1f} ms")


with scopes_disabled():
    make_groups()
    today = timezone.localdate()
    print(f"{connection.vendor}, {Group.objects.count()} groups, {RUNS} runs each")

    def feed() -> int:
        return len(meeting_guide_feed(feed_groups(), base_url="https://example.org", today=today))

    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            meetings = feed()
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    print(f"  Meeting Guide feed: {meetings} meetings in {counts[0]} queries")
    figures("Meeting Guide feed (whole)", feed)

    def tuesday_evening_page() -> int:
        # What the /groups/ view reads for its first page (the template is left out).
        groups = public_groups_filtered(day="tue", time_of_day="evening", today=today)
        first, last = today - timedelta(days=1), today + timedelta(days=UPCOMING_DAYS + 1)
        page = list(with_schedules(groups.order_by("name", "slug"), first, last)[:PER_PAGE])
        now = timezone.now()
        return sum(1 for g in page if upcoming(g, now)) + groups.count()

    with CaptureQueriesContext(connection) as queries:
        tuesday_evening_page()
    print(f"  /groups/ Tuesday evening: first page in {len(queries)} queries")
    figures("/groups/?day=tue&time_of_day=evening, page 1", tuesday_evening_page)

    def search() -> int:
        form = SearchForm(
            {"near": "03301", "type": ["peer_group"], "day": "tue", "time_of_day": "evening"}
        )
        assert form.is_valid(), form.errors
        return services_search(form.params()).total

    print(f"  directory: {search()} listings Tuesday evening near 03301")
    figures("directory search Tuesday evening near 03301", search)
