"""The web forms take no more text than the API: a note's section holds 20,000 characters."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from alongside.care.models import Encounter
from alongside.core.forms import LONGEST_TEXT
from alongside.core.services import api_token_create

NOTE = {
    "type": "phone",
    "contact": "person",
    "date": "2026-03-03",
    "start_time": "13:00",
    "end_time": "13:45",
    "service_categories": ["planning"],
}


def _web(client, participant, worked_on):
    url = reverse("care:encounter_create", args=[participant.pk])
    return client.post(url, {**NOTE, "worked_on": worked_on})


def _api(member, org, participant, worked_on):
    secret = api_token_create(user=member, organization=org)
    return Client().post(
        f"/api/v1/participants/{participant.pk}/encounters",
        json.dumps({**NOTE, "worked_on": worked_on}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )


def test_a_note_of_megabytes_is_refused_with_a_reason(sign_in, member, participant, in_org):
    response = _web(sign_in(member), participant, "word " * 480_000)  # 2.4 MB
    assert response.status_code == 400
    assert "at most 20000 characters" in response.content.decode()
    assert not Encounter.objects.filter(participant=participant).exists()


@pytest.mark.parametrize(("length", "accepted"), [(LONGEST_TEXT, True), (LONGEST_TEXT + 1, False)])
def test_web_and_api_agree_on_the_longest_note(sign_in, member, org, participant, length, accepted):
    web = _web(sign_in(member), participant, "x" * length)
    api = _api(member, org, participant, "x" * length)
    assert (web.status_code == 302, api.status_code == 201) == (accepted, accepted)


def test_the_form_tells_the_browser_the_limit(sign_in, member, participant):
    page = sign_in(member).get(reverse("care:encounter_create", args=[participant.pk]))
    assert f'maxlength="{LONGEST_TEXT}"' in page.content.decode()
