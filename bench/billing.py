"""Billing at a month's scale: encounters to lines, one batch, the 837P and its pyx12 check.
Prints figures; asserts nothing.

    .venv/bin/python bench/billing.py                        # 5,000 people, 100,000 encounters
    BENCH_PARTICIPANTS=500 BENCH_ENCOUNTERS=10000 .venv/bin/python bench/billing.py
    DATABASE_URL=postgres://… .venv/bin/python bench/billing.py

Makes one organization with 50 credentialed specialists, BENCH_PARTICIPANTS people each with
coverage by the fictional DEMO payer, a diagnosis on file and a current plan, and
BENCH_ENCOUNTERS signed 30-minute encounters spread over one month (so some people meet twice
in a day and a few reach the daily cap). Then it runs the two services a clerk's click runs,
``batch_build`` (lines, holds, the cap, claims) and ``batch_file_prepare`` (the 837P and its
pyx12 check), and prints their time, their queries and the process's peak memory (resident
set), then each phase's wall and CPU seconds: reading the encounters, working out the lines,
saving lines and claims, gathering the file's data, writing the 837P, validating it with
pyx12. Phases are timed by wrapping the functions the services call; nothing else changes.
The pure-Python loop of bench/README.md is timed before and after, to say how fast the shared
machine was. The target for the whole run is under 60 s and 500 MB. On PostgreSQL, point
DATABASE_URL at an empty scratch database: the script migrates it and adds the rows; a later
run reuses them (run twice and keep the second: the first also pays for making the rows).
"""

import datetime
import functools
import os
import random
import resource
import sys
import time

from _setup import ROOT, django_setup

django_setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from alongside.billing import services  # noqa: E402
from alongside.billing.loader import payers_load  # noqa: E402
from alongside.billing.models import Payer  # noqa: E402
from alongside.billing.x12 import claims as x12_claims  # noqa: E402
from alongside.billing.x12 import validate as x12_validate  # noqa: E402
from alongside.care.models import (  # noqa: E402
    Coverage,
    Encounter,
    Participant,
    PlanVersion,
    RecoveryPlan,
)
from alongside.core.models import Organization  # noqa: E402
from alongside.core.roles import Role  # noqa: E402
from alongside.core.services import organization_create, user_create  # noqa: E402
from alongside.core.tenancy import organization_scope  # noqa: E402
from alongside.lib import crypto  # noqa: E402
from alongside.workforce.loader import credentials_load  # noqa: E402
from alongside.workforce.models import Credential, CredentialType, StaffProfile  # noqa: E402

PARTICIPANTS = int(os.environ.get("BENCH_PARTICIPANTS", "5000"))
ENCOUNTERS = int(os.environ.get("BENCH_ENCOUNTERS", "100000"))
SPECIALISTS = 50
SLUG = "bench-billing"
PASSWORD = "correct-horse-battery-staple-7391"  # noqa: S105 (synthetic accounts)
MONTH = (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
TODAY = datetime.date(2026, 12, 1)
BATCH = 5000
IDENTITY = {
    "legal_name": "Bench Peer Support (synthetic)",
    "npi": "1234567893",
    "tax_id": "000000001",
    "taxonomy": "175T00000X",
    "address_line1": "1 Synthetic Street",
    "city": "Concord",
    "state": "NH",
    "postal_code": "033010000",
    "contact_phone": "6035550100",
}

rng = random.Random(11)  # noqa: S311


def peak_mb() -> float:
    # ru_maxrss is kilobytes on Linux and bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def populate() -> tuple[Organization, object]:
    """Create the organization and its records unless an earlier run left them."""
    call_command("migrate", verbosity=0)
    payers_load([ROOT / "content" / "payers" / "demo.yaml"])
    credentials_load([ROOT / "content" / "credentials"])
    existing = Organization.objects.filter(slug=SLUG).first()
    if existing is not None:
        return existing, existing.memberships.get(user__username="bench-clerk").user
    start = time.perf_counter()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    crypto.encrypt_text = functools.lru_cache(maxsize=None)(crypto.encrypt_text)
    payer = Payer.objects.get(code="DEMO")
    crsw = CredentialType.objects.get(code="nh-crsw")
    with transaction.atomic():
        org = organization_create(name="Bench Peer Support (synthetic)", slug=SLUG, state="NH")
        specialists = [
            user_create(
                username=f"bench-bill-{i}",
                email=f"bench-bill-{i}@example.org",
                password=PASSWORD,
                organization=org,
                roles=[Role.PEER_SPECIALIST],
            )
            for i in range(SPECIALISTS)
        ]
        clerk = user_create(
            username="bench-clerk",
            email="bench-clerk@example.org",
            password=PASSWORD,
            organization=org,
            roles=[Role.BILLING],
        )
        with organization_scope(org):
            services.billing_identity_set(organization=org, actor=clerk, data=IDENTITY)
        for user in specialists:
            profile = StaffProfile.objects.create(
                organization=org, membership=user.memberships.get(), user=user
            )
            Credential.objects.create(
                organization=org,
                profile=profile,
                type=crsw,
                number="SYNTH",
                issued_on=datetime.date(2025, 1, 1),
                expires_on=datetime.date(2027, 1, 1),
            )
        people = Participant.objects.bulk_create(
            [
                Participant(
                    organization=org,
                    preferred_name=f"Person {i:05d} (synthetic)",
                    legal_name=f"Person Synthetic{i:05d}",
                    date_of_birth=datetime.date(1980 + i % 30, 1 + i % 12, 1 + i % 28),
                    focus="mental_health",
                    phone=f"603-555-01{i % 100:02d}",
                )
                for i in range(PARTICIPANTS)
            ],
            batch_size=BATCH,
        )
        Coverage.objects.bulk_create(
            [
                Coverage(
                    organization=org,
                    participant=p,
                    payer_name=payer.name,
                    payer_code=payer.code,
                    member_id=f"SYN{i:07d}",
                    starts_on=datetime.date(2026, 1, 1),
                    diagnosis_codes="F33.1",
                )
                for i, p in enumerate(people)
            ],
            batch_size=BATCH,
        )
        plans = RecoveryPlan.objects.bulk_create(
            [RecoveryPlan(organization=org, participant=p) for p in people], batch_size=BATCH
        )
        PlanVersion.objects.bulk_create(
            [
                PlanVersion(
                    organization=org,
                    plan=plan,
                    number=1,
                    agreed_on=datetime.date(2026, 10, 1),
                    agreed_how="out_loud",
                    review_by=datetime.date(2027, 3, 31),
                    created_by=specialists[0],
                )
                for plan in plans
            ],
            batch_size=BATCH,
        )
        made = 0
        while made < ENCOUNTERS:
            rows = []
            for _ in range(min(BATCH, ENCOUNTERS - made)):
                i = rng.randrange(PARTICIPANTS)
                hour = rng.randrange(8, 17)
                rows.append(
                    Encounter(
                        organization=org,
                        participant=people[i],
                        specialist=specialists[i % SPECIALISTS],
                        type=rng.choice(["in_person", "phone", "group"]),
                        date=MONTH[0] + datetime.timedelta(days=rng.randrange(30)),
                        start_time=datetime.time(hour),
                        end_time=datetime.time(hour, 30),
                        duration_minutes=30,
                        service_categories=["planning"],
                        worked_on="Synthetic note.",
                        status="signed",
                    )
                )
            Encounter.objects.bulk_create(rows)
            made += len(rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"created {PARTICIPANTS} people, {ENCOUNTERS} encounters in a month")
    print(f"  in {time.perf_counter() - start:.0f} s")
    return org, clerk


def loop_seconds() -> float:
    """The pure-Python calibration loop of bench/README.md: how fast the machine was."""
    start = time.perf_counter()
    total = 0
    for i in range(30_000_000):
        total += i & 7
    return time.perf_counter() - start


PHASES = {
    # bench name: (module, function) timed where the services call it; nothing else changes
    "read encounters": (services, "encounters_for_run"),
    "lines (units, holds, cap)": (services, "build_lines"),
    "save lines and claims": (services, "_save_lines"),
    "file data": (services, "claim_file_for"),
    "write 837P": (x12_claims, "write_837p"),
    "pyx12 validation": (x12_validate, "x12_errors"),
}


def timed_phases() -> dict[str, list[float]]:
    """Wrap each phase's function so each call adds its [wall, CPU] seconds to the dict.

    CPU is this process's (user + system): on a shared machine it moves less than the wall
    clock, but it leaves out the database server's share on PostgreSQL.
    """
    spent: dict[str, list[float]] = {name: [0.0, 0.0] for name in PHASES}
    for name, (module, attr) in PHASES.items():
        original = getattr(module, attr)

        def wrapper(*args, _original=original, _name=name, **kwargs):
            start, cpu = time.perf_counter(), time.process_time()
            try:
                return _original(*args, **kwargs)
            finally:
                spent[_name][0] += time.perf_counter() - start
                spent[_name][1] += time.process_time() - cpu

        setattr(module, attr, wrapper)
    return spent


def count_queries(counter: list[int]):
    def wrapper(execute, sql, params, many, context):
        counter[0] += 1
        return execute(sql, params, many, context)

    return connection.execute_wrapper(wrapper)


def main() -> None:
    now = datetime.datetime.now(datetime.UTC)
    print(f"{now:%Y-%m-%d %H:%M} UTC; the pure-Python loop: {loop_seconds():.1f} s")
    org, clerk = populate()
    payer = Payer.objects.get(code="DEMO")
    print(f"database: {connection.vendor}; peak memory before the run {peak_mb():.0f} MB")
    spent = timed_phases()
    with organization_scope(org):
        queries = [0]
        cpu_start = time.process_time()
        start = time.perf_counter()
        with count_queries(queries):
            batch = services.batch_build(
                organization=org,
                payer=payer,
                starts_on=MONTH[0],
                ends_on=MONTH[1],
                actor=clerk,
                today=TODAY,
            )
        built = time.perf_counter() - start
        run_queries = queries[0]
        peak_after_run = peak_mb()
        start = time.perf_counter()
        with count_queries(queries):
            batch = services.batch_file_prepare(batch=batch)
        prepared = time.perf_counter() - start
        lines = batch.lines.count()
        held = batch.lines.exclude(reasons=[]).count()
        claims = batch.claims.count()
        segments = batch.file_text.count("~")
    print(f"run: {lines} lines ({held} held), {claims} claims in {built:.1f} s,", end=" ")
    print(f"{run_queries} queries; peak memory {peak_after_run:.0f} MB")
    print(f"837P written and checked with pyx12 in {prepared:.1f} s,", end=" ")
    print(f"{queries[0] - run_queries} queries:", end=" ")
    print(
        f"{len(batch.file_text) // 1024} KB, {segments} segments, {len(batch.file_errors)} errors"
    )
    for error in batch.file_errors[:5]:
        print("  ", error)
    print(f"  {'phase':28} {'wall':>7} {'CPU':>7}")
    for name, (wall, phase_cpu) in spent.items():
        print(f"  {name:28} {wall:6.1f}s {phase_cpu:6.1f}s")
    total, cpu = built + prepared, time.process_time() - cpu_start
    print(f"whole run (build + file + check): {total:.1f} s ({cpu:.1f} s CPU);", end=" ")
    print(f"peak memory {peak_mb():.0f} MB")
    print("target: under 60 s and 500 MB")
    print(f"the pure-Python loop after the run: {loop_seconds():.1f} s")


if __name__ == "__main__":
    main()
