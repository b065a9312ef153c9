"""A participant fills in BARC-10 on their phone through a one-time link; the specialist then
sees the chart. No sideways scroll on the phone, no serious axe finding anywhere."""

import re

import pytest

from alongside.conftest import axe_serious_violations, browser_sign_in
from alongside.outcomes.models import Administration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    yield page
    context.close()


def _fits_and_passes(page, where):
    assert (where, page.evaluate("document.documentElement.scrollWidth <= 320")) == (where, True)
    assert (where, axe_serious_violations(page)) == (where, [])


def test_a_participant_fills_in_barc_10_on_a_phone_and_the_specialist_sees_the_chart(
    live_server, browser, phone, member, person, barc, settings
):
    staff = browser.new_context().new_page()
    browser_sign_in(
        staff, live_server, member, settings, then=f"/staff/outcomes/participants/{person.pk}/"
    )
    assert axe_serious_violations(staff) == []
    staff.get_by_role("button", name="Link for their phone: BARC-10").click()
    staff.get_by_role("heading", level=1, name=re.compile("A link for their phone")).wait_for()
    assert axe_serious_violations(staff) == []
    url = staff.get_by_label("Or send the address:").input_value()

    phone.goto(url)
    phone.get_by_role("heading", level=1, name="Brief Assessment of Recovery Capital").wait_for()
    _fits_and_passes(phone, "form")
    assert phone.context.cookies() == []
    for number in range(1, 11):
        item = phone.get_by_role("group", name=re.compile(rf"^{number}\. "))
        item.get_by_label("1 – Strongly disagree" if number == 10 else "5", exact=True).check()
    phone.get_by_role("button", name="Send my answers").click()
    phone.get_by_role("heading", level=1, name="Thank you").wait_for()
    phone.get_by_text("Your total today: 46").wait_for()
    _fits_and_passes(phone, "thanks")
    assert Administration.objects.with_scopes_disabled().get().total == 46

    staff.goto(live_server.url + f"/staff/care/participants/{person.pk}/")
    staff.get_by_role("heading", level=2, name="Recovery measures").wait_for()
    chart = staff.locator("svg.trend-chart")
    assert chart.locator("circle.point").get_attribute("data-total") == "46"
    assert staff.get_by_role("table", name="BARC-10 totals").get_by_role("cell", name="46").count()
    assert axe_serious_violations(staff) == []
