"""An encounter may touch more than one service category; attempts and collateral contacts are
counted apart from contacts with the person (issue 19)."""

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside.care import services
from alongside.care.fhir import participant_bundle
from alongside.care.models import Encounter
from alongside.core.services import api_token_create

from .conftest import TODAY

pytestmark = pytest.mark.usefixtures("in_org")

FORM = {
    "type": "in_person",
    "contact": "person",
    "date": "2026-03-03",
    "start_time": "13:00",
    "end_time": "13:45",
    "worked_on": "Filled in the housing form and went over the plan",
}
BODY = {
    "type": "phone",
    "date": "2026-03-02",
    "start_time": "10:00",
    "end_time": "10:30",
    "worked_on": "Practised the call to the landlord",
}


def _api(user, organization):
    token = api_token_create(user=user, organization=organization)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def send(method, path, body):
        return getattr(client, method)(
            f"/api/v1{path}", json.dumps(body), content_type="application/json"
        )

    return send


def _note(participant, member, contact="person", **data):
    return services.encounter_create(
        participant=participant,
        actor=member,
        data={
            "type": "phone",
            "contact": contact,
            "date": TODAY,
            "start_time": datetime.time(9),
            "end_time": datetime.time(9, 20),
            "service_categories": ["planning"],
            "worked_on": "Went over the week",
            **data,
        },
    )


def test_the_form_saves_two_categories(sign_in, member, participant):
    url = reverse("care:encounter_create", args=[participant.pk])
    response = sign_in(member).post(
        url, {**FORM, "service_categories": ["employment_housing", "planning"]}
    )
    assert response.status_code == 302
    encounter = Encounter.objects.get(participant=participant)
    assert encounter.service_categories == ["planning", "employment_housing"]
    page = sign_in(member).get(reverse("care:encounter", args=[participant.pk, encounter.pk]))
    assert page.context["form"]["service_categories"].value() == [
        "planning",
        "employment_housing",
    ]


def test_the_form_asks_for_at_least_one_category(sign_in, member, participant):
    url = reverse("care:encounter_create", args=[participant.pk])
    response = sign_in(member).post(url, FORM)
    assert response.status_code == 400
    assert response.context["form"].errors["service_categories"] == [
        "Choose at least one service category."
    ]
    assert not Encounter.objects.exists()


def test_the_note_shows_every_category(sign_in, member, participant):
    encounter = _note(participant, member, service_categories=["advocacy", "education"])
    services.encounter_sign(encounter=encounter, actor=member)
    page = sign_in(member).get(reverse("care:encounter", args=[participant.pk, encounter.pk]))
    assert "Advocacy, Education" in page.content.decode()


def test_the_api_takes_and_returns_a_list(member, org, participant):
    send = _api(member, org)
    path = f"/participants/{participant.pk}/encounters"
    response = send("post", path, {**BODY, "service_categories": ["resources", "advocacy"]})
    assert response.status_code == 201
    assert response.json()["service_categories"] == ["resources", "advocacy"]
    assert "service_category" not in response.json()


def test_the_api_still_takes_one_service_category(member, org, participant):
    send = _api(member, org)
    path = f"/participants/{participant.pk}/encounters"
    created = send("post", path, {**BODY, "service_category": "education"})
    assert created.status_code == 201
    assert created.json()["service_categories"] == ["education"]
    changed = send("patch", f"{path}/{created.json()['id']}", {"service_category": "planning"})
    assert changed.json()["service_categories"] == ["planning"]


def test_the_api_refuses_both_ways_at_once_and_none(member, org, participant):
    send = _api(member, org)
    path = f"/participants/{participant.pk}/encounters"
    both = send(
        "post", path, {**BODY, "service_category": "education", "service_categories": ["planning"]}
    )
    assert both.status_code == 400 and "service_category" in both.json()["errors"]
    none = send("post", path, BODY)
    assert none.status_code == 400 and "service_categories" in none.json()["errors"]
    empty = send("post", path, {**BODY, "service_categories": []})
    assert empty.status_code == 400
    assert not Encounter.objects.exists()


def test_fhir_names_every_category_and_a_lone_one_as_service_type(member, participant):
    two = _note(participant, member, service_categories=["planning", "resources"])
    one = _note(participant, member, start_time=datetime.time(11), end_time=datetime.time(11, 5))
    for encounter in (two, one):
        services.encounter_sign(encounter=encounter, actor=member)
    bundle = participant_bundle(participant)
    found = {
        e["resource"]["id"]: e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Encounter"
    }
    two_types = [t["coding"][0]["code"] for t in found[str(two.pk)]["type"]]
    assert two_types == ["phone", "planning", "resources"]
    assert "serviceType" not in found[str(two.pk)]
    assert found[str(one.pk)]["serviceType"]["coding"][0]["code"] == "planning"


# --- Attempted and collateral contacts ---------------------------------------------------


def test_the_participant_page_counts_attempts_and_collateral_apart(sign_in, member, participant):
    _note(participant, member)
    _note(participant, member, contact="no_answer")
    _note(participant, member, contact="no_show")
    _note(participant, member, contact="provider")
    page = sign_in(member).get(reverse("care:participant", args=[participant.pk]))
    counts = page.context["r"].contacts
    assert (counts.person, counts.attempted, counts.collateral) == (1, 2, 1)
    html = page.content.decode()
    assert "<dt>Attempted (no answer, a message, a no-show)</dt><dd>2</dd>" in html


def test_the_dashboard_counts_attempts_and_collateral_apart(sign_in, supervisor, participant):
    today = timezone.localdate()
    _note(participant, supervisor, date=today)
    _note(participant, supervisor, contact="left_message", date=today)
    _note(participant, supervisor, contact="family", date=today)
    _note(participant, supervisor, contact="provider", date=today)
    contacts = sign_in(supervisor).get(reverse("care:dashboard")).context["d"].contacts
    assert (contacts.person, contacts.attempted, contacts.collateral) == (1, 1, 2)
