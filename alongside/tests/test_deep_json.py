"""JSON nested deeper than Python's parser goes is a 400, never a server error."""

from django.test import Client

from alongside.core.services import api_token_create

DEEP = "[" * 100_000 + "]" * 100_000


def test_token_api_refuses_deep_json_cleanly(member, org):
    secret = api_token_create(user=member, organization=org)
    response = Client(raise_request_exception=False).post(
        "/api/v1/participants",
        DEEP,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Cannot parse request body"}
