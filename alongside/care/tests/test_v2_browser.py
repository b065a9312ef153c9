"""Issue 19's pages in headless Chromium: the participant page fits a 320 px screen, and every
new or changed page passes the axe scan."""

import datetime

import pytest

from alongside.care import services
from alongside.conftest import axe_serious_violations, browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Elements wider than the screen, to name the culprit when the page scrolls sideways.
WIDE = """(width) => [...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > width + 1 && !e.closest('.table-wrap *'))
  .map((e) => e.tagName + '.' + e.className).slice(0, 10)"""


@pytest.fixture
def small_phone(browser):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    yield page
    context.close()


def _sign_in(page, live_server, user, settings):
    browser_sign_in(page, live_server, user, settings)


def _full_record(participant, member):
    """A note, a consent ending soon and an open safety concern: everything the page shows."""
    services.encounter_create(
        participant=participant,
        actor=member,
        data={
            "type": "phone",
            "date": datetime.date.today(),
            "start_time": datetime.time(10, 0),
            "end_time": datetime.time(10, 40),
            "service_categories": ["planning"],
            "worked_on": "Bus routes",
            "response": "Hopeful",
            "next_steps": "Friday",
        },
    )
    services.consent_create(
        participant=participant,
        actor=member,
        data={
            "discloser": "Granite Peer Support",
            "recipients": "Harbor Housing Program",
            "information": "Dates of contact",
            "information_categories": ["encounter_dates"],
            "purposes": ["benefits", "treatment"],
            "expires_on": datetime.date.today() + datetime.timedelta(days=10),
            "signature_name": "Jordan Sample",
            "signed_on": datetime.date.today(),
        },
    )
    services.safety_concern_raise(
        participant=participant,
        actor=member,
        actions=["called_988_together"],
        note="Called 988 together",
    )


def test_participant_page_fits_a_320px_screen(
    live_server, small_phone, member, participant, settings, in_org
):
    _full_record(participant, member)
    page = small_phone
    _sign_in(page, live_server, member, settings)
    page.goto(f"{live_server.url}/staff/care/participants/{participant.pk}/")
    assert (page.evaluate("document.documentElement.scrollWidth"), page.evaluate(WIDE, 320)) == (
        320,
        [],
    )
    assert axe_serious_violations(page) == []


def test_live_search_breaks_no_content_security_rule(live_server, page):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server.url + "/find/?near=Concord%2C+NH")
    # At wide widths the filters already stand open beside the results.
    if not page.locator(".filters-panel").evaluate("panel => panel.open"):
        page.locator(".filters-panel summary").click()
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
        page.locator(".filters-panel input[type=checkbox]:not([name=open_now])").first.check()
    page.wait_for_load_state("networkidle")
    # htmx's indicator styles are off (htmx-config) and in our stylesheet instead.
    assert errors == []
    opacity = page.evaluate("getComputedStyle(document.querySelector('#results')).opacity")
    assert opacity == "1"


def test_demo_banner_sits_in_a_landmark(live_server, page, settings):
    from axe_playwright_python.sync_playwright import Axe

    settings.ALONGSIDE_DEMO = True
    page.goto(live_server.url + "/")
    assert page.get_by_role("banner").get_by_role("note").is_visible()
    violations = Axe().run(page).response["violations"]
    assert [v["id"] for v in violations if v["id"] == "region"] == []


def test_every_new_page_passes_axe(
    live_server, small_phone, supervisor, member, participant, settings, in_org
):
    _full_record(participant, member)
    supervisor.first_name, supervisor.last_name = "Sue", "Example"
    supervisor.save()
    page = small_phone
    page.goto(live_server.url + "/accounts/login/")
    assert page.locator(".site-name").inner_text() == settings.ALONGSIDE_SITE_NAME
    assert axe_serious_violations(page) == []
    _sign_in(page, live_server, supervisor, settings)
    assert page.url.endswith("/staff/care/")
    assert page.locator(".card--urgent").count() == 1
    pages = [
        "/staff/",
        "/staff/care/",
        "/staff/care/participants/?show=active",
        f"/staff/care/participants/{participant.pk}/",
        f"/staff/care/participants/{participant.pk}/consents/new/",
        f"/staff/care/participants/{participant.pk}/referrals/new/?q=peer&near=Concord%2C+NH",
        "/staff/care/calendar/",
        "/no-such-page/",
    ]
    for path in pages:
        page.goto(live_server.url + path)
        assert (path, axe_serious_violations(page)) == (path, [])
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path


def test_the_care_settings_page_passes_axe_on_a_phone(live_server, small_phone, admin, settings):
    """The settings an org admin changes (co-signing, review period) are a page of their own."""
    page = small_phone
    _sign_in(page, live_server, admin, settings)
    page.goto(live_server.url + "/staff/care/settings/")
    assert page.get_by_label("Review recovery plans after this many days").count() == 1
    assert axe_serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
