"""The new demographics, filled in on a 320 px phone: no sideways scroll, no serious axe finding."""

import datetime

import pytest
from django.utils import timezone

from alongside.care.models import Coverage, HousingStatus, Participant
from alongside.conftest import axe_serious_violations, browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def small_phone(browser):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    yield page
    context.close()


def _fits_and_passes(page, where):
    assert (where, page.evaluate("document.documentElement.scrollWidth <= 320")) == (where, True)
    assert (where, axe_serious_violations(page)) == (where, [])


def test_fill_the_new_demographics_on_a_small_phone(
    live_server, small_phone, member, participant, settings, in_org
):
    page = small_phone
    browser_sign_in(page, live_server, member, settings)
    base = f"{live_server.url}/staff/care/participants/{participant.pk}/"

    page.goto(base + "edit/")
    page.get_by_label("Black or African American").check()
    page.get_by_label("Hispanic or Latino").check()
    _fits_and_passes(page, "edit")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", level=1, name="Jordan (sample)").wait_for()

    page.locator("summary", has_text="Note where they live").click()
    page.get_by_label("Where they live").select_option("recovery_housing")
    page.locator("#housing_since").fill(
        (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
    )
    _fits_and_passes(page, "participant page with the housing form open")
    page.get_by_role("button", name="Save housing").click()
    page.get_by_text("Saved. The earlier ones stay as history.").wait_for()

    page.get_by_role("link", name="Add coverage").click()
    page.get_by_label("Payer", exact=True).fill("Medicaid")
    page.get_by_label("Member id").fill("SAMPLE000123")
    page.get_by_label("Starts on").fill("2025-01-01")
    page.get_by_label("Ends on").fill("2024-12-01")
    page.get_by_role("button", name="Save").click()
    # The form says what is wrong and where, on a page that still fits.
    page.get_by_text("Coverage cannot end before it starts.", exact=True).wait_for()
    _fits_and_passes(page, "coverage form with an error")
    page.get_by_label("Ends on").fill("")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Coverage added.").wait_for()
    _fits_and_passes(page, "participant page")

    coverage = Coverage.objects.get()
    page.goto(base + f"coverage/{coverage.pk}/")
    _fits_and_passes(page, "coverage edit")
    for kind in ("housing", "employment"):
        page.goto(base + f"status/{kind}/")
        _fits_and_passes(page, f"{kind} form page")
    assert Participant.objects.get(pk=participant.pk).race_ethnicity == ["black", "hispanic_latino"]
    assert HousingStatus.objects.get().status == "recovery_housing"
    assert coverage.member_id == "SAMPLE000123"
