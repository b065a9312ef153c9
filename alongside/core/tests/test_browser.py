"""Pages in real headless Chromium, scanned with axe-core."""

import pytest

from alongside.conftest import axe_serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("path", ["/", "/crisis/", "/accounts/login/"])
def test_public_page_has_no_serious_axe_violation(live_server, page, path):
    page.goto(live_server.url + path)
    assert page.locator("h1").count() == 1
    assert axe_serious_violations(page) == []


def test_crisis_link_works_from_home_with_keyboard(live_server, page):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to main content"
    page.get_by_role("link", name="Crisis? Call or text 988").click()
    page.wait_for_url("**/crisis/")
    assert page.locator('a[href="tel:988"]').first.is_visible()


def test_home_fits_a_320px_phone(live_server, browser):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()


def test_staff_pages_pass_axe(live_server, page, admin, settings):
    settings.ALONGSIDE_REQUIRE_2FA = False
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("quiet river morning 42")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/staff/care/")  # an admin lands on the team's caseload
    assert axe_serious_violations(page) == []
    page.goto(live_server.url + "/staff/")
    assert axe_serious_violations(page) == []
    page.goto(live_server.url + "/staff/audit/")
    assert page.get_by_role("columnheader", name="When").is_visible()
    assert axe_serious_violations(page) == []
