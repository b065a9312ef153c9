"""The search journey on a phone, in headless Chromium, with axe-core scans."""

import re

import pytest
from playwright.sync_api import expect

from alongside.conftest import axe_serious_violations
from alongside.directory.sample import load_sample_directory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser, live_server):
    load_sample_directory()
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
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
    # Each box also refreshes the results live; wait for the answer with both filters.
    phone.wait_for_url("**/find/?**open_now=1**type=warm_line**")
    expect(phone.locator(".result-count")).to_contain_text("open now")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    # The sample's all-hours line is open whatever the hour; every result is an open warm line.
    results = phone.locator(".result")
    expect(results.first.locator(".badge--open")).to_be_visible()
    assert results.count() == phone.locator(".result .badge--open").count()
    assert axe_serious_violations(phone) == []

    results.first.locator(".result__name a").click()
    phone.wait_for_url("**/find/*/?back=**")
    assert "not a crisis line" in phone.content()
    assert axe_serious_violations(phone) == []
    call = phone.locator("main a.button[href^='tel:']").first
    number = call.get_attribute("href")
    assert number.startswith("tel:603555") and call.inner_text().startswith("Call 603-555-01")
    box = call.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24  # big enough for a thumb (WCAG 2.5.8)
    # What a tap reaches: the link itself, not something laid over it.
    phone.evaluate(
        "document.addEventListener('click', e => {"
        " window.__tapped = e.target.closest('a')?.getAttribute('href'); e.preventDefault(); },"
        " true)"
    )
    call.tap()
    assert phone.evaluate("window.__tapped") == number
    phone.evaluate("window.__tapped = null")


def test_back_to_search_returns_to_the_same_search(live_server, phone):
    phone.goto(live_server.url + "/find/?near=03301&type=warm_line")
    phone.locator(".result__name a").first.click()
    phone.wait_for_url("**/find/*/?back=**")
    phone.get_by_role("link", name="Back to search").click()
    phone.wait_for_url("**/find/?near=03301&type=warm_line")
    expect(phone.locator("#id_near")).to_have_value("03301")


def test_filters_sit_beside_the_results_on_a_wide_screen(live_server, browser):
    load_sample_directory()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/find/?near=03301")
    panel = page.locator(".filters-panel")
    expect(panel).to_have_attribute("open", "")
    results = page.locator("#results").bounding_box()
    form = page.locator("#search-form").bounding_box()
    assert form["x"] + form["width"] <= results["x"]  # side by side
    assert results["y"] < 900 and page.locator("#id_sort").is_visible()
    assert axe_serious_violations(page) == []
    context.close()


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


def test_a_place_not_found_says_what_to_type_without_reload(live_server, phone):
    phone.goto(live_server.url + "/find/?near=03301")
    phone.evaluate("window.__marker = 'same page'")
    phone.locator("#id_near").fill("99999")
    phone.get_by_role("button", name="Search", exact=True).click()
    expect(phone.locator("#results .error-summary")).to_contain_text("We could not find “99999”")
    expect(phone.get_by_role("status")).to_contain_text("Please check the search")
    assert phone.evaluate("window.__marker") == "same page"
    assert axe_serious_violations(phone) == []


def test_a_fixed_place_takes_the_error_away_from_beside_the_field(live_server, phone):
    phone.goto(live_server.url + "/find/?near=99999")
    near = phone.get_by_role("textbox", name="Near")
    expect(near).to_have_attribute("aria-invalid", "true")
    expect(near).to_have_accessible_description(re.compile("We could not find “99999”"))
    near.fill("03301")
    phone.get_by_role("button", name="Search", exact=True).click()
    expect(phone.get_by_role("status")).to_contain_text("places found near Concord")
    expect(phone.locator(".search-form .field-error")).to_have_count(0)
    expect(near).not_to_have_attribute("aria-invalid", "true")
    expect(near).to_have_accessible_description(
        "A ZIP code like 03301, or a town like Concord, NH."
    )
    assert axe_serious_violations(phone) == []


def test_a_place_not_found_is_marked_beside_the_field_too(live_server, phone):
    phone.goto(live_server.url + "/find/?near=03301")
    phone.evaluate("window.__near = document.getElementById('id_near')")
    near = phone.get_by_role("textbox", name="Near")
    near.fill("99999")
    near.press("Enter")
    expect(phone.locator("#results .error-summary")).to_contain_text("We could not find “99999”")
    expect(phone.locator(".search-form .field-error")).to_have_text(re.compile("could not find"))
    expect(near).to_have_attribute("aria-invalid", "true")
    expect(near).to_have_accessible_description(re.compile("We could not find “99999”"))
    # The same box, with what was typed in it and the keyboard's place.
    assert phone.evaluate("window.__near.isConnected && document.activeElement === window.__near")
    expect(near).to_have_value("99999")
    assert axe_serious_violations(phone) == []


def test_the_new_count_is_spoken_by_the_live_region_the_page_loaded_with(live_server, phone):
    phone.goto(live_server.url + "/find/?near=03301")
    # Screen readers announce a change to a live region they know, not a new one.
    phone.evaluate("window.__status = document.querySelector('[role=status]')")
    phone.locator(".filters-panel summary").click()
    phone.get_by_label("Peer respite").check()
    expect(phone.get_by_role("status")).to_contain_text("1 place found near Concord")
    assert phone.evaluate("window.__status.isConnected")
    assert phone.evaluate("window.__status.innerText").startswith("1 place found")
    assert phone.evaluate("document.activeElement.id") == "f-type-peer_respite"


def test_the_other_filters_counts_follow_a_live_update(live_server, phone):
    phone.goto(live_server.url + "/find/?near=03301")
    in_person = phone.locator("label[for='f-format-in_person'] .count")
    expect(in_person).to_have_text("(10)")
    phone.locator(".filters-panel summary").click()
    phone.get_by_label("Peer respite").check()
    expect(in_person).to_have_text("(1)")  # the respite house is the one in person
    # The box just ticked is the same box, still ticked, and keeps the keyboard's place.
    assert phone.evaluate("document.activeElement.id") == "f-type-peer_respite"
    assert phone.get_by_label("Peer respite").is_checked()
    assert axe_serious_violations(phone) == []


def test_a_failed_update_says_so_and_keeps_the_results(live_server, phone):
    phone.goto(live_server.url + "/find/?near=03301")
    shown = phone.locator("#results").inner_html()
    phone.route(
        lambda url: "/find/?" in url,
        lambda route: route.fulfill(status=500, body="<h1>Server Error (500)</h1>"),
    )
    phone.locator(".filters-panel summary").click()
    phone.get_by_label("Peer respite").check()
    expect(phone.get_by_role("status")).to_contain_text("could not update the results")
    assert phone.locator("#results").inner_html() == shown
