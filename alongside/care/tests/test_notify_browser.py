"""A safety concern from raising to closing, in real headless Chromium on a phone, with axe."""

import pytest

from alongside.care.models import SafetyConcern
from alongside.conftest import axe_serious_violations, browser_sign_in
from alongside.core.roles import Role
from alongside.core.tenancy import organization_scope

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 320, "height": 740})
    yield context
    context.close()


def test_a_concern_reaches_the_supervisor_who_closes_it(
    live_server, phone, member, participant, make_user, org, settings
):
    sam = make_user("sam", org, [Role.SUPERVISOR])
    sam.first_name, sam.last_name = "Sam", "Rivera"
    sam.save()

    page = phone.new_page()
    browser_sign_in(page, live_server, member, settings, then="/staff/care/")
    page.goto(f"{live_server.url}/staff/care/participants/{participant.pk}/safety/new/")
    page.get_by_label("Called or texted 988 together").check()
    page.get_by_label("What happened").fill("Hard night; we called 988 together")
    page.get_by_role("button", name="Record and tell my supervisor").click()
    page.get_by_text("Sam Rivera, your supervisor, was notified by e-mail at").wait_for()
    assert axe_serious_violations(page) == []
    page.close()

    phone.clear_cookies()
    page = phone.new_page()
    browser_sign_in(page, live_server, sam, settings, then="/staff/care/")
    page.get_by_role("link", name="Notifications (1 unread)").click()
    page.get_by_role("heading", name="Notifications", level=1).wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert axe_serious_violations(page) == []

    page.get_by_role("link", name="E-mail settings").click()
    assert page.get_by_label("Safety concern raised").is_checked()
    assert axe_serious_violations(page) == []
    page.get_by_label("Referral updated").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Your e-mail choices are saved.").wait_for()
    assert page.get_by_label("Referral updated").is_checked()

    page.get_by_role("link", name="Back to notifications").click()
    page.get_by_role("link", name="bob raised a safety concern").click()
    page.get_by_role("heading", name="Safety concerns").wait_for()
    assert "Notifications (1 unread)" not in page.content()
    page.get_by_role("link", name="Close with follow-up").click()
    assert axe_serious_violations(page) == []
    page.get_by_role("button", name="Close the concern").click()
    page.get_by_role("heading", name="Please check the form").wait_for()
    assert axe_serious_violations(page) == []
    page.get_by_label("What follow-up happened").fill("Called the next morning; safe at home")
    page.get_by_role("button", name="Close the concern").click()
    page.get_by_text("Closed, with the follow-up recorded.").wait_for()
    assert axe_serious_violations(page) == []

    with organization_scope(org):
        concern = SafetyConcern.objects.get()
    assert concern.resolved_by == sam
    assert concern.follow_up == "Called the next morning; safe at home"
