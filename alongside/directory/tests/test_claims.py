"""Claims: an organization asks to keep its own listings, the operator decides, and the
claimant then edits them itself."""

import pytest
from django.test import Client

from alongside.directory.claims import claim_decide, claim_request
from alongside.directory.models import (
    ListingClaim,
    Organization,
    Service,
    ServiceChange,
    Suggestion,
)
from alongside.directory.tests import personas

WARM_LINE = "Granite State Peer Warm Line"


# The staff personas (fixtures), shared by the claim and access tests.
operator = personas.operator
operator_editor = personas.operator_editor
editor = personas.editor
outside_editor = personas.outside_editor


@pytest.fixture
def listing(sample):
    return Service.objects.get(name=WARM_LINE)


def kept_by(organization, provider, actor):
    """An approved claim of ``organization`` on ``provider``."""
    claim = claim_request(claimant=organization, provider=provider, actor=actor)
    return claim_decide(claim=claim, approve=True, actor=actor)


def edit(client, listing, **changes):
    from alongside.directory.services import service_values

    data = service_values(listing) | changes
    return client.post(f"/staff/directory/{listing.id}/edit/", data)


def test_claim_approve_and_edit_by_its_own_organization(
    listing, org, editor, operator_editor, sign_in
):
    client = sign_in(editor)
    client.post("/staff/directory/claims/new/", {"provider": listing.organization_id})
    claim = ListingClaim.objects.get()
    assert claim.status == ListingClaim.Status.PENDING and claim.requested_by == editor
    sign_in(operator_editor).post(
        f"/staff/directory/claims/{claim.id}/decision/", {"decision": "approve"}
    )
    claim.refresh_from_db()
    assert claim.status == ListingClaim.Status.APPROVED and claim.decided_by == operator_editor

    edit(client, listing, phone="603-555-0142", note="New number from our team.")

    listing.refresh_from_db()
    assert listing.phones.get().number == "603-555-0142"
    change = ServiceChange.objects.get(service=listing, source=ServiceChange.Source.STAFF)
    assert change.changed_by == editor and change.changed_by_organization == org
    assert change.fields["phone"][1] == "603-555-0142"
    history = client.get(f"/staff/directory/{listing.id}/history/").content.decode()
    assert "erin" in history and org.name in history and "603-555-0142" in history


def test_an_edit_by_the_claimant_verifies_the_listing_as_a_provider_update(
    listing, org, editor, sign_in
):
    kept_by(org, listing.organization, editor)
    edit(sign_in(editor), listing, name="Granite State Peer Warm Line (evenings)")
    listing.refresh_from_db()
    assert listing.verification_method == Service.VerificationMethod.PROVIDER_UPDATE
    assert listing.verified_by == "erin"


def test_pending_claim_gives_no_edit(listing, org, editor, sign_in):
    claim_request(claimant=org, provider=listing.organization, actor=editor)
    assert sign_in(editor).get(f"/staff/directory/{listing.id}/edit/").status_code == 404


def test_editing_another_organizations_listing_is_404(
    listing, other_org, editor, outside_editor, sign_in
):
    kept_by(other_org, listing.organization, outside_editor)
    client = sign_in(editor)
    assert client.get(f"/staff/directory/{listing.id}/edit/").status_code == 404
    assert edit(client, listing, name="Taken over").status_code == 404
    listing.refresh_from_db()
    assert listing.name == WARM_LINE


def test_editing_an_unclaimed_listing_is_404(listing, editor, sign_in):
    assert edit(sign_in(editor), listing, name="Taken over").status_code == 404


def test_a_rejected_claim_gives_no_edit(listing, org, editor, operator_editor, sign_in):
    claim = claim_request(claimant=org, provider=listing.organization, actor=editor)
    sign_in(operator_editor).post(
        f"/staff/directory/claims/{claim.id}/decision/", {"decision": "reject"}
    )
    claim.refresh_from_db()
    assert claim.status == ListingClaim.Status.REJECTED
    assert sign_in(editor).get(f"/staff/directory/{listing.id}/edit/").status_code == 404


def test_giving_up_a_claim_ends_the_edit(listing, org, editor, sign_in):
    claim = kept_by(org, listing.organization, editor)
    client = sign_in(editor)
    client.post(f"/staff/directory/claims/{claim.id}/end/")
    claim.refresh_from_db()
    assert claim.status == ListingClaim.Status.WITHDRAWN
    assert client.get(f"/staff/directory/{listing.id}/edit/").status_code == 404


def test_one_organization_keeps_a_provider_at_a_time(
    listing, org, other_org, editor, outside_editor, operator_editor, sign_in
):
    kept_by(other_org, listing.organization, outside_editor)
    claim = claim_request(claimant=org, provider=listing.organization, actor=editor)
    page = sign_in(operator_editor).post(
        f"/staff/directory/claims/{claim.id}/decision/", {"decision": "approve"}, follow=True
    )
    assert "already keeps these listings" in page.content.decode()
    claim.refresh_from_db()
    assert claim.status == ListingClaim.Status.PENDING


def test_asking_twice_is_refused(listing, org, editor, sign_in):
    client = sign_in(editor)
    for _ in range(2):
        page = client.post(
            "/staff/directory/claims/new/", {"provider": listing.organization_id}, follow=True
        )
    assert "already asked" in page.content.decode()
    assert ListingClaim.objects.count() == 1


def test_the_operator_does_not_claim(listing, operator_editor, sign_in):
    sign_in(operator_editor).post(
        "/staff/directory/claims/new/", {"provider": listing.organization_id}
    )
    assert not ListingClaim.objects.exists()


def test_the_operator_edits_any_listing_without_verifying_it(
    listing, operator, operator_editor, sign_in
):
    verified_on = listing.verified_on
    edit(sign_in(operator_editor), listing, fees_description="Free, always.")
    listing.refresh_from_db()
    assert listing.fees_description == "Free, always." and listing.verified_on == verified_on
    change = ServiceChange.objects.get(service=listing)
    assert change.changed_by_organization == operator and "verified_on" not in change.fields


def test_search_reflects_an_edit_after_commit(
    listing, org, editor, sign_in, django_capture_on_commit_callbacks
):
    kept_by(org, listing.organization, editor)
    client = sign_in(editor)
    with django_capture_on_commit_callbacks() as callbacks:
        edit(client, listing, name="Moonlight Peer Warm Line")

    def found():
        answer = Client().get("/api/v1/search", {"q": "moonlight"}).json()
        return [r["name"] for r in answer["results"]]

    assert found() == []  # the search rows wait for the commit
    for callback in callbacks:
        callback()
    assert found() == ["Moonlight Peer Warm Line"]


def test_public_suggestions_on_a_claimed_listing_still_reach_the_operator(
    listing, org, editor, operator_editor, sign_in, django_capture_on_commit_callbacks
):
    kept_by(org, listing.organization, editor)
    Client().post(f"/find/{listing.id}/suggest/", {"email": "warm@example.org"})
    suggestion = Suggestion.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(operator_editor).post(
            f"/staff/directory/suggestions/{suggestion.id}/", {"accept": ["email"]}
        )
    listing.refresh_from_db()
    assert listing.email == "warm@example.org"


def test_claims_page_lists_only_the_organizations_own_claims(
    listing, org, other_org, editor, outside_editor, sign_in
):
    kept_by(other_org, listing.organization, outside_editor)
    page = sign_in(editor).get("/staff/directory/claims/").content.decode()
    assert listing.organization.name not in page


def test_finding_a_provider_to_claim(listing, editor, sign_in):
    page = sign_in(editor).get("/staff/directory/claims/", {"q": listing.organization.name})
    assert f'value="{listing.organization_id}"' in page.content.decode()


@pytest.mark.parametrize("who", ["operator_editor", "editor"])
def test_claims_page_query_count(
    who,
    request,
    sample,
    org,
    other_org,
    editor,
    outside_editor,
    sign_in,
    django_assert_max_num_queries,
):
    providers = list(Organization.objects.order_by("name")[:7])
    kept_by(org, providers[0], editor)
    kept_by(other_org, providers[1], outside_editor)
    for provider in providers[2:]:
        claim_request(claimant=org, provider=provider, actor=editor)
    client = sign_in(request.getfixturevalue(who))
    with django_assert_max_num_queries(11):  # one of them the staff bar's unread count
        assert client.get("/staff/directory/claims/", {"q": "peer"}).status_code == 200
