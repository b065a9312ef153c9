import datetime

import pytest

from alongside.care import services
from alongside.care.consent import (
    PART2_NOTICE,
    DisclosureRefused,
    Missing,
    disclose,
    disclosure_check,
    is_part2,
)
from alongside.care.models import Disclosure
from alongside.core.models import AuditEvent

# Service calls and ORM reads in these tests act within the organization's scope.
pytestmark = pytest.mark.usefixtures("in_org")

SIGNED = datetime.date(2026, 1, 5)
LATER = datetime.date(2026, 2, 1)


def _consent(participant, member, **overrides):
    data = {
        "discloser": "Granite Peer Support",
        "recipients": "Harbor Housing Program",
        "information": "Dates of contact and housing goals",
        "information_categories": ["encounter_dates", "recovery_plan"],
        "purposes": ["benefits"],
        "expires_on": datetime.date(2026, 12, 31),
        "signature_name": "Jordan Sample",
        "signed_on": SIGNED,
        **overrides,
    }
    return services.consent_create(participant=participant, actor=member, data=data)


def test_no_consent_is_refused(participant):
    check = disclosure_check(participant, "Harbor Housing Program", "benefits", LATER)
    assert not check.allowed
    assert check.missing == [Missing.NO_CONSENT]


def test_covering_consent_allows_and_is_logged(participant, member):
    consent = _consent(participant, member)
    disclosure, notice = disclose(
        participant=participant,
        recipient="harbor housing  program",
        purpose="benefits",
        description="Dates of contact",
        actor=member,
    )
    assert disclosure.consent == consent
    assert notice == ""  # not a Part 2 record
    assert AuditEvent.objects.filter(action="disclose", object_id=str(disclosure.pk)).exists()


def test_expired_consent_is_refused(participant, member):
    _consent(participant, member, expires_on=datetime.date(2026, 1, 31))
    check = disclosure_check(participant, "Harbor Housing Program", "benefits", LATER)
    assert check.missing == [Missing.EXPIRED]


def test_revoked_consent_blocks_disclosure(participant, member):
    consent = _consent(participant, member)
    services.consent_revoke(
        consent=consent, actor=member, revoked_on=LATER, revoked_how="in_writing"
    )
    with pytest.raises(DisclosureRefused) as refused:
        disclose(
            participant=participant,
            recipient="Harbor Housing Program",
            purpose="benefits",
            description="x",
            actor=member,
            at=datetime.datetime(2026, 2, 2, 12, tzinfo=datetime.UTC),
        )
    assert refused.value.check.missing == [Missing.REVOKED]
    assert not Disclosure.objects.exists()


def test_wrong_purpose_is_refused(participant, member):
    _consent(participant, member)
    check = disclosure_check(participant, "Harbor Housing Program", "legal", LATER)
    assert check.missing == [Missing.PURPOSE]
    assert "purpose" in check.explanation()


def test_unnamed_recipient_is_refused(participant, member):
    _consent(participant, member)
    check = disclosure_check(participant, "County Court", "benefits", LATER)
    assert check.missing == [Missing.RECIPIENT]


def test_general_designation_covers_treatment_only(org, participant, member):
    org.is_part2_program = True
    org.save()
    participant.refresh_from_db()
    _consent(participant, member, recipients="", general_designation=True, purposes=["treatment"])
    assert disclosure_check(participant, "Any Clinic", "treatment", LATER).allowed
    assert not disclosure_check(participant, "Any Clinic", "legal", LATER).allowed


def test_part2_disclosure_carries_the_notice(participant, member):
    participant.received_from_part2 = True
    participant.save()
    assert is_part2(participant)
    _consent(participant, member)
    _disclosure, notice = disclose(
        participant=participant,
        recipient="Harbor Housing Program",
        purpose="benefits",
        description="Dates of contact",
        actor=member,
    )
    assert notice == PART2_NOTICE
    assert "§ 2.32" in notice


def test_a_restriction_the_person_asked_for_outranks_a_consent(participant, member):
    _consent(participant, member, recipients="Granite Health Plan", purposes=["payment"])
    assert disclosure_check(participant, "Granite Health Plan", "payment", LATER).allowed
    restriction = services.restriction_create(
        participant=participant, actor=member, use="billing_insurance", requested_on=SIGNED
    )
    check = disclosure_check(participant, "Granite Health Plan", "payment", LATER)
    assert check.missing == [Missing.RESTRICTED]
    assert "asked us not to share" in check.explanation()
    with pytest.raises(DisclosureRefused):
        disclose(
            participant=participant,
            recipient="Granite Health Plan",
            purpose="payment",
            description="Claim",
            actor=member,
        )
    restriction.active = False
    restriction.save()
    assert disclosure_check(participant, "Granite Health Plan", "payment", LATER).allowed
