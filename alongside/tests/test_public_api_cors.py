"""CORS for the public, read-only answers, and none for the token API (lib/public_answers.py)."""

import uuid

import pytest
from django.test import Client

PUBLIC = [
    ("/api/hsds/services", 200),
    (f"/api/hsds/services/{uuid.uuid4()}", 404),
    ("/api/hsds/services?per_page=0", 400),
    ("/api/hsds/openapi.json", 200),
    ("/api/v1/search?near=03301", 200),
    ("/api/v1/search?near=Atlantis", 400),  # refused by the search form
    ("/api/v1/search?per_page=many", 400),  # refused by the schema, before the view
    ("/api/openapi.json", 200),
]
ASKING = {
    "origin": "https://211.example.org",
    "access-control-request-method": "GET",
    "access-control-request-headers": "if-none-match",
}


@pytest.mark.parametrize(("path", "status"), PUBLIC)
def test_every_public_answer_allows_any_origin(db, path, status):
    answer = Client().get(path, headers={"origin": "https://211.example.org"})
    assert answer.status_code == status
    assert answer["Access-Control-Allow-Origin"] == "*"
    assert answer["Access-Control-Expose-Headers"] == "ETag"


@pytest.mark.parametrize(("path", "status"), PUBLIC)
def test_every_public_address_answers_a_preflight(db, path, status):
    answer = Client().options(path, headers=ASKING)
    assert answer.status_code == 204 and answer.content == b""
    assert answer["Access-Control-Allow-Origin"] == "*"
    assert answer["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in answer["Access-Control-Allow-Headers"]
    assert answer["Access-Control-Max-Age"] == "86400"


def test_an_unchanged_public_answer_still_allows_any_origin(db):
    first = Client().get("/api/hsds/services")
    again = Client().get("/api/hsds/services", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/openapi.json"])
def test_the_token_api_stays_closed_to_other_origins(db, path):
    answer = Client().get(path, headers={"origin": "https://211.example.org"})
    assert "Access-Control-Allow-Origin" not in answer
    preflight = Client().options(path, headers=ASKING)
    assert preflight.status_code != 204
    assert not any(h.startswith("Access-Control-") for h in preflight.headers)
