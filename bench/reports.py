"""The quarterly report at caseload scale. Prints figures; asserts nothing.

    .venv/bin/python bench/reports.py                 # 5,000 people, 500,000 encounters
    BENCH_PARTICIPANTS=1000 BENCH_ENCOUNTERS=50000 .venv/bin/python bench/reports.py
    DATABASE_URL=postgres://… .venv/bin/python bench/reports.py

Uses the organization ``care_pages.py`` makes (the same generator and the same
BENCH_PARTICIPANTS / BENCH_ENCOUNTERS, two years of encounters), then adds what a report
splits and counts: demographics on every participant, encounter types and categories, a year
of weekly groups with attendance and walk-ins, discharges, referrals, GPRA episodes, a
BARC-10 total every quarter for a quarter of the people, and a year of warm-line contacts
(BENCH_CONTACTS_PER_DAY, 40 by default). Times the
quarterly report for the last 90 days three ways: computed in Python, the page, and the CSV
file through Django's test client as a supervisor.
"""

import datetime
import os
import statistics
import time
from pathlib import Path

from care_pages import populate, rng, sign_in
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from alongside.care.models import Encounter, Enrollment, Participant, Referral  # noqa: E402
from alongside.core.models import Organization  # noqa: E402
from alongside.core.tenancy import organization_scope  # noqa: E402
from alongside.groups.models import Attendance, Group, Session  # noqa: E402
from alongside.outcomes.loader import instruments_load  # noqa: E402
from alongside.outcomes.models import Administration, Instrument  # noqa: E402
from alongside.reports.catalog import REPORTS, run_report  # noqa: E402
from alongside.reports.models import GpraEpisode  # noqa: E402
from alongside.warmline.models import Contact, Line  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "10"))
CONTACTS_PER_DAY = int(os.environ.get("BENCH_CONTACTS_PER_DAY", "40"))
BARC = Path(__file__).resolve().parent.parent / "content" / "instruments" / "barc-10.yaml"
GROUPS = 10
BATCH = 5000
GENDERS = ["woman", "man", "nonbinary", "prefer_not_to_say", ""]
RACES = [["white"], ["black"], ["hispanic_latino", "white"], ["asian"], [], ["prefer_not_to_say"]]
TYPES = ["phone", "in_person", "video", "text", "home_visit"]
CATEGORIES = [["planning"], ["resources"], ["advocacy", "planning"], ["education"]]


def add_report_data(org: Organization) -> None:
    """Demographics, groups, discharges, referrals and GPRA episodes, once."""
    if Group.objects.filter(slug="bench-group-0").exists():
        return
    start = time.perf_counter()
    today = timezone.localdate()
    with transaction.atomic():
        people = list(Participant.objects.order_by("pk"))
        for i, person in enumerate(people):
            person.gender = GENDERS[i % len(GENDERS)]
            person.race_ethnicity = RACES[i % len(RACES)]
            person.veteran = ["yes", "no", "no", ""][i % 4]
            person.date_of_birth = today - datetime.timedelta(days=365 * (18 + i % 60) + i % 300)
        Participant.objects.bulk_update(
            people, ["gender", "race_ethnicity", "veteran", "date_of_birth"], batch_size=BATCH
        )
        # Vary a tenth of the encounters' types and categories (one update per kind).
        ids = list(Encounter.objects.values_list("pk", flat=True)[: len(people) * 10])
        for n, kind in enumerate(TYPES):
            chunk = ids[n::10][:20000]
            Encounter.objects.filter(pk__in=chunk).update(
                type=kind, service_categories=CATEGORIES[n % len(CATEGORIES)]
            )
        specialist = Encounter.objects.values_list("specialist_id", flat=True).first()
        sessions, marks = [], []
        for g in range(GROUPS):
            group = Group.objects.create(
                organization=org,
                name=f"Bench group {g} (synthetic)",
                slug=f"bench-group-{g}",
                kind="peer_support",
                format="online",
                conference_url="https://example.org/meet",
                service_category="planning",
            )
            for week in range(52):
                day = today - datetime.timedelta(days=7 * week + g % 7)
                sessions.append(
                    Session(
                        organization=org, group=group, scheduled_date=day, date=day,
                        start_time=datetime.time(18), end_time=datetime.time(19),
                        walk_ins=rng.randrange(4), attendance_taken_at=timezone.now(),
                    )
                )  # fmt: skip
        Session.objects.bulk_create(sessions, batch_size=BATCH)
        for session in sessions:
            for person in rng.sample(people, 8):
                marks.append(
                    Attendance(
                        organization=org, session=session, participant=person, status="present"
                    )
                )
        Attendance.objects.bulk_create(marks, batch_size=BATCH)
        enrollments = list(Enrollment.objects.order_by("pk")[: len(people) // 10])
        for e in enrollments:
            e.discharged_on = today - datetime.timedelta(days=rng.randrange(365))
            e.discharge_reason = rng.choice(["goals_met", "moved", "lost_contact", "other"])
        Enrollment.objects.bulk_update(
            enrollments, ["discharged_on", "discharge_reason"], batch_size=BATCH
        )
        Referral.objects.bulk_create(
            [
                Referral(
                    organization=org, participant=p, provider_name="Harbor (synthetic)",
                    status=rng.choice(["suggested", "made", "connected"]), made_by_id=specialist,
                )
                for p in people[: len(people) // 2]
            ],
            batch_size=BATCH,
        )  # fmt: skip
        GpraEpisode.objects.bulk_create(
            [
                GpraEpisode(
                    organization=org,
                    participant=p,
                    intake_on=today - datetime.timedelta(days=rng.randrange(365)),
                    followup_on=None if i % 3 else today - datetime.timedelta(days=i % 90),
                )
                for i, p in enumerate(people[: len(people) // 5])
            ],
            batch_size=BATCH,
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"added report data in {time.perf_counter() - start:.0f} s")


def add_measures_and_contacts(org: Organization) -> None:
    """Recovery measures and a year of warm-line contacts, once."""
    if Line.objects.filter(slug="bench-line").exists():
        return
    start = time.perf_counter()
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        instruments_load([BARC])
        barc = Instrument.objects.get(code="BARC-10")
        people = list(Participant.objects.order_by("pk")[::4])
        entered_by = Encounter.objects.values_list("specialist_id", flat=True).first()
        Administration.objects.bulk_create(
            [
                Administration(
                    organization=org, participant=p, instrument=barc, entered_by_id=entered_by,
                    completed_on=today - datetime.timedelta(days=91 * q + i % 60),
                    total=10 + (i + q * 7) % 51,
                )
                for i, p in enumerate(people)
                for q in range(4)
            ],
            batch_size=BATCH,
        )  # fmt: skip
        line = Line.objects.create(
            organization=org, name="Bench line (synthetic)", slug="bench-line"
        )
        contacts = Contact.objects.bulk_create(
            [
                Contact(organization=org, line=line, channel="sms" if n % 3 else "chat",
                        status="ended")
                for n in range(365 * CONTACTS_PER_DAY)
            ],
            batch_size=BATCH,
        )  # fmt: skip
        # queued_at is set on creation; bulk_update writes the times a year of use would have.
        for n, contact in enumerate(contacts):
            contact.queued_at = now - datetime.timedelta(minutes=n * 24 * 60 // CONTACTS_PER_DAY)
            contact.taken_at = (
                None
                if n % 7 == 0
                else contact.queued_at + datetime.timedelta(seconds=rng.randrange(600))
            )
        Contact.objects.bulk_update(contacts, ["queued_at", "taken_at"], batch_size=BATCH)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"added measures and warm-line contacts in {time.perf_counter() - start:.0f} s")


def figures(label: str, run: object) -> None:
    run()  # warm caches and the connection
    times = []
    for _ in range(RUNS):
        # DEBUG keeps at most 9,000 queries; a count past that would read as 0.
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            run()  # type: ignore[operator]
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(
        f"  {label:<22} p50 {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms"
        f"   ({len(queries)} queries)"
    )


def main() -> None:
    org = populate()
    with organization_scope(org):
        add_report_data(org)
        add_measures_and_contacts(org)
        end = timezone.localdate()
        start = end - datetime.timedelta(days=89)
        print(
            f"{connection.vendor}, {Participant.objects.count()} participants, "
            f"{Encounter.objects.count()} encounters "
            f"({Encounter.objects.filter(date__gte=start).count()} in the period), "
            f"{Attendance.objects.count()} attendance marks, "
            f"{Administration.objects.count()} recovery measures, "
            f"{Contact.objects.count()} warm-line contacts, {RUNS} runs"
        )
        report = REPORTS["quarterly"]
        figures("computed", lambda: run_report(report, start, end, suppressed=False))
        figures("computed, suppressed", lambda: run_report(report, start, end, suppressed=True))
    client = sign_in("bench-super")
    query = f"?from={start}&to={end}"
    page = reverse("reports:report", args=["quarterly"]) + query
    csv = reverse("reports:report_csv", args=["quarterly"]) + query

    def get(url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)  # noqa: S101

    figures("page", lambda: get(page))
    figures("CSV file", lambda: get(csv))


if __name__ == "__main__":
    main()
