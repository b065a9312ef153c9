"""The staff directory journey of a claim, in headless Chromium, with axe-core scans."""

import pytest

from alongside.conftest import PASSWORD, axe_serious_violations
from alongside.directory.models import Service
from alongside.directory.sample import load_sample_directory
from alongside.directory.tests import personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The staff personas (fixtures), shared by the claim and access tests.
operator = personas.operator
operator_editor = personas.operator_editor
editor = personas.editor


@pytest.fixture
def signed_in(browser, live_server, settings):
    """A page signed in as a username, each in a browser context of its own."""
    settings.ALONGSIDE_REQUIRE_2FA = False
    contexts = []

    def sign_in(username):
        context = browser.new_context()
        contexts.append(context)
        page = context.new_page()
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        # Directory editors land on the directory's staff pages (core/landing.py).
        page.wait_for_url(lambda url: "/staff/directory/" in url)
        return page

    yield sign_in
    for context in contexts:
        context.close()


def test_claim_approve_and_edit_pages_pass_axe(live_server, signed_in, editor, operator_editor):
    load_sample_directory()
    provider = Service.objects.get(name="Granite State Peer Warm Line").organization

    claimant = signed_in("erin")
    claimant.get_by_role("link", name="Directory", exact=True).click()
    claimant.wait_for_url("**/staff/directory/claims/")
    claimant.get_by_label("Provider's name").fill(provider.name)
    claimant.get_by_role("button", name="Find").click()
    claimant.wait_for_url("**/staff/directory/claims/?q=*")
    claimant.get_by_role("button", name="Ask to keep these listings").first.click()
    claimant.wait_for_url("**/staff/directory/claims/")
    assert axe_serious_violations(claimant) == []

    operator = signed_in("olive")
    operator.goto(live_server.url + "/staff/directory/claims/")
    assert axe_serious_violations(operator) == []
    with operator.expect_navigation():
        operator.get_by_role("button", name="Approve").first.click()
    operator.goto(live_server.url + "/staff/directory/")
    assert axe_serious_violations(operator) == []

    claimant.reload()
    claimant.get_by_role("link", name="Edit").first.click()
    claimant.wait_for_url("**/edit/")
    assert axe_serious_violations(claimant) == []
    claimant.get_by_label("Phone number").fill("603-555-0143")
    claimant.get_by_role("button", name="Save the listing").click()
    claimant.wait_for_url("**/history/")
    assert "603-555-0143" in claimant.content() and "erin" in claimant.content()
    assert axe_serious_violations(claimant) == []
