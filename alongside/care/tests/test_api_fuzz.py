"""Property-based fuzzing of the care API against its OpenAPI description: never a 5xx.

Path ids are replaced with records the token may reach, so requests get past the 404 and
exercise validation, the services and the consent gate.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import negative_data_rejection, positive_data_acceptance

from alongside.care import services
from alongside.core.services import api_token_create
from alongside.wsgi import application

care = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(
    path_regex="^/api/v1/participants"
)


@pytest.fixture
def reachable(member, org, participant, encounter, goal, in_org):
    """A token for ``member`` and an id of each kind of record it may reach."""
    consent = services.consent_create(
        participant=participant,
        actor=member,
        data={
            "discloser": "Granite",
            "recipients": "API export to bob",
            "information": "The record",
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
            "expiry_event": "When I leave the program",
            "signature_name": "Jordan",
            "signed_on": encounter.date,
        },
    )
    referral = services.referral_create(participant=participant, actor=member, provider_name="A")
    coverage = services.coverage_create(
        participant=participant,
        actor=member,
        data={"payer_name": "Medicaid", "member_id": "X1", "starts_on": encounter.date},
    )
    ids = {
        "participant_id": participant.pk,
        "encounter_id": encounter.pk,
        "goal_id": goal.pk,
        "consent_id": consent.pk,
        "referral_id": referral.pk,
        "coverage_id": coverage.pk,
    }
    token = api_token_create(user=member, organization=org)
    return {"headers": {"Authorization": f"Bearer {token}"}, "ids": ids}


@pytest.mark.usefixtures("wsgi_keeps_test_connection")
@care.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_care_api_conforms_to_its_description(case, reachable):
    for name in list(case.path_parameters or {}):
        # An id of a kind not set up here (another app's record under a participant, such as
        # a recovery measure) keeps its generated value: the answer must be a clean 404.
        if name in reachable["ids"]:
            case.path_parameters[name] = str(reachable["ids"][name])
    # Documented refusals (409 for a signed note, 403 without a covering consent, 400 for a
    # date outside 1900-2199) can answer requests that fit the schema; and a "negative" case
    # whose only flaw was its id or token became valid when they were replaced above.
    case.call_and_validate(
        headers=reachable["headers"],
        excluded_checks=[positive_data_acceptance, negative_data_rejection],
    )
