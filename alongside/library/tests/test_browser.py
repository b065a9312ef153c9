"""Library pages in real headless Chromium, scanned with axe-core."""

from io import StringIO

import pytest
from django.core.management import call_command

from alongside.conftest import axe_serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTICLE = "/library/warm-lines-and-crisis-lines/"


@pytest.fixture
def library():
    call_command("load_library", stdout=StringIO())


@pytest.mark.parametrize(
    "path", ["/library/", ARTICLE, "/library/what-the-research-says/", "/library/?q=zebra"]
)
def test_library_pages_have_no_serious_axe_violation(live_server, page, library, path):
    page.goto(live_server.url + path)
    assert page.locator("h1").count() == 1
    assert axe_serious_violations(page) == []


def test_an_article_fits_a_320px_phone(live_server, browser, library):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(live_server.url + "/library/becoming-a-peer-specialist/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()


def test_a_reader_searches_and_follows_a_reference(live_server, page, library):
    page.goto(live_server.url + "/library/")
    page.get_by_label("Search the library").fill("calling")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Warm lines and crisis lines: which to call when").click()
    page.get_by_role("link", name="Reference 1").first.click()
    assert page.url.endswith("#ref-1")
    assert page.locator("#ref-1").is_visible()


def test_editor_pages_pass_axe_with_a_preview_and_with_errors(live_server, page, library, editor):
    from alongside.conftest import PASSWORD

    page.goto(live_server.url + "/accounts/login/?next=/library/edit/")
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/library/edit/")
    assert axe_serious_violations(page) == []
    page.get_by_role("link", name="What peer support is").click()
    page.get_by_role("button", name="Preview").click()
    assert page.get_by_role("heading", name="Preview").is_visible()
    assert axe_serious_violations(page) == []
    page.get_by_label("Title").fill("")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("heading", name="Please check the form").is_visible()
    assert axe_serious_violations(page) == []
    page.goto(live_server.url + "/library/edit/what-is-peer-support/history/")
    assert axe_serious_violations(page) == []
