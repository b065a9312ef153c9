"""The search journey on a phone, in headless Chromium, with axe-core scans."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from alongside.conftest import axe_serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser, live_server):
    call_command("load_sample_data", stdout=StringIO())
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    yield page
    context.close()


def test_search_by_zip_filter_to_open_warm_lines_and_call(live_server, phone):
    phone.goto(live_server.url + "/")
    phone.get_by_label("Near (ZIP code or town)").fill("03301")
    phone.get_by_role("button", name="Find peer support").click()
    phone.wait_for_url("**/find/?**")
    assert "places found near Concord" in phone.locator(".result-count").inner_text()
    assert axe_serious_violations(phone) == []

    phone.locator(".filters-panel summary").click()
    phone.get_by_label("Warm line", exact=False).first.check()
    phone.get_by_label("Open now").check()
    phone.get_by_role("button", name="Apply filters").click()
    phone.wait_for_load_state()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    # Whatever the hour, the 24-hour online meetings are not warm lines; the page says
    # how many warm lines are open right now, and lists only open ones.
    # (Each box also refreshes the results live; wait for the last answer to land.)
    expect(phone.locator(".result-count")).to_contain_text("open now")
    phone.goto(live_server.url + "/find/?near=03301&type=warm_line")
    phone.get_by_role("link", name="Granite State Peer Warm Line").click()
    phone.wait_for_url("**/find/*/")
    assert "not a crisis line" in phone.content()
    call_link = phone.locator('a[href^="tel:555"], a[href^="tel:603555"]').first
    assert call_link.get_attribute("href").startswith("tel:603555")
    assert axe_serious_violations(phone) == []


def test_live_filtering_updates_results_without_reload(live_server, phone):
    phone.goto(live_server.url + "/find/?near=03301")
    phone.evaluate("window.__marker = 'same page'")
    before = phone.locator(".result-count").inner_text()
    phone.locator(".filters-panel summary").click()
    with phone.expect_response(lambda r: "/find/" in r.url and r.request.headers.get("hx-request")):
        phone.get_by_label("Peer respite").check()
    phone.wait_for_function("document.querySelector('.result-count').innerText.includes('1 place')")
    assert phone.evaluate("window.__marker") == "same page"
    assert phone.locator(".result-count").inner_text() != before
    assert "type=peer_respite" in phone.url
