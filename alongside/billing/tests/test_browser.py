"""The billing clerk's journey in headless Chromium: build a run, read a held line's reason,
download the checked 837P file; axe finds nothing serious or critical on the way."""

from pathlib import Path

import pytest

from alongside.billing.x12.validate import x12_errors
from alongside.conftest import axe_serious_violations, browser_sign_in

from .conftest import MONTH

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_clerk_builds_a_run_sees_why_a_line_is_held_and_downloads_the_file(
    live_server, page, world, clerk, identity, settings
):
    person = world.person()
    world.encounter(person, minutes=60)
    world.encounter(person, minutes=30, start=(15, 0), sign=False)
    browser_sign_in(page, live_server, clerk, settings, then="/staff/billing/")
    assert axe_serious_violations(page) == []

    page.get_by_label("Payer").select_option("DEMO")
    page.get_by_label("Dates of service from").fill(MONTH[0].isoformat())
    page.get_by_label("to", exact=True).fill(MONTH[1].isoformat())
    page.get_by_role("button", name="Build the run").click()
    page.wait_for_url("**/staff/billing/batches/**")
    held = page.get_by_role("region", name="Held lines")
    assert "note not signed" in held.inner_text()
    assert axe_serious_violations(page) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the 837P file").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("ISA*") and x12_errors(text) == []
