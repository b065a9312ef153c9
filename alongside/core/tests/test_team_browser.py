"""An admin runs the team in real headless Chromium; every page is scanned with axe-core."""

import pytest

from alongside.care.tests.conftest import make_participant
from alongside.conftest import axe_serious_violations, browser_sign_in
from alongside.core.models import Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, user, settings):
    browser_sign_in(page, live_server, user, settings, then="/staff/team/")


def test_admin_invites_and_deactivates_someone(live_server, page, admin, org, settings):
    _sign_in(page, live_server, admin, settings)
    assert axe_serious_violations(page) == []
    page.get_by_role("link", name="Invite someone").click()
    assert axe_serious_violations(page) == []
    page.get_by_label("First name").fill("Sam")
    page.get_by_label("Last name").fill("Rivera")
    page.get_by_label("E-mail").fill("sam.rivera@example.org")
    page.get_by_label("Peer support specialist").check()
    page.get_by_role("button", name="Send the invitation").click()
    page.get_by_role("heading", name="Sam Rivera").wait_for()
    assert axe_serious_violations(page) == []

    page.get_by_role("button", name="Deactivate").click()
    page.get_by_text("can no longer sign in").wait_for()
    sam = Membership.objects.get(organization=org, user__email="sam.rivera@example.org")
    assert not sam.is_active


def test_caseload_transfer_and_audit_pages_pass_axe(
    live_server, page, admin, member, org, settings
):
    make_participant(org, member, name="Jordan Avery (sample)", specialists=[member])
    _sign_in(page, live_server, admin, settings)
    page.get_by_role("link", name="Transfer a caseload").click()
    page.get_by_label("Whose participants").select_option(str(member.pk))
    page.get_by_role("button", name="Show their participants").click()
    page.get_by_label("Jordan Avery (sample)").wait_for()
    assert axe_serious_violations(page) == []

    page.goto(live_server.url + "/staff/audit/")
    page.get_by_label("Participant's name").fill("Jordan")
    page.get_by_role("button", name="Filter").click()
    page.get_by_text("Events about: Jordan Avery (sample)").wait_for()
    assert "Jordan" not in page.url
    assert axe_serious_violations(page) == []
