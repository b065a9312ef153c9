"""Headers every answer carries, and the ones that keep private answers out of caches."""

import pytest
from django.test import Client

from alongside.core.services import api_token_create

NO_STORE = "private, no-store"


def test_staff_pages_are_not_stored(member, sign_in):
    response = sign_in(member).get("/staff/")
    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE


def test_sign_in_and_two_factor_pages_are_not_stored(member):
    client = Client()
    assert client.get("/accounts/login/")["Cache-Control"] == NO_STORE
    client.post("/accounts/login/", {"username": "bob", "password": "quiet river morning 42"})
    assert client.get("/accounts/two-factor/")["Cache-Control"] == NO_STORE


def test_token_api_answers_are_not_stored(member, org):
    secret = api_token_create(user=member, organization=org)
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE


def test_a_signed_in_persons_public_page_is_not_stored(member, sign_in):
    response = sign_in(member).get("/find/")
    assert response["Cache-Control"] == NO_STORE


@pytest.mark.django_db
def test_public_answers_keep_their_caching():
    page = Client().get("/find/")
    assert "public" in page["Cache-Control"]
    hsds = Client().get("/api/hsds/services")
    assert hsds.status_code == 200 and "public" in hsds["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/find/", "/accounts/login/", "/api/hsds/services"])
def test_every_answer_denies_unused_browser_features(path):
    policy = Client().get(path)["Permissions-Policy"]
    assert "camera=()" in policy and "microphone=()" in policy and "geolocation=()" in policy
