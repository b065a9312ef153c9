"""Billing at a month's scale: encounters to lines, one batch, the 837P and its pyx12 check.
Prints figures; asserts nothing.

    .venv/bin/python bench/billing.py                        # 5,000 people, 100,000 encounters
    BENCH_PARTICIPANTS=500 BENCH_ENCOUNTERS=10000 .venv/bin/python bench/billing.py
    DATABASE_URL=postgres://… .venv/bin/python bench/billing.py

Makes one organization with 50 credentialed specialists, BENCH_PARTICIPANTS people each with
coverage by the fictional DEMO payer, a diagnosis on file and a current plan, and
BENCH_ENCOUNTERS signed 30-minute encounters spread over one month (so some people meet twice
in a day and a few reach the daily cap). Then it times, separately and in all: the billing run
(``batch_build``: lines, holds, the cap, claims), writing the 837P, and validating it with
pyx12 (``batch_file_prepare`` does both), and prints the process's peak memory (resident set).
The target for the whole run is under 60 s and 500 MB. On PostgreSQL, point DATABASE_URL at
an empty scratch database: the script migrates it and adds the rows.
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
from django.test.utils import CaptureQueriesContext  # noqa: E402

from alongside.billing import services  # noqa: E402
from alongside.billing.loader import payers_load  # noqa: E402
from alongside.billing.models import Payer  # noqa: E402
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


def main() -> None:
    org, clerk = populate()
    payer = Payer.objects.get(code="DEMO")
    print(f"database: {connection.vendor}; peak memory before the run {peak_mb():.0f} MB")
    with organization_scope(org):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            batch = services.batch_build(
                organization=org,
                payer=payer,
                starts_on=MONTH[0],
                ends_on=MONTH[1],
                actor=clerk,
                today=TODAY,
            )
        built = time.perf_counter() - start
        lines = batch.lines.count()
        held = batch.lines.exclude(reasons=[]).count()
        claims = batch.claims.count()
        print(f"run: {lines} lines ({held} held), {claims} claims in {built:.1f} s,")
        print(f"  {len(queries)} queries")
        from alongside.billing.claimfile import claim_file_for
        from alongside.billing.x12.claims import write_837p
        from alongside.billing.x12.validate import x12_errors

        start = time.perf_counter()
        batch = services.batch_file_prepare(batch=batch)
        prepared = time.perf_counter() - start
        print(f"837P written and checked with pyx12 in {prepared:.1f} s:", end=" ")
        print(f"{len(batch.file_text) // 1024} KB, {len(batch.file_errors)} errors")
        for error in batch.file_errors[:5]:
            print("  ", error)
        # The two halves of that step, timed apart (the file is written again, not kept).
        from django.utils import timezone

        start = time.perf_counter()
        text = write_837p(
            claim_file_for(
                batch,
                list(batch.claims.order_by("created_at", "claim_id")),
                identity=services.BillingIdentity.objects.get(),
                created_at=timezone.localtime(),
            )
        )
        written = time.perf_counter() - start
        start = time.perf_counter()
        x12_errors(text)
        checked = time.perf_counter() - start
        print(f"  of which: writing {written:.1f} s, pyx12 {checked:.1f} s")
    total = built + prepared
    print(f"whole run (build + file + check): {total:.1f} s; peak memory {peak_mb():.0f} MB")
    print("target: under 60 s and 500 MB")


if __name__ == "__main__":
    main()
