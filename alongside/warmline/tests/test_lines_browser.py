"""An admin on a phone sets up a warm line with the keyboard; each page is scanned with axe."""

from __future__ import annotations

import pytest

from alongside.conftest import axe_serious_violations, browser_sign_in
from alongside.core.tenancy import organization_scope
from alongside.warmline.models import Line
from alongside.warmline.tests.conftest import make_listing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


def test_admin_adds_a_line_on_a_phone_with_the_keyboard(live_server, browser, admin, org, settings):
    listing = make_listing()
    context = browser.new_context(**PHONE)
    page = context.new_page()
    browser_sign_in(page, live_server, admin, settings)
    page.goto(live_server.url + "/staff/warmline/lines/")
    assert axe_serious_violations(page) == []
    page.get_by_role("link", name="Add a line").click()
    page.get_by_label("Name", exact=True).fill("Granite Evening Line (test)")
    page.keyboard.press("Tab")
    page.keyboard.type("granite-evening")
    page.get_by_label("Directory listing").select_option(str(listing.pk))
    number = page.get_by_label("Text number")
    number.fill("603-555-0151")
    number.press("Enter")  # submits the form
    page.get_by_text("with a plus sign and the country code").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_serious_violations(page) == []

    page.get_by_label("Text number").fill("+16035550151")
    page.get_by_role("button", name="Add the line").press("Enter")
    page.get_by_role("link", name="Granite Evening Line (test)").wait_for()
    assert axe_serious_violations(page) == []
    with organization_scope(org):
        line = Line.objects.get()
    assert line.slug == "granite-evening" and line.sms_number == "+16035550151"
    context.close()
