"""Who reaches which staff directory page: the operator's editors, another organization's
editors, members without the role, and no one when no operator is set."""

import pytest

from alongside.core.roles import Role
from alongside.directory.claims import claim_decide, claim_request
from alongside.directory.models import Service, Suggestion
from alongside.directory.tests import personas

# The staff personas (fixtures), shared by the claim and access tests.
operator = personas.operator
operator_editor = personas.operator_editor
editor = personas.editor
outside_editor = personas.outside_editor


@pytest.fixture
def listing(sample):
    return Service.objects.filter(status=Service.Status.ACTIVE).first()


@pytest.fixture
def suggestion(listing):
    return Suggestion.objects.create(service=listing, proposed={"name": "Other name"})


@pytest.fixture
def kept(listing, org, editor):
    """``org`` keeps ``listing``'s provider."""
    claim = claim_request(claimant=org, provider=listing.organization, actor=editor)
    return claim_decide(claim=claim, approve=True, actor=editor)


def operator_pages(listing, suggestion, claim):
    """(method, path) of every page only the operator's editors reach."""
    return [
        ("get", "/staff/directory/"),
        ("post", f"/staff/directory/{listing.id}/verify/"),
        ("get", f"/staff/directory/suggestions/{suggestion.id}/"),
        ("post", f"/staff/directory/suggestions/{suggestion.id}/"),
        ("post", f"/staff/directory/claims/{claim.id}/decision/"),
    ]


def test_another_organizations_editor_gets_404_on_every_operator_page(
    listing, suggestion, org, editor, sign_in
):
    claim = claim_request(claimant=org, provider=listing.organization, actor=editor)
    client = sign_in(editor)
    for method, path in operator_pages(listing, suggestion, claim):
        response = getattr(client, method)(path, {"method": "phone", "decision": "approve"})
        assert response.status_code == 404, path
    listing.refresh_from_db()
    suggestion.refresh_from_db()
    claim.refresh_from_db()
    assert suggestion.status == Suggestion.Status.PENDING
    assert claim.status == claim.Status.PENDING


def test_the_operators_editor_reaches_every_operator_page(
    listing, suggestion, org, editor, operator_editor, sign_in
):
    claim = claim_request(claimant=org, provider=listing.organization, actor=editor)
    client = sign_in(operator_editor)
    for method, path in operator_pages(listing, suggestion, claim):
        assert getattr(client, method)(path).status_code in {200, 302}, path


def test_without_an_operator_no_one_verifies(listing, org, make_user, sign_in, settings):
    settings.ALONGSIDE_OPERATOR_ORG = ""
    client = sign_in(make_user("erin", org, [Role.DIRECTORY_EDITOR]))
    assert client.get("/staff/directory/").status_code == 404
    assert client.get(f"/staff/directory/{listing.id}/edit/").status_code == 404


def test_outsider_gets_404_on_every_page_that_takes_an_id(listing, kept, outside_editor, sign_in):
    client = sign_in(outside_editor)
    assert client.get(f"/staff/directory/{listing.id}/edit/").status_code == 404
    assert client.get(f"/staff/directory/{listing.id}/history/").status_code == 404
    assert client.post(f"/staff/directory/claims/{kept.id}/end/").status_code == 404
    kept.refresh_from_db()
    assert kept.status == kept.Status.APPROVED


def test_the_claimant_reaches_its_listing_pages(listing, kept, editor, sign_in):
    client = sign_in(editor)
    assert client.get("/staff/directory/claims/").status_code == 200
    assert client.get(f"/staff/directory/{listing.id}/edit/").status_code == 200
    assert client.get(f"/staff/directory/{listing.id}/history/").status_code == 200


def test_members_without_the_role_are_refused(listing, member, operator, sign_in):
    client = sign_in(member)
    for path in ("/staff/directory/claims/", f"/staff/directory/{listing.id}/edit/"):
        assert client.get(path).status_code == 403, path


def test_signed_out_visitors_are_sent_to_sign_in(listing, operator, client):
    response = client.get(f"/staff/directory/{listing.id}/edit/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_staff_menu_takes_each_editor_to_their_page(editor, operator_editor, sign_in):
    claims_link = 'href="/staff/directory/claims/">Directory<'
    queue_link = 'href="/staff/directory/">Directory<'
    assert claims_link in sign_in(editor).get("/staff/").content.decode()
    assert queue_link in sign_in(operator_editor).get("/staff/").content.decode()


def test_the_demo_directory_account_runs_the_directory(db, sign_in, settings):
    from io import StringIO

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from alongside.core.management.commands.demo_seed import OPERATOR

    settings.ALONGSIDE_OPERATOR_ORG = OPERATOR
    call_command("demo_seed", stdout=StringIO())
    users = get_user_model().objects
    assert sign_in(users.get(username="directory")).get("/staff/directory/").status_code == 200
    assert sign_in(users.get(username="editor")).get("/staff/directory/").status_code == 404
