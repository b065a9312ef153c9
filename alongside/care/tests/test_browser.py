"""A peer specialist's journey on a phone, in real headless Chromium, scanned with axe-core."""

import pytest

from alongside.care.models import Encounter
from alongside.conftest import axe_serious_violations, browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    yield page
    context.close()


def _sign_in(page, live_server, user, settings):
    browser_sign_in(page, live_server, user, settings, then="/staff/care/")


def test_write_and_sign_a_note_and_add_a_goal_on_a_phone(
    live_server, phone, member, participant, settings, in_org
):
    page = phone
    _sign_in(page, live_server, member, settings)
    assert axe_serious_violations(page) == []
    page.get_by_role("link", name="Participants", exact=True).first.click()
    assert axe_serious_violations(page) == []
    page.get_by_role("link", name="Jordan (sample)").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Jordan (sample)")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_serious_violations(page) == []

    page.get_by_role("link", name="Add a goal").click()
    page.get_by_label("The goal, in their own words").fill("Get back to playing guitar")
    page.get_by_label("Service category").select_option("illness_management")
    page.get_by_label("Hope").check()
    assert axe_serious_violations(page) == []
    page.get_by_role("button", name="Save").click()
    page.get_by_text("“Get back to playing guitar”").wait_for()

    page.get_by_role("link", name="Write a note").click()
    page.get_by_label("Type").select_option("phone")
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("10:30")
    page.get_by_label("Planning").check()
    page.get_by_label("Get back to playing guitar").check()
    page.get_by_label("What we worked on").fill("Found a used guitar shop on the bus line")
    assert axe_serious_violations(page) == []
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Draft: not signed yet").wait_for()
    assert axe_serious_violations(page) == []
    page.get_by_role("button", name="Sign…").click()
    assert axe_serious_violations(page) == []
    page.get_by_role("button", name="Sign this note").click()
    page.get_by_text("Signed by bob").wait_for()
    assert axe_serious_violations(page) == []

    encounter = Encounter.objects.get(participant=participant)
    assert encounter.is_signed
    assert encounter.duration_minutes == 30
    assert [g.text for g in encounter.goals.all()] == ["Get back to playing guitar"]


def test_dashboard_and_safety_pages_pass_axe(live_server, phone, member, participant, settings):
    page = phone
    _sign_in(page, live_server, member, settings)
    page.goto(f"{live_server.url}/staff/care/participants/{participant.pk}/safety/new/")
    assert page.locator('a[href="tel:988"]').first.is_visible()
    assert axe_serious_violations(page) == []
    page.get_by_role("button", name="Record and tell my supervisor").click()
    page.get_by_role("heading", name="Please check the form").wait_for()
    assert axe_serious_violations(page) == []
    for path in [
        "consents/new/",
        "referrals/new/",
        "appointments/new/",
        "edit/",
        "disclosures/new/",
        "restrictions/new/",
        "plan/new/",
    ]:
        page.goto(f"{live_server.url}/staff/care/participants/{participant.pk}/{path}")
        assert axe_serious_violations(page) == [], path


def test_supervisor_dashboard_and_break_glass_pass_axe(
    live_server, phone, supervisor, participant, goal, settings
):
    page = phone
    _sign_in(page, live_server, supervisor, settings)
    assert page.get_by_role("heading", name="Team caseload").is_visible()
    assert axe_serious_violations(page) == []
    page.goto(f"{live_server.url}/staff/care/participants/{participant.pk}/goals/{goal.pk}/")
    assert axe_serious_violations(page) == []
    page.goto(f"{live_server.url}/staff/care/break-glass/")
    page.get_by_label("Name").fill("Jordan")
    page.get_by_role("button", name="Find").click()
    assert axe_serious_violations(page) == []


def test_book_an_appointment_and_see_it_in_the_calendar_on_a_phone(
    live_server, phone, member, participant, settings
):
    from django.utils import timezone

    page = phone
    _sign_in(page, live_server, member, settings)
    page.goto(f"{live_server.url}/staff/care/participants/{participant.pk}/appointments/new/")
    page.get_by_label("Date").fill(timezone.localdate().isoformat())
    page.get_by_label("Starts").fill("23:00")
    page.get_by_label("Ends").fill("23:30")
    page.get_by_label("Where", exact=True).fill("Office, room 2")
    page.get_by_label("Transportation", exact=True).select_option("bus_pass")
    assert axe_serious_violations(page) == []
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Appointment booked.").wait_for()

    # The appointment's own week: on a Sunday the calendar opens on the coming one.
    week = f"{live_server.url}/staff/care/calendar/?week={timezone.localdate().isoformat()}"
    page.goto(week)
    assert page.get_by_text("Office, room 2").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_serious_violations(page) == []
    page.get_by_role("button", name="Turn on the calendar feed").click()
    assert page.get_by_label("Your calendar address").input_value().endswith(".ics")
    assert axe_serious_violations(page) == []
    page.goto(week)
    page.get_by_role("link", name="Change or cancel").first.click()
    assert axe_serious_violations(page) == []
    page.get_by_role("button", name="Cancel the appointment").click()
    page.get_by_text("Appointment cancelled.").wait_for()
