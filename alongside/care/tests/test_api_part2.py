# ruff: noqa: F811  (the api fixtures are imported from test_api and used as arguments)
"""The FHIR export goes through the consent gate: refused with the reason, or recorded."""

import datetime

import pytest

from alongside.care import services
from alongside.care.consent import PART2_NOTICE
from alongside.care.fhir import NOTICE_EXTENSION
from alongside.care.models import Disclosure
from alongside.core.models import AuditEvent

from .conftest import TODAY, make_participant
from .test_api import api, api_as  # noqa: F401  (fixtures)

RECIPIENT = "API export to bob"

# The bodies record consents and read disclosures of ``org`` directly.
pytestmark = pytest.mark.usefixtures("in_org")


@pytest.fixture
def part2_participant(org, member):
    return make_participant(org, member, specialists=[member], received_from_part2=True)


def consent_for(participant, actor, **changes):
    data = {
        "discloser": "Granite",
        "recipients": RECIPIENT,
        "information": "The care record",
        "information_categories": [
            "demographics",
            "contact_details",
            "coverage",
            "recovery_plan",
            "encounter_dates",
            "encounter_notes",
            "recovery_measures",
            "referrals",
        ],
        "purposes": ["treatment"],
        "expires_on": TODAY + datetime.timedelta(days=300),
        "signature_name": "Jordan",
        "signed_on": TODAY - datetime.timedelta(days=1),
        **changes,
    }
    return services.consent_create(participant=participant, actor=actor, data=data)


def export(api, participant, purpose="treatment"):
    return api.get(f"/participants/{participant.pk}/fhir", purpose=purpose)


def assert_refused(response, participant, missing):
    assert response.status_code == 403
    assert missing in response.json()["missing"]
    assert response.json()["detail"]
    assert not Disclosure.objects.filter(participant=participant).exists()
    assert not AuditEvent.objects.filter(action="export", participant_id=str(participant.pk))


def test_no_consent_is_refused(api, part2_participant):
    assert_refused(export(api, part2_participant), part2_participant, "no_consent")


def test_expired_consent_is_refused(api, member, part2_participant):
    consent_for(
        part2_participant,
        member,
        signed_on=TODAY - datetime.timedelta(days=400),
        expires_on=TODAY - datetime.timedelta(days=30),
    )
    assert_refused(export(api, part2_participant), part2_participant, "expired")


def test_revoked_consent_is_refused(api, member, part2_participant):
    consent = consent_for(part2_participant, member)
    services.consent_revoke(
        consent=consent, actor=member, revoked_on=consent.signed_on, revoked_how="in_writing"
    )
    assert_refused(export(api, part2_participant), part2_participant, "revoked")


def test_wrong_purpose_is_refused(api, member, part2_participant):
    consent_for(part2_participant, member)
    response = export(api, part2_participant, purpose="legal")
    assert_refused(response, part2_participant, "purpose_not_covered")


def test_consent_for_someone_else_is_refused(api, member, part2_participant):
    consent_for(part2_participant, member, recipients="Harbor Housing")
    assert_refused(export(api, part2_participant), part2_participant, "recipient_not_covered")


def test_covering_consent_exports_with_the_notice(api, member, part2_participant):
    consent = consent_for(part2_participant, member)
    response = export(api, part2_participant)
    assert response.status_code == 200
    meta = response.json()["meta"]
    assert {"url": NOTICE_EXTENSION, "valueString": PART2_NOTICE} in meta["extension"]
    assert "42CFRPart2" in {label["code"] for label in meta["security"]}
    disclosure = Disclosure.objects.get(participant=part2_participant)
    assert (disclosure.recipient, disclosure.purpose, disclosure.consent) == (
        RECIPIENT,
        "treatment",
        consent,
    )
    assert response.json()["identifier"]["value"] == f"urn:uuid:{disclosure.pk}"
    actions = set(
        AuditEvent.objects.filter(participant_id=str(part2_participant.pk)).values_list(
            "action", flat=True
        )
    )
    assert {"view", "disclose", "export"} <= actions


def test_general_designation_covers_treatment_without_a_notice(api, member, participant):
    consent_for(participant, member, recipients="", general_designation=True)
    response = export(api, participant)
    assert response.status_code == 200
    assert "meta" not in response.json()
    assert Disclosure.objects.filter(participant=participant, recipient=RECIPIENT).exists()


def test_purpose_is_required(api, participant):
    response = api.get(f"/participants/{participant.pk}/fhir")
    assert response.status_code == 400
    assert "purpose" in response.json()["errors"]


def test_billing_cannot_export(api_as, billing_user, org, member, participant):
    consent_for(participant, member, recipients="API export to bill")
    response = api_as(billing_user, org).get(
        f"/participants/{participant.pk}/fhir?purpose=treatment"
    )
    assert response.status_code == 403
    assert not Disclosure.objects.exists()
