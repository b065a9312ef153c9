"""Notes in a real browser: what is on screen is what gets signed, and typing is never lost."""

import datetime

import pytest
from django.utils import timezone

from alongside.care import services
from alongside.care.models import Encounter
from alongside.conftest import axe_serious_violations, browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, user, settings):
    browser_sign_in(page, live_server, user, settings, then="/staff/care/")


def _note_page(live_server, encounter):
    return (
        f"{live_server.url}/staff/care/participants/{encounter.participant_id}"
        f"/encounters/{encounter.pk}/"
    )


def test_edit_and_sign_without_saving_first(live_server, page, member, encounter, settings):
    _sign_in(page, live_server, member, settings)
    page.goto(_note_page(live_server, encounter))
    assert axe_serious_violations(page) == []
    page.get_by_label("What we worked on").fill("Rode the bus to the new job together")
    page.get_by_label("Ends the next day").wait_for()
    page.get_by_role("button", name="Sign…").click()
    page.get_by_role("heading", name="Read it over, then sign").wait_for()
    assert page.get_by_text("Rode the bus to the new job together").is_visible()
    assert axe_serious_violations(page) == []
    page.get_by_role("button", name="Sign this note").click()
    page.get_by_text("Signed by bob").wait_for()
    assert axe_serious_violations(page) == []

    encounter.refresh_from_db()
    assert encounter.is_signed
    assert encounter.worked_on == "Rode the bus to the new job together"


def test_a_draft_is_saved_as_it_is_typed(live_server, page, member, encounter, settings):
    _sign_in(page, live_server, member, settings)
    page.goto(_note_page(live_server, encounter))
    page.get_by_label("Next steps").fill("Call the landlord on Monday")
    page.get_by_role("status").filter(has_text="Draft saved at").wait_for()
    page.close()

    encounter.refresh_from_db()
    assert encounter.next_steps == "Call the landlord on Monday"
    assert not encounter.is_signed


def test_supervisor_returns_a_draft_then_cosigns_it(
    live_server, browser, member, supervisor, encounter, settings
):
    services.care_settings_update(
        organization=encounter.organization,
        actor=supervisor,
        own_caseload_only=False,
        not_seen_days=30,
        require_cosign=True,
    )
    reviewer = browser.new_context().new_page()
    _sign_in(reviewer, live_server, supervisor, settings)
    reviewer.goto(_note_page(live_server, encounter))
    assert reviewer.get_by_role("button", name="Sign…").count() == 0
    assert axe_serious_violations(reviewer) == []
    reviewer.get_by_role("button", name="Return to the author").click()
    reviewer.get_by_role("heading", name="Please check the form").wait_for()
    assert axe_serious_violations(reviewer) == []
    reviewer.get_by_label("Comment for the author").fill("Say what the next step is.")
    reviewer.get_by_role("button", name="Return to the author").click()
    reviewer.get_by_text("Returned to its author with your comment.").wait_for()

    author = browser.new_context().new_page()
    _sign_in(author, live_server, member, settings)
    assert author.get_by_text("Returned with a comment").is_visible()
    assert axe_serious_violations(author) == []
    author.goto(_note_page(live_server, encounter))
    assert author.get_by_text("Say what the next step is.").is_visible()
    assert axe_serious_violations(author) == []

    services.encounter_sign(encounter=encounter, actor=member)
    reviewer.goto(live_server.url + "/staff/care/")
    reviewer.get_by_role("heading", name="Signed notes to co-sign").wait_for()
    assert axe_serious_violations(reviewer) == []
    reviewer.goto(_note_page(live_server, encounter))
    reviewer.get_by_role("button", name="Co-sign this note").click()
    reviewer.get_by_text("Co-signed by sue").wait_for()
    assert axe_serious_violations(reviewer) == []
    assert Encounter.objects.get(pk=encounter.pk).cosigned_by == supervisor


def test_an_overnight_attempted_contact(live_server, page, member, participant, settings, in_org):
    _sign_in(page, live_server, member, settings)
    page.goto(f"{live_server.url}/staff/care/participants/{participant.pk}/encounters/new/")
    page.get_by_label("Type").select_option("phone")
    page.get_by_label("Contact", exact=True).select_option("no_answer")
    page.get_by_label("Date").fill((timezone.localdate() - datetime.timedelta(days=1)).isoformat())
    page.get_by_label("Start time").fill("23:30")
    page.get_by_label("End time").fill("00:15")
    page.get_by_label("Ends the next day").check()
    page.get_by_label("Planning").check()
    page.get_by_label("What we worked on").fill("Called after the late shift; no answer")
    # Autosave creates the note; the submit then changes that note rather than adding one.
    page.get_by_role("status").filter(has_text="Draft saved at").wait_for()
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("11:30 PM–12:15 AM the next day").wait_for()
    assert page.get_by_text("Attempted contact").is_visible()
    assert axe_serious_violations(page) == []
    assert Encounter.objects.get(participant=participant).duration_minutes == 45
