# ruff: noqa: F811  (the api fixtures are imported from test_api and used as arguments)
"""A consent limits what is released, not only to whom and why (42 CFR § 2.31: the amount and
kind of information): every disclosure and export carries only the categories it covers and
says what it withheld."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from alongside.care import services
from alongside.care.consent import Missing, disclose
from alongside.care.fhir import (
    RELEASED_EXTENSION,
    WITHHELD_EXTENSION,
    WITHHELD_NOTE_EXTENSION,
    participant_fhir_export,
)
from alongside.care.models import CATEGORIES, Consent, Disclosure
from alongside.core.models import AuditEvent

from .conftest import TODAY, make_participant
from .test_api import api, api_as  # noqa: F401  (fixtures)

pytestmark = pytest.mark.usefixtures("in_org")

RECIPIENT = "API export to bob"
LEGAL = "Jordan Quinn Sample"
GOAL = "I want to get back to playing guitar"
PLAN = "Music twice a week, and the bus to work"
NOTE = "Looked at bus routes to the new job"
PLACE = "Riverside library (sample)"


@pytest.fixture
def person(org, member):
    """A full record: names, contact details, coverage, a plan and goal, a signed encounter."""
    p = make_participant(
        org,
        member,
        specialists=[member],
        legal_name=LEGAL,
        phone="603-555-0142",
        email="jordan@example.org",
        address="1 Sample Street, Concord NH",
        date_of_birth=datetime.date(1990, 4, 1),
    )
    services.coverage_create(
        participant=p,
        actor=member,
        data={"payer_name": "Medicaid", "member_id": "SAMPLE000042", "starts_on": TODAY},
    )
    goal = services.goal_create(
        participant=p, actor=member, data={"text": GOAL, "service_category": "planning"}
    )
    services.plan_version_create(
        participant=p, actor=member, summary=PLAN, agreed_on=TODAY, agreed_how="signed"
    )
    assert goal.pk
    encounter = services.encounter_create(
        participant=p,
        actor=member,
        data={
            "type": "phone",
            "date": TODAY,
            "start_time": datetime.time(10, 0),
            "end_time": datetime.time(10, 40),
            "service_categories": ["planning"],
            "setting": PLACE,
            "worked_on": NOTE,
        },
    )
    services.encounter_sign(encounter=encounter, actor=member)
    return p


def consent_for(participant, actor, categories, **changes):
    data = {
        "discloser": "Granite Peer Support (sample)",
        "recipients": RECIPIENT,
        "information": "Dates of contact only",
        "information_categories": categories,
        "purposes": ["benefits"],
        "expires_on": TODAY + datetime.timedelta(days=300),
        "signature_name": "Jordan",
        "signed_on": TODAY - datetime.timedelta(days=1),
        **changes,
    }
    return services.consent_create(participant=participant, actor=actor, data=data)


def legacy_consent(participant, actor):
    """A consent recorded before the categories existed, as migration 0010 leaves it."""
    consent = consent_for(participant, actor, ["encounter_dates"])
    Consent.objects.filter(pk=consent.pk).update(information_categories=["as_described"])
    consent.refresh_from_db()
    return consent


def fhir(api, participant, **params):
    return api.get(f"/participants/{participant.pk}/fhir", purpose="benefits", **params)


def meta_codes(bundle, url):
    return [
        e["valueCoding"]["code"]
        for e in bundle.get("meta", {}).get("extension", [])
        if e["url"] == url
    ]


def resources(bundle, kind):
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_dates_of_contact_only_exports_dates_and_says_what_was_withheld(api, member, person):
    consent_for(person, member, ["encounter_dates"])
    response = fhir(api, person)
    assert response.status_code == 200
    bundle = response.json()
    text = json.dumps(bundle)
    for secret in (LEGAL, "Jordan (sample)", "555-0142", "example.org", GOAL, PLAN, NOTE, PLACE):
        assert secret not in text, secret
    assert "SAMPLE000042" not in text and "1990" not in text
    assert {e["resource"]["resourceType"] for e in bundle["entry"]} == {
        "Patient",
        "Consent",
        "Encounter",
    }
    (encounter,) = resources(bundle, "Encounter")
    assert encounter["period"]["start"].startswith(TODAY.isoformat())
    assert encounter["type"][0]["coding"][0]["code"] == "phone"
    assert "participant" not in encounter and "location" not in encounter
    assert meta_codes(bundle, RELEASED_EXTENSION) == ["encounter_dates"]
    withheld = meta_codes(bundle, WITHHELD_EXTENSION)
    assert {"demographics", "contact_details", "recovery_plan", "encounter_notes"} <= set(withheld)
    (note,) = meta_codes_text(bundle)
    assert note.startswith("Withheld under this consent: demographics, contact details")
    assert "recovery plan and goals" in note
    disclosure = Disclosure.objects.get(participant=person)
    assert disclosure.released_categories == ["encounter_dates"]
    assert disclosure.withheld_categories == withheld
    assert AuditEvent.objects.filter(action="disclose", object_id=str(disclosure.pk)).exists()


def meta_codes_text(bundle):
    return [
        e["valueString"] for e in bundle["meta"]["extension"] if e["url"] == WITHHELD_NOTE_EXTENSION
    ]


# What each category alone puts in the bundle, and a sign of it.
ALONE = {
    "demographics": ("Patient", LEGAL),
    "contact_details": ("Patient", "555-0142"),
    "coverage": ("Coverage", "SAMPLE000042"),
    "recovery_plan": ("Goal", GOAL),
    "encounter_dates": ("Encounter", TODAY.isoformat()),
    "encounter_notes": ("Patient", None),
}


@pytest.mark.parametrize("category", sorted(ALONE))
def test_each_category_alone_includes_its_data_and_nothing_else(member, person, category):
    consent_for(person, member, [category])
    bundle = participant_fhir_export(
        participant=person, actor=member, purpose="benefits", recipient=RECIPIENT
    )
    kind, sign = ALONE[category]
    if sign:
        assert sign in json.dumps(resources(bundle, kind))
    others = {sign for c, (_kind, sign) in ALONE.items() if c != category and sign}
    text = json.dumps(bundle["entry"])
    for other in others - {TODAY.isoformat()}:
        assert other not in text, other
    assert meta_codes(bundle, RELEASED_EXTENSION) == [category]
    assert category not in meta_codes(bundle, WITHHELD_EXTENSION)


def test_the_plan_category_carries_plan_and_goals(member, person):
    consent_for(person, member, ["recovery_plan"])
    bundle = participant_fhir_export(
        participant=person, actor=member, purpose="benefits", recipient=RECIPIENT
    )
    assert resources(bundle, "CarePlan")[0]["description"] == PLAN
    assert not resources(bundle, "Encounter")


@pytest.mark.parametrize("category", ["recovery_measures", "referrals", "encounter_notes"])
def test_a_disclosure_by_hand_records_each_category(member, person, category):
    consent_for(person, member, [category])
    disclosure, _notice = disclose(
        participant=person,
        recipient=RECIPIENT,
        purpose="benefits",
        description="Sent by post",
        actor=member,
    )
    assert disclosure.released_categories == [category]
    assert category not in disclosure.withheld_categories
    assert len(disclosure.withheld_categories) == len(CATEGORIES) - 1


def test_every_category_releases_everything_without_a_label(member, person):
    consent_for(person, member, list(CATEGORIES))
    bundle = participant_fhir_export(
        participant=person, actor=member, purpose="benefits", recipient=RECIPIENT
    )
    text = json.dumps(bundle)
    assert LEGAL in text and GOAL in text and PLACE in text
    assert NOTE not in text  # the note text never leaves in a bundle
    assert "meta" not in bundle
    assert Disclosure.objects.get(participant=person).withheld_categories == []


def test_asking_for_more_than_the_consent_covers_is_refused(api, member, person):
    consent_for(person, member, ["encounter_dates"])
    response = fhir(api, person, categories=["encounter_dates", "contact_details"])
    assert response.status_code == 403
    assert response.json()["missing"] == [Missing.CATEGORY]
    assert not Disclosure.objects.exists()


def test_asking_for_less_narrows_the_export(api, member, person):
    consent_for(person, member, ["encounter_dates", "demographics"])
    response = fhir(api, person, categories=["encounter_dates"])
    assert response.status_code == 200
    assert LEGAL not in response.content.decode()
    assert "demographics" in meta_codes(response.json(), WITHHELD_EXTENSION)


def test_a_legacy_consent_needs_the_reviewers_choice_in_the_api(api, member, person):
    legacy_consent(person, member)
    refused = fhir(api, person)
    assert refused.status_code == 403
    assert refused.json()["missing"] == [Missing.CHOOSE_CATEGORIES]
    assert "choose" in refused.json()["detail"]
    assert not Disclosure.objects.exists()

    chosen = fhir(api, person, categories=["encounter_dates"])
    assert chosen.status_code == 200
    assert LEGAL not in chosen.content.decode()
    disclosure = Disclosure.objects.get(participant=person)
    assert disclosure.released_categories == ["encounter_dates"]
    assert "demographics" in disclosure.withheld_categories


def test_a_legacy_consent_needs_the_reviewers_choice_on_the_page(sign_in, member, person):
    legacy_consent(person, member)
    client = sign_in(member)
    url = reverse("care:disclosure_create", args=[person.pk])
    form = {"recipient": RECIPIENT, "purpose": "benefits", "description": "Dates, by post"}
    refused = client.post(url, form)
    assert refused.status_code == 400
    assert b"choose which kinds of information to release" in refused.content
    assert not Disclosure.objects.exists()

    done = client.post(url, {**form, "categories": ["encounter_dates"]})
    assert done.status_code == 200
    page = done.content.decode()
    assert "Withheld under this consent: demographics, contact details" in page
    assert Disclosure.objects.get(participant=person).released_categories == ["encounter_dates"]


def test_the_disclosure_page_refuses_a_category_the_consent_does_not_cover(sign_in, member, person):
    consent_for(person, member, ["encounter_dates"])
    response = sign_in(member).post(
        reverse("care:disclosure_create", args=[person.pk]),
        {
            "recipient": RECIPIENT,
            "purpose": "benefits",
            "description": "Phone number",
            "categories": ["contact_details"],
        },
    )
    assert response.status_code == 400
    assert b"does not cover all of the information chosen" in response.content
    assert not Disclosure.objects.exists()


def test_the_record_shows_what_each_consent_covers(sign_in, member, person):
    consent_for(person, member, ["encounter_dates", "recovery_plan"])
    legacy_consent(person, member)
    page = sign_in(member).get(reverse("care:participant", args=[person.pk])).content.decode()
    assert "What may be shared: Recovery plan and goals, Encounter dates and types" in page
    assert "as described in words (an older consent" in page


CONSENT = {
    "discloser": "Granite",
    "recipients": ["Harbor Housing"],
    "information": "Dates of contact",
    "purposes": ["benefits"],
    "expires_on": "2026-12-31",
    "signature_name": "Jordan",
    "signed_on": "2026-03-01",
}


@pytest.mark.parametrize("categories", [None, [], ["as_described"], ["phone_numbers"]])
def test_the_api_refuses_a_consent_without_valid_categories(api, participant, categories):
    body = dict(CONSENT)
    if categories is not None:
        body["information_categories"] = categories
    response = api.post(f"/participants/{participant.pk}/consents", body)
    assert response.status_code == 400
    assert "information_categories" in json.dumps(response.json())
    assert not Consent.objects.exists()


def test_the_api_records_and_lists_the_categories(api, participant):
    body = {**CONSENT, "information_categories": ["encounter_dates", "coverage"]}
    response = api.post(f"/participants/{participant.pk}/consents", body)
    assert response.status_code == 201
    assert response.json()["information_categories"] == ["encounter_dates", "coverage"]
    listed = api.get(f"/participants/{participant.pk}/consents").json()
    assert listed[0]["information_categories"] == ["encounter_dates", "coverage"]


FORM = {
    "discloser": "Granite",
    "recipients": "Harbor Housing",
    "information": "Dates of contact",
    "purposes": ["benefits"],
    "expires_on": "2026-12-31",
    "signature_name": "Jordan",
    "signed_on": "2026-03-01",
}


@pytest.mark.parametrize(
    ("categories", "error"),
    [
        ([], "Choose at least one kind of information."),
        (["as_described"], "Choose kinds of information from the list."),
    ],
)
def test_the_consent_page_asks_for_categories(sign_in, member, participant, categories, error):
    client = sign_in(member)
    url = reverse("care:consent_create", args=[participant.pk])
    response = client.post(url, {**FORM, "information_categories": categories})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Consent.objects.exists()


def test_the_consent_page_records_the_categories(sign_in, member, participant):
    client = sign_in(member)
    url = reverse("care:consent_create", args=[participant.pk])
    form = client.get(url).content.decode()
    assert 'value="encounter_dates"' in form and 'value="as_described"' not in form
    response = client.post(url, {**FORM, "information_categories": ["encounter_dates"]})
    assert response.status_code == 302
    assert Consent.objects.get().information_categories == ["encounter_dates"]


def test_the_service_keeps_as_described_for_older_consents(member, participant):
    with pytest.raises(ValidationError) as raised:
        consent_for(participant, member, ["as_described"])
    assert "information_categories" in raised.value.message_dict
    with pytest.raises(ValidationError):
        consent_for(participant, member, [])


def test_outsider_gets_404_on_the_export_and_the_disclosure_page(
    api_as, sign_in, outsider, other_org, member, person
):
    consent_for(person, member, ["encounter_dates"])
    response = api_as(outsider, other_org).get(
        f"/participants/{person.pk}/fhir", purpose="benefits", categories=["encounter_dates"]
    )
    assert response.status_code == 404
    page = sign_in(outsider).post(
        reverse("care:disclosure_create", args=[person.pk]),
        {
            "recipient": RECIPIENT,
            "purpose": "benefits",
            "description": "Dates",
            "categories": ["encounter_dates"],
        },
    )
    assert page.status_code == 404
    assert not Disclosure.objects.exists()
