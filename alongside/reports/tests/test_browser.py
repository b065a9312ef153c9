"""A supervisor's journey in headless Chromium: open the quarterly report, pick a period,
read a chart's numbers in its table, download the CSV; axe finds nothing serious or
critical on the report page, the definitions page or the GPRA list."""

from pathlib import Path

import pytest

from alongside.conftest import axe_serious_violations, browser_sign_in

from .conftest import make_encounter, make_person, period

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_supervisor_reads_the_quarterly_report(live_server, page, org, supervisor, settings):
    start, end = period()
    make_encounter(make_person(org, supervisor, gender="woman"), supervisor, end)
    browser_sign_in(page, live_server, supervisor, settings, then="/staff/reports/")
    assert axe_serious_violations(page) == []

    page.get_by_role("link", name="Quarterly program report").click()
    page.get_by_label("From").fill(start.isoformat())
    page.get_by_label("To", exact=True).fill(end.isoformat())
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**from=*")
    assert page.locator("svg.chart").count() > 0
    served = page.get_by_role("region", name="Unduplicated participants served: Gender")
    assert "Woman" in served.inner_text()
    assert "Warm line median wait" in page.inner_text("main")
    assert axe_serious_violations(page) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("report,report_version,")

    for path in ("/staff/reports/definitions/", "/staff/reports/gpra/"):
        page.goto(live_server.url + path)
        assert axe_serious_violations(page) == []
