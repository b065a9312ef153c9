import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from alongside.core.models import ApiToken, AuditEvent, Organization


def _run(*args):
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


@pytest.mark.django_db
def test_org_and_user_create_are_audited():
    _run("org_create", "--name", "Test Org", "--slug", "test-org", "--state", "nh", "--part2")
    org = Organization.objects.get(slug="test-org")
    assert org.state == "NH" and org.is_part2_program
    _run(
        "user_create",
        "--username",
        "pat",
        "--email",
        "pat@example.org",
        "--password",
        "long enough pass 7",
        "--org",
        "test-org",
        "--roles",
        "peer_specialist",
    )
    assert org.memberships.get().roles == ["peer_specialist"]
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions == ["create", "create", "permission_change"]


@pytest.mark.django_db
def test_bad_input_says_what_is_wrong_and_changes_nothing():
    with pytest.raises(CommandError, match="state"):
        _run("org_create", "--name", "X", "--slug", "x", "--state", "N1")
    with pytest.raises(CommandError, match="Unknown role"):
        _run("org_create", "--name", "Y", "--slug", "y", "--state", "NH")
        _run(
            "user_create",
            "--username",
            "q",
            "--email",
            "q@example.org",
            "--password",
            "long enough pass 7",
            "--org",
            "y",
            "--roles",
            "wizard",
        )
    assert not Organization.objects.filter(slug="x").exists()
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="q").exists()


def test_token_create_authenticates_and_revoke_stops_it(member, org):
    secret = _run("token_create", "--username", "bob", "--org", org.slug)
    assert ApiToken.objects.get().digest not in secret  # stored hashed
    client = Client()
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response.json() == {
        "username": "bob",
        "organization": "granite",
        "organization_name": org.name,
        "roles": ["peer_specialist"],
    }
    _run("token_revoke", secret)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_token_for_an_organization_the_user_is_not_in_is_refused(member, other_org):
    with pytest.raises(CommandError, match="not a member"):
        _run("token_create", "--username", "bob", "--org", other_org.slug)


def test_api_without_token_is_401(db):
    assert Client().get("/api/v1/me").status_code == 401
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION="Bearer als_nope_x").status_code == 401


def test_openapi_document_is_served(db):
    document = Client().get("/api/v1/openapi.json").json()
    assert document["info"]["title"] == "Alongside API"
    assert "/api/v1/me" in document["paths"]
