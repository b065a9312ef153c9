"""Plans v2 in headless Chromium: the new pages pass axe on a 320 px phone, the wellness plan
is written through its form by keyboard, and the printed copy hides the staff tools."""

import datetime

import pytest

from alongside.care import services
from alongside.conftest import axe_serious_violations, browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def small_phone(browser):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    yield page
    context.close()


def _plan(participant, member):
    today = datetime.date.today()
    services.goal_create(
        participant=participant,
        actor=member,
        data={"text": "Walk to the library on Saturdays", "service_category": "planning"},
    )
    return services.plan_version_create(
        participant=participant,
        actor=member,
        summary="Steady days",
        agreed_on=today - datetime.timedelta(days=100),
        agreed_how="signed",
    )


def test_the_new_pages_pass_axe_on_a_phone(
    live_server, small_phone, member, participant, settings, in_org
):
    version = _plan(participant, member)
    page = small_phone
    browser_sign_in(page, live_server, member, settings)
    p = f"/staff/care/participants/{participant.pk}"
    paths = [
        f"{p}/wellness-plan/",
        f"{p}/wellness-plan/edit/",
        f"{p}/plan/new/",
        f"{p}/plan/{version.pk}/",
        f"{p}/copy/",
        f"{p}/safety/new/",
        "/staff/care/plans/due/",
        "/staff/care/",
    ]
    for path in paths:
        page.goto(live_server.url + path)
        assert (path, axe_serious_violations(page)) == (path, [])
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path


def test_writing_the_wellness_plan_by_keyboard(live_server, page, member, participant, settings):
    browser_sign_in(page, live_server, member, settings)
    page.goto(f"{live_server.url}/staff/care/participants/{participant.pk}/wellness-plan/edit/")
    page.get_by_label("What keeps me well").fill("Walking the dog")
    page.get_by_label("Who to call").fill("Dana (sample) 603-555-0123")
    page.get_by_label("Who to call").press("Tab")
    page.get_by_role("button", name="Save").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/wellness-plan/")
    assert page.get_by_text("Dana (sample) 603-555-0123").is_visible()
    assert axe_serious_violations(page) == []


def test_the_printed_copy_shows_only_the_persons_words(
    live_server, page, member, participant, settings, in_org
):
    _plan(participant, member)
    browser_sign_in(page, live_server, member, settings)
    page.goto(f"{live_server.url}/staff/care/participants/{participant.pk}/copy/")
    page.emulate_media(media="print")
    assert page.get_by_role("heading", name="Your recovery plan").is_visible()
    assert page.get_by_text("Walk to the library on Saturdays").is_visible()
    assert not page.get_by_role("link", name="Download as PDF").is_visible()
    assert not page.locator(".staff-bar").is_visible()
