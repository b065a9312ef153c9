"""Recovery measures in the participant's FHIR bundle, only through the consent gate."""

import datetime

import pytest
from fhir.resources.R4B.bundle import Bundle

from alongside.care import services as care_services
from alongside.care.fhir import participant_bundle, participant_fhir_export
from alongside.outcomes.fhir import questionnaire_resource

from .conftest import all_fives, record

pytestmark = pytest.mark.django_db

RECIPIENT = "Harbor Clinic (sample)"


def _consent(person, member, categories):
    return care_services.consent_create(
        participant=person,
        actor=member,
        data={
            "discloser": "Granite Peer Support (sample)",
            "recipients": RECIPIENT,
            "information": "Recovery measures",
            "information_categories": categories,
            "purposes": ["treatment"],
            "expires_on": datetime.date.today() + datetime.timedelta(days=300),
            "signature_name": "Riley",
            "signed_on": datetime.date.today() - datetime.timedelta(days=1),
        },
    )


def _types(bundle):
    return [entry["resource"]["resourceType"] for entry in bundle["entry"]]


def _resources(bundle, kind):
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_questionnaire_and_responses_validate_in_the_bundle(barc, person, member, in_org):
    wrong = record(person, barc, member, answers={**all_fives(), "2": 1})
    record(person, barc, member, supersedes=wrong)
    skipped = all_fives()
    del skipped["6"]
    record(person, barc, member, answers=skipped)
    record(person, barc, member, declined=True)
    bundle = participant_bundle(person)
    Bundle.model_validate(bundle)  # care validates too; this says so here
    assert _types(bundle).count("Questionnaire") == 1
    responses = _resources(bundle, "QuestionnaireResponse")
    assert [r["status"] for r in responses] == [
        "entered-in-error", "completed", "completed", "stopped",
    ]  # fmt: skip
    assert responses[1]["extension"][0]["valueInteger"] == 50
    assert len(responses[2]["item"]) == 9 and "extension" not in responses[2]
    assert responses[0]["subject"]["reference"] == f"urn:uuid:{person.pk}"
    questionnaire = _resources(bundle, "Questionnaire")[0]
    assert len(questionnaire["item"]) == 10 and "Vilsaint" in questionnaire["description"]


def test_the_questionnaire_alone_validates(barc):
    from fhir.resources.R4B.questionnaire import Questionnaire

    Questionnaire.model_validate(questionnaire_resource(barc))


def test_measures_leave_only_under_a_consent_that_covers_them(barc, person, member, in_org):
    record(person, barc, member)
    _consent(person, member, ["demographics"])
    bundle = participant_fhir_export(
        participant=person, actor=member, purpose="treatment", recipient=RECIPIENT
    )
    assert "QuestionnaireResponse" not in _types(bundle)
    _consent(person, member, ["recovery_measures"])
    bundle = participant_fhir_export(
        participant=person, actor=member, purpose="treatment", recipient=RECIPIENT
    )
    assert "QuestionnaireResponse" in _types(bundle) and "Questionnaire" in _types(bundle)
