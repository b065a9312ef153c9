"""Fictional billing for the demo organization: the payers, a billing identity, coverage by the
fictional DEMO payer, and last month's encounters, billable and held.

The care sample data already holds a year of encounters; this adds, for last month, what a
billing clerk meets: a peer group (billed per attendee with HQ), a long day that reaches the
payer's daily cap, and a person who asked that their insurance not be billed. Some people have
no diagnosis on file and the demo peer's credential is not yet earned, so their lines are held.
Every number here is made up (the NPIs only pass the check digit). Run ``demo_seed``,
``load_care_sample_data`` and ``load_workforce_sample_data`` first; running this again changes
nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from alongside.billing.loader import payers_load
from alongside.billing.models import BillingIdentity, Payer
from alongside.billing.services import billing_identity_set, coverage_add
from alongside.care import services as care
from alongside.care.models import Participant, Restriction
from alongside.core.models import Organization
from alongside.core.tenancy import organization_scope
from alongside.workforce import services as workforce

ORGANIZATION = "granite-peer"
PAYERS = Path(settings.BASE_DIR) / "content" / "payers"
IDENTITY = {
    "legal_name": "Granite Peer Support (sample)",
    "npi": "1234567893",
    "tax_id": "000000001",
    "taxonomy": "175T00000X",
    "address_line1": "1 Sample Street",
    "city": "Concord",
    "state": "NH",
    "postal_code": "033010000",
    "contact_phone": "6035550142",
}
# Rendering NPI of the demo supervisor, who holds an active credential.
SUPERVISOR_NPI = "1999999992"
# Codes as a referring clinician might write them (made up for made-up people).
DIAGNOSES = ["F33.1", "F41.1", "F43.10", "F11.20", "F10.20"]


def last_month(today: date) -> tuple[date, date]:
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


class Command(BaseCommand):
    help = "Load fictional billing data (DEMO payer, coverage, last month's encounters)."

    def handle(self, *args: Any, **options: Any) -> None:
        organization = Organization.objects.filter(slug=ORGANIZATION).first()
        if organization is None:
            raise CommandError("Run `alongside demo_seed` first.")
        payers_load([PAYERS])
        payer = Payer.objects.get(code="DEMO")
        with organization_scope(organization), transaction.atomic():
            if BillingIdentity.objects.exists():
                self.stdout.write("Billing sample data already loaded.")
                return
            people = list(Participant.objects.order_by("created_at"))
            if not people:
                raise CommandError("Run `alongside load_care_sample_data` first.")
            self._load(organization, payer, people, timezone.localdate())
        self.stdout.write("Billing sample data loaded (fictional): build a run for last month.")

    def _load(
        self, organization: Organization, payer: Payer, people: list[Participant], today: date
    ) -> None:
        User = get_user_model()
        admin = User.objects.get(username="admin")
        supervisor = User.objects.get(username="supervisor")
        billing_identity_set(organization=organization, actor=admin, data=IDENTITY)
        membership = supervisor.memberships.get(organization=organization)
        profile = workforce.staff_profile_ensure(membership=membership, actor=admin)
        workforce.staff_profile_update(profile=profile, actor=admin, data={"npi": SUPERVISOR_NPI})
        first, _last = last_month(today)
        for index, person in enumerate(people):
            # One in five has no coverage at all; one in six of the rest no diagnosis yet.
            if index % 5 == 4:
                continue
            if person.date_of_birth is None:
                # A claim names the person's date of birth; made up, like the person.
                care.participant_update(
                    participant=person,
                    actor=admin,
                    data={"date_of_birth": date(1970 + index % 30, 1 + index % 12, 1 + index % 28)},
                )
            coverage_add(
                participant=person,
                payer=payer,
                member_id=f"DEMO{index:06d}",
                starts_on=first - timedelta(days=90),
                ends_on=None,
                diagnosis_codes=[] if index % 6 == 5 else [DIAGNOSES[index % len(DIAGNOSES)]],
                actor=admin,
            )
        care.restriction_create(
            participant=people[0],
            actor=supervisor,
            use=Restriction.Use.BILLING_INSURANCE,
            detail="Pays for peer support privately (sample).",
            requested_on=first - timedelta(days=30),
        )
        group_day = first + timedelta(days=9)
        for person in people[1:4]:
            self._encounter(supervisor, person, group_day, time(17, 0), 90, "group")
        # A long day with one person: two encounters past the DEMO daily cap of 16 units. Their
        # plan is renewed first, so nothing but the cap holds the later encounter.
        long_day = first + timedelta(days=14)
        care.plan_version_create(
            participant=people[1],
            actor=supervisor,
            summary="Keep going to the recovery workshop; find part-time work (sample).",
            agreed_on=first - timedelta(days=7),
            agreed_how="out_loud",
            review_by=first + timedelta(days=180),
        )
        self._encounter(supervisor, people[1], long_day, time(9, 0), 180, "in_person")
        self._encounter(supervisor, people[1], long_day, time(13, 0), 120, "in_person")

    def _encounter(
        self, by: Any, person: Participant, day: date, start: time, minutes: int, kind: str
    ) -> None:
        begin = datetime.combine(day, start)
        encounter = care.encounter_create(
            participant=person,
            actor=by,
            data={
                "type": kind,
                "date": day,
                "start_time": start,
                "end_time": (begin + timedelta(minutes=minutes)).time(),
                "service_categories": ["education" if kind == "group" else "planning"],
                "worked_on": "Sample note: a recovery skills session (fictional).",
                "response": "Took part and asked questions.",
                "next_steps": "Meet again next week.",
            },
        )
        care.encounter_sign(encounter=encounter, actor=by)
