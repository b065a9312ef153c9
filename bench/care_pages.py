"""Care page latency at caseload scale. Prints figures; asserts nothing.

    .venv/bin/python bench/care_pages.py                     # 5,000 people, 500,000 encounters
    BENCH_PARTICIPANTS=1000 BENCH_ENCOUNTERS=50000 .venv/bin/python bench/care_pages.py
    DATABASE_URL=postgres://… .venv/bin/python bench/care_pages.py

Makes one organization with 50 specialists and a supervisor, BENCH_PARTICIPANTS enrolled
participants (each assigned to one specialist) and BENCH_ENCOUNTERS encounter notes spread
over the last two years, then times the caseload dashboard, a participant's page and the
participant list through Django's test client, signed in with two-factor satisfied: as a
specialist (about 1/50 of the people) and as a supervisor (everyone). On PostgreSQL, point
DATABASE_URL at an empty scratch database: the script migrates it and adds the rows.
"""

import datetime
import functools
import os
import random
import statistics
import time

from _setup import django_setup

django_setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from alongside.care.models import Appointment, Encounter, Enrollment, Participant  # noqa: E402
from alongside.core.models import Organization  # noqa: E402
from alongside.core.roles import Role  # noqa: E402
from alongside.core.services import organization_create, user_create  # noqa: E402
from alongside.core.tenancy import organization_scope  # noqa: E402
from alongside.lib import crypto  # noqa: E402

PARTICIPANTS = int(os.environ.get("BENCH_PARTICIPANTS", "5000"))
ENCOUNTERS = int(os.environ.get("BENCH_ENCOUNTERS", "500000"))
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
SPECIALISTS = 50
SLUG = "bench-care"
PASSWORD = "correct-horse-battery-staple-7391"  # noqa: S105 (synthetic accounts)
BATCH = 5000
NOTES = [
    "Looked at bus routes to the new job.",
    "Practised what to say at the housing appointment.",
    "Went over the recovery plan together.",
    "Talked through a hard week; made a plan for the weekend.",
]

rng = random.Random(7)  # noqa: S311


def populate() -> Organization:
    """Create the organization and its records unless an earlier run left them."""
    call_command("migrate", verbosity=0)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    existing = Organization.objects.filter(slug=SLUG).first()
    if existing is not None:
        return existing
    start = time.perf_counter()
    # Nobody signs in with these passwords; do not spend seconds on PBKDF2 for each account.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Encrypting 1.5 million note fields one by one would take most of the run; reuse the
    # ciphertext of each distinct text (still valid Fernet tokens that decrypt as usual).
    crypto.encrypt_text = functools.lru_cache(maxsize=None)(crypto.encrypt_text)
    with transaction.atomic():
        org = organization_create(name="Bench Peer Support (synthetic)", slug=SLUG, state="NH")
        specialists = [
            user_create(
                username=f"bench-spec-{i}",
                email=f"bench-spec-{i}@example.org",
                password=PASSWORD,
                organization=org,
                roles=[Role.PEER_SPECIALIST],
            )
            for i in range(SPECIALISTS)
        ]
        user_create(
            username="bench-super",
            email="bench-super@example.org",
            password=PASSWORD,
            organization=org,
            roles=[Role.SUPERVISOR, Role.PEER_SPECIALIST],
        )
        today = timezone.localdate()
        people = Participant.objects.bulk_create(
            [
                Participant(
                    organization=org,
                    preferred_name=f"Person {i:05d} (synthetic)",
                    focus=rng.choice(["mental_health", "substance_use", "both"]),
                    phone=f"603-555-01{i % 100:02d}",
                )
                for i in range(PARTICIPANTS)
            ],
            batch_size=BATCH,
        )
        Participant.specialists.through.objects.bulk_create(
            [
                Participant.specialists.through(
                    participant_id=p.pk, user_id=specialists[i % SPECIALISTS].pk
                )
                for i, p in enumerate(people)
            ],
            batch_size=BATCH,
        )
        Enrollment.objects.bulk_create(
            [
                Enrollment(
                    organization=org,
                    participant=p,
                    enrolled_on=today - datetime.timedelta(days=730),
                    agreement_recorded_on=today - datetime.timedelta(days=730),
                    agreement_how="verbal",
                )
                for p in people
            ],
            batch_size=BATCH,
        )
        now = timezone.now()
        Appointment.objects.bulk_create(
            [
                Appointment(
                    organization=org,
                    participant=p,
                    specialist=specialists[i % SPECIALISTS],
                    starts_at=now + datetime.timedelta(hours=rng.randrange(1, 24 * 14)),
                    ends_at=now + datetime.timedelta(hours=24 * 15),
                    place="Office",
                    transportation=rng.choice(["none", "none", "needs_ride", "bus_pass"]),
                )
                for i, p in enumerate(people)
            ],
            batch_size=BATCH,
        )
        made = 0
        while made < ENCOUNTERS:
            rows = []
            for _ in range(min(BATCH, ENCOUNTERS - made)):
                i = rng.randrange(PARTICIPANTS)
                rows.append(
                    Encounter(
                        organization=org,
                        participant=people[i],
                        specialist=specialists[i % SPECIALISTS],
                        type="phone",
                        date=today - datetime.timedelta(days=rng.randrange(730)),
                        start_time=datetime.time(10),
                        end_time=datetime.time(10, 30),
                        duration_minutes=30,
                        service_categories=["planning"],
                        worked_on=rng.choice(NOTES),
                        response=rng.choice(NOTES),
                        next_steps=rng.choice(NOTES),
                        status="signed",
                    )
                )
            Encounter.objects.bulk_create(rows)
            made += len(rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"created {PARTICIPANTS} participants, {ENCOUNTERS} encounters")
    print(f"  in {time.perf_counter() - start:.0f} s")
    return org


def sign_in(username: str) -> Client:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def measure(client: Client, url: str) -> tuple[list[float], int]:
    client.get(url)  # warm caches and the connection
    times = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)  # noqa: S101
    return sorted(times), len(queries)


def main() -> None:
    org = populate()
    # The bench reads the organization's records as its members' requests would: in its scope.
    with organization_scope(org):
        participants = Participant.objects.all()
        busiest = (
            participants.filter(specialists__username="bench-spec-0")
            .order_by("-preferred_name")
            .values_list("pk", flat=True)
            .first()
        )
        print(
            f"{connection.vendor}, {participants.count()} participants, "
            f"{Encounter.objects.count()} encounters, {RUNS} runs per page"
        )
    PAGES = [
        ("dashboard", reverse("care:dashboard")),
        ("participant page", reverse("care:participant", args=[busiest])),
        ("list: mine", reverse("care:participant_list")),
        ("list: everyone active", reverse("care:participant_list") + "?show=active"),
        ("list: active, page 40", reverse("care:participant_list") + "?show=active&page=40"),
        ("calendar", reverse("care:calendar")),
    ]
    for who in ("bench-spec-0", "bench-super"):
        client = sign_in(who)
        print(f"  as {who}:")
        for name, url in PAGES:
            times, count = measure(client, url)
            p95 = times[max(0, int(len(times) * 0.95) - 1)]
            print(
                f"    {name:<24} p50 {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms"
                f"   ({count} queries)"
            )


if __name__ == "__main__":
    main()
