"""The two-factor set-up pages in headless Chromium, scanned with axe-core."""

import pytest

from alongside.conftest import PASSWORD, axe_serious_violations
from alongside.core.services_account import two_factor_enrolment_issue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("bob")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/two-factor/")


def test_without_a_link_the_page_says_whom_to_ask(live_server, page, member):
    _sign_in(page, live_server)
    assert page.locator("h1").inner_text() == "You need a set-up link"
    assert axe_serious_violations(page) == []


def test_with_a_link_the_app_is_set_up(live_server, page, member):
    path = two_factor_enrolment_issue(user=member, actor=None)
    page.goto(live_server.url + path)  # signs in first, then comes back
    page.wait_for_url("**/accounts/login/**")
    page.get_by_label("Username").fill("bob")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/two-factor/")
    assert page.get_by_text("Scan this code").is_visible()
    assert axe_serious_violations(page) == []
    page.goto(live_server.url + "/accounts/two-factor/set-up/not-a-real-link/")
    assert page.locator("h1").inner_text() == "This set-up link does not work"
    assert axe_serious_violations(page) == []
