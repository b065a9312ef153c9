"""A facilitator takes attendance on a phone: no sideways scroll, no serious axe finding."""

import re

import pytest
from django.urls import reverse

from alongside.care.models import Encounter
from alongside.care.tests.conftest import make_participant
from alongside.conftest import axe_serious_violations, browser_sign_in
from alongside.groups import services

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


def test_take_attendance_on_a_phone(
    live_server, phone, member, org, group, people, last_week, settings, in_org
):
    for person in people:
        services.registration_add(group=group, actor=member, participant=person)
    newcomer = make_participant(org, member, name="Dana (sample)")
    page = phone
    browser_sign_in(page, live_server, member, settings, then="/staff/groups/")
    _fits_and_passes(page, "list")
    page.get_by_role("link", name=group.name, exact=True).click()
    page.get_by_role("heading", level=1, name=group.name).wait_for()
    _fits_and_passes(page, "group")
    page.get_by_role("link", name=re.compile("take attendance")).first.click()
    page.get_by_role("heading", level=1, name="Attendance").wait_for()
    _fits_and_passes(page, "attendance")

    avery, blake, camila = people
    page.get_by_role("group", name=avery.preferred_name).get_by_label("Present").check()
    page.get_by_role("group", name=blake.preferred_name).get_by_label("Present").check()
    page.get_by_role("group", name=camila.preferred_name).get_by_label("Excused").check()
    page.get_by_label("Add someone who came").select_option(label=newcomer.preferred_name)
    page.get_by_role("button", name="Add to the list").click()
    page.get_by_role("group", name=newcomer.preferred_name).wait_for()
    page.get_by_role("group", name=avery.preferred_name).locator("summary").click()
    page.get_by_label(f"Note for {avery.preferred_name} only").fill("Walked home with Blake.")
    page.get_by_label("Walk-ins (not named)").fill("4")
    page.get_by_label("What the group did").fill("Shared what keeps us going in winter.")
    page.get_by_role("button", name="Save attendance").click()

    page.get_by_role("button", name="Save anyway").wait_for()
    _fits_and_passes(page, "name warning")
    assert not Encounter.objects.exists()
    page.get_by_label(f"Note for {avery.preferred_name} only").fill("Walked home with a friend.")
    page.get_by_role("button", name="Save attendance").click()
    page.get_by_text("Attendance saved: 7 came.").wait_for()
    _fits_and_passes(page, "saved")

    notes = Encounter.objects.filter(type=Encounter.Type.GROUP)
    assert {n.participant_id for n in notes} == {avery.pk, blake.pk, newcomer.pk}
    assert notes.get(participant=avery).response == "Walked home with a friend."


def test_a_walk_in_checks_in_by_the_qr_code_page_on_a_phone(
    live_server, phone, browser, member, tonight, settings
):
    staff = browser.new_context().new_page()
    browser_sign_in(staff, live_server, member, settings)
    staff.goto(
        live_server.url
        + reverse("groups:checkin_sheet", args=[tonight.group_id, tonight.scheduled_date])
    )
    assert axe_serious_violations(staff) == []
    link = staff.get_by_text("/checkin/").inner_text().split()[-1]
    staff.context.close()

    phone.goto(link.replace("http://testserver", live_server.url))
    _fits_and_passes(phone, "check-in")
    phone.get_by_role("button", name="I'm here").click()
    phone.get_by_text("Thanks, you're counted.").wait_for()
    _fits_and_passes(phone, "counted")
    assert phone.context.cookies() == []
    tonight.refresh_from_db()
    assert tonight.walk_ins == 1
