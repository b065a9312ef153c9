"""The FHIR R4 bundle validates with ``fhir.resources.R4B`` and carries what it should."""

import datetime

import pytest
from fhir.resources.R4B.bundle import Bundle

from alongside.care import services
from alongside.care.fhir import participant_bundle

from .conftest import TODAY

# Service calls and ORM reads in these tests act within the organization's scope.
pytestmark = pytest.mark.usefixtures("in_org")


def test_bundle_validates_and_references_resolve(participant, member, encounter, goal):
    services.encounter_sign(encounter=encounter, actor=member)
    services.plan_version_create(
        participant=participant, actor=member, summary="Music", agreed_on=TODAY, agreed_how="signed"
    )
    services.consent_create(
        participant=participant,
        actor=member,
        data={
            "discloser": "Granite",
            "recipients": "Harbor Housing",
            "information": "Dates",
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
            "purposes": ["benefits", "treatment"],
            "expires_on": TODAY + datetime.timedelta(days=30),
            "signature_name": "Jordan",
            "signed_on": TODAY,
        },
    )
    data = participant_bundle(participant)
    bundle = Bundle.model_validate(data)
    assert bundle.type == "collection"
    types = [entry.resource.get_resource_type() for entry in bundle.entry]
    assert types == ["Patient", "Consent", "CarePlan", "Goal", "Encounter"]
    urls = {entry.fullUrl for entry in bundle.entry}
    text = str(data)
    for entry in data["entry"][1:]:
        refs = [
            v["reference"]
            for v in _values(entry["resource"])
            if isinstance(v.get("reference"), str)
        ]
        assert refs and set(refs) <= urls
    assert "Looked at bus routes" not in text  # note text stays in Alongside


def _values(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _values(value)
    elif isinstance(node, list):
        for value in node:
            yield from _values(value)


def test_the_encounter_names_the_specialist_by_name(participant, member, encounter):
    member.first_name, member.last_name = "Sam", "Rivera"
    member.save(update_fields=["first_name", "last_name"])
    services.encounter_sign(encounter=encounter, actor=member)
    data = participant_bundle(participant)
    (resource,) = [
        e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Encounter"
    ]
    assert resource["participant"] == [{"individual": {"display": "Sam Rivera"}}]


def test_draft_encounters_are_not_exported(participant, encounter):
    data = participant_bundle(participant)
    assert "Encounter" not in {e["resource"]["resourceType"] for e in data["entry"]}


def test_patient_maps_names_contact_and_gender(org, member):
    from .conftest import make_participant

    person = make_participant(
        org,
        member,
        legal_name="Jordan Q. Sample",
        gender="nonbinary",
        email="jordan@example.org",
        emergency_contact_name="Sam (sample)",
        emergency_contact_phone="603-555-0199",
    )
    patient = participant_bundle(person)["entry"][0]["resource"]
    assert patient["gender"] == "other"
    assert [n["use"] for n in patient["name"]] == ["usual", "official"]
    assert patient["contact"][0]["telecom"][0]["value"] == "603-555-0199"


def test_achieved_goal_and_discharged_plan(participant, member, goal):
    services.goal_update(goal=goal, actor=member, data={"status": "achieved"})
    services.participant_discharge(
        participant=participant, actor=member, discharged_on=TODAY, reason="goals_met"
    )
    entries = {
        e["resource"]["resourceType"]: e["resource"]
        for e in participant_bundle(participant)["entry"]
    }
    assert entries["Goal"]["lifecycleStatus"] == "completed"
    assert entries["CarePlan"]["status"] == "completed"
