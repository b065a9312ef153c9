"""Finding a group on a phone, in headless Chromium: without JavaScript, and with an axe scan."""

from datetime import date, time, timedelta

import pytest

from alongside.conftest import axe_serious_violations
from alongside.groups.models import MeetingTime
from alongside.groups.tests.public_factories import online_group, public_group, session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TUESDAY = MeetingTime.Weekday.TUESDAY
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def groups(in_org):
    evening = public_group(in_org, TUESDAY)
    public_group(
        in_org,
        TUESDAY,
        slug="morning",
        name="Morning Coffee Group (sample)",
        times=(time(9), time(10)),
    )
    online_group(in_org, TUESDAY, is_open=False)
    return evening


def test_find_a_tuesday_evening_group_without_javascript(browser, live_server, groups):
    context = browser.new_context(java_script_enabled=False, **PHONE)
    phone = context.new_page()
    phone.goto(live_server.url + "/groups/")
    phone.locator("#id_day").select_option("tue")
    phone.locator("#id_time_of_day").select_option("evening")
    phone.get_by_role("button", name="Show groups").click()
    phone.wait_for_url("**/groups/?**day=tue**")
    assert phone.locator(".result").count() == 2  # the morning group is left out
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.get_by_role("link", name="Tuesday Night Recovery Circle (sample)").click()
    phone.wait_for_url("**/groups/tuesday-circle/")
    text = phone.locator("main").inner_text()
    assert "Open: anyone may come" in text and "12 Example Street" in text
    context.close()


def test_the_group_pages_have_no_serious_axe_violation_on_a_phone(browser, live_server, groups):
    today = date.today()
    day = today + timedelta(days=(TUESDAY - today.weekday()) % 7 + 7)  # a week ahead at least
    session(groups, day, cancelled=True, public_note="The hall is closed (sample).")
    context = browser.new_context(**PHONE)
    phone = context.new_page()
    for path in (
        "/groups/",
        "/groups/?day=tue&time_of_day=evening",
        "/groups/tuesday-circle/",
        "/groups/online-mens-circle/",
    ):
        phone.goto(live_server.url + path)
        assert axe_serious_violations(phone) == [], path
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, path
    assert "Cancelled" in phone.goto(live_server.url + "/groups/tuesday-circle/").text()
    context.close()
