"""The workforce journey in headless Chromium on a phone-sized screen, with the axe scan."""

import datetime

import pytest

from alongside.conftest import axe_serious_violations, browser_sign_in

from .conftest import add_credential, add_training

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\nA certificate of completion (test)\n%%EOF\n"
WIDE = """(width) => [...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > width + 1 && !e.closest('.table-wrap *'))
  .map((e) => e.tagName + '.' + e.className).slice(0, 10)"""


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def fits_and_passes_axe(page):
    assert page.evaluate(WIDE, 320) == []
    assert axe_serious_violations(page) == []


def test_a_specialist_adds_a_certificate_and_the_supervisor_sees_it(
    live_server,
    phone,
    browser,
    member,
    member_profile,
    supervisor,
    agreement,
    crsw,
    settings,
    tmp_path,
):
    today = datetime.date.today()
    add_credential(
        member_profile,
        member,
        crsw,
        today - datetime.timedelta(days=700),
        today + datetime.timedelta(days=30),
    )
    add_training(member_profile, member, today - datetime.timedelta(days=40), 14, topic="wellness")

    # The supervisor's team table first: Bob's ethics CE is missing.
    context = browser.new_context(viewport={"width": 320, "height": 640})
    boss = context.new_page()
    browser_sign_in(boss, live_server, supervisor, settings)
    boss.goto(f"{live_server.url}/staff/workforce/team/")
    assert "ethics 0 of 6 hours" in boss.content()
    fits_and_passes_axe(boss)

    # Bob, on his phone, adds the ethics course with its certificate.
    page = phone
    browser_sign_in(page, live_server, member, settings)
    page.goto(f"{live_server.url}/staff/workforce/")
    fits_and_passes_axe(page)
    page.get_by_role("link", name="Add a training or CE").click()
    fits_and_passes_axe(page)
    page.get_by_label("Date").fill((today - datetime.timedelta(days=3)).isoformat())
    page.get_by_label("Hours").fill("6")
    page.get_by_label("Topic").fill("ethics")
    page.get_by_label("Title of the training").fill("Ethics in peer work")
    certificate = tmp_path / "ethics-certificate.pdf"
    certificate.write_bytes(PDF)
    page.get_by_label("Certificate").set_input_files(str(certificate))
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/staff/workforce/people/bob/")
    assert "Training saved." in page.content()
    assert (
        page.get_by_role("link", name="Download the certificate for Ethics in peer work").count()
        == 1
    )
    fits_and_passes_axe(page)
    # The caseload page, where Bob lands, shows his credential's status too.
    page.goto(f"{live_server.url}/staff/care/")
    assert page.get_by_role("heading", name="My credentials").count() == 1
    assert "Expiring soon" in page.content()
    fits_and_passes_axe(page)

    # The supervisor's table shows the change.
    boss.reload()
    table = boss.content()
    assert "ethics 0 of 6 hours" not in table
    assert "20 of 20 hours" in table
    context.close()


def test_forms_report_and_career_pages_pass_axe(
    live_server, phone, supervisor, member_profile, agreement, types, settings
):
    browser_sign_in(phone, live_server, supervisor, settings)
    for path in (
        "/staff/workforce/people/bob/supervision/add/",
        "/staff/workforce/people/bob/agreements/add/",
        "/staff/workforce/people/bob/credentials/add/",
        "/staff/workforce/people/bob/supervision-report/?start=2026-01-01&end=2026-12-31",
        "/careers/",
        "/careers/nh/",
        "/careers/us/",
    ):
        phone.goto(live_server.url + path)
        assert phone.evaluate(WIDE, 320) == [], path
        assert axe_serious_violations(phone) == [], path
