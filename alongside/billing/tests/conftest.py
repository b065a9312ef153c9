"""Billing fixtures: the DEMO payer, a billing clerk, and a person whose notes are billable.

``World.encounter`` writes (and by default signs) a note; everything a payer requires is on
file for ``person`` unless a test takes it away: coverage with a diagnosis, a current plan, a
credential for the specialist. November 2026 is the month billed.
"""

import datetime
from pathlib import Path

import pytest

from alongside.billing.loader import payers_load
from alongside.billing.models import Payer
from alongside.care import services as care
from alongside.core.roles import Role
from alongside.core.tenancy import organization_scope
from alongside.workforce import services as workforce
from alongside.workforce.loader import credentials_load
from alongside.workforce.models import CredentialType

ROOT = Path(__file__).resolve().parents[3]
PAYERS = ROOT / "content" / "payers"
CREDENTIALS = ROOT / "content" / "credentials"
DAY = datetime.date(2026, 11, 10)
MONTH = (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def payer(db):
    payers_load([PAYERS / "demo.yaml"])
    return Payer.objects.get(code="DEMO")


@pytest.fixture
def clerk(make_user, org):
    return make_user("bill", org, [Role.BILLING])


@pytest.fixture
def outsider_clerk(make_user, other_org):
    return make_user("olga", other_org, [Role.BILLING, Role.ORG_ADMIN])


class World:
    def __init__(self, org, specialist, payer):
        self.org, self.specialist, self.payer = org, specialist, payer

    def person(self, name="Riley (sample)", *, coverage=True, diagnosis="F33.1", plan=True, **data):
        with organization_scope(self.org):
            person = care.participant_create(
                organization=self.org,
                actor=self.specialist,
                data={
                    "preferred_name": name,
                    "legal_name": f"{name.split()[0]} Sample",
                    "focus": "mental_health",
                    "date_of_birth": datetime.date(1990, 4, 2),
                    **data,
                },
                specialists=[self.specialist],
                enrolled_on=datetime.date(2026, 10, 1),
                agreement_how="verbal",
            )
            if coverage:
                self.cover(person, diagnosis=diagnosis)
            if plan:
                care.plan_version_create(
                    participant=person,
                    actor=self.specialist,
                    summary="Walking again, in my words",
                    agreed_on=datetime.date(2026, 10, 1),
                    agreed_how="out_loud",
                    review_by=datetime.date(2027, 3, 31),
                )
        return person

    def cover(
        self, person, *, diagnosis="F33.1", starts_on=datetime.date(2026, 1, 1), ends_on=None
    ):
        with organization_scope(self.org):
            return care.coverage_create(
                participant=person,
                actor=self.specialist,
                data={
                    "payer_name": self.payer.name,
                    "payer_code": self.payer.code,
                    "member_id": "DEMO-0001",
                    "starts_on": starts_on,
                    "ends_on": ends_on,
                    "diagnosis_codes": diagnosis,
                },
            )

    def encounter(
        self, person, minutes=60, *, day=DAY, start=(10, 0), type="in_person", sign=True, by=None
    ):
        by = by or self.specialist
        begin = datetime.datetime.combine(day, datetime.time(*start))
        end = begin + datetime.timedelta(minutes=minutes)
        with organization_scope(self.org):
            encounter = care.encounter_create(
                participant=person,
                actor=by,
                data={
                    "type": type,
                    "date": day,
                    "start_time": begin.time(),
                    "end_time": end.time(),
                    "service_categories": ["planning"],
                    "worked_on": "Private words the billing clerk must never read",
                    "response": "Felt steadier",
                    "next_steps": "Meet again next week",
                },
            )
            if sign:
                care.encounter_sign(encounter=encounter, actor=by)
        return encounter


def credential_for(
    user, org, *, issued_on=datetime.date(2025, 1, 1), expires_on=datetime.date(2027, 1, 1)
):
    credentials_load([CREDENTIALS])
    membership = user.memberships.get(organization=org)
    with organization_scope(org):
        profile = workforce.staff_profile_ensure(membership=membership, actor=user)
        workforce.credential_add(
            profile=profile,
            actor=user,
            data={
                "type": CredentialType.objects.get(code="nh-crsw"),
                "number": "CRSW-0001",
                "issued_on": issued_on,
                "expires_on": expires_on,
            },
        )
    return profile


@pytest.fixture
def world(org, member, payer):
    credential_for(member, org)
    return World(org, member, payer)


IDENTITY = {
    "legal_name": "Granite Peer Support (test)",
    "npi": "1234567893",
    "tax_id": "020000001",
    "taxonomy": "175T00000X",
    "address_line1": "1 Main Street",
    "city": "Concord",
    "state": "NH",
    "postal_code": "033010001",
    "contact_phone": "6035550142",
}


@pytest.fixture
def identity(org, admin):
    from alongside.billing.services import billing_identity_set

    with organization_scope(org):
        return billing_identity_set(organization=org, actor=admin, data=IDENTITY)


def submitted_batch(world, clerk, *encounters_minutes):
    """A run of one person's encounters whose claim went out; returns (batch, claim)."""
    from alongside.billing.models import Claim
    from alongside.billing.services import batch_build

    person = world.person()
    for index, minutes in enumerate(encounters_minutes or (60,)):
        world.encounter(person, minutes=minutes, start=(9 + 2 * index, 0))
    with organization_scope(world.org):
        batch = batch_build(
            organization=world.org,
            payer=world.payer,
            starts_on=MONTH[0],
            ends_on=MONTH[1],
            actor=clerk,
            today=TODAY,
        )
        batch.claims.update(status=Claim.Status.SUBMITTED)
        return batch, batch.claims.get()
