"""A directory editor edits a listing's weekly hours and street address in the staff area
(a correction such as "Thursday moved to 7 PM" need not be rejected), with the change kept
in the listing's history."""

from datetime import time

import pytest
from django.test import Client

from alongside.directory.models import Schedule, Service, ServiceChange
from alongside.directory.services import hours_text, service_values
from alongside.directory.tests import personas

operator = personas.operator
operator_editor = personas.operator_editor

GROUP = "Concord Tuesday and Thursday Evening Group"


@pytest.fixture
def listing(sample):
    return Service.objects.get(name=GROUP)


def edit(client, listing, **changes):
    return client.post(f"/staff/directory/{listing.id}/edit/", service_values(listing) | changes)


def test_an_editor_moves_thursday_to_7_pm(listing, operator_editor, sign_in):
    client = sign_in(operator_editor)
    page = client.get(f"/staff/directory/{listing.id}/edit/").content.decode()
    assert 'name="hours"' in page and hours_text(listing) in page
    response = edit(
        client, listing, hours="TU 18:00-19:30\nTH 19:00-20:30 Moved", note="Thursday moved."
    )
    assert response.status_code == 302
    rows = {(r.byday, r.opens_at, r.closes_at) for r in Schedule.objects.filter(service=listing)}
    assert ("TH", time(19), time(20, 30)) in rows
    change = ServiceChange.objects.filter(service=listing).latest("id")
    assert "hours" in change.fields and change.note == "Thursday moved."
    assert change.fields["hours"][1] == "TU 18:00-19:30\nTH 19:00-20:30 Moved"
    assert (
        "Thursday moved." in client.get(f"/staff/directory/{listing.id}/history/").content.decode()
    )
    # The search reads the new hours: Thursday evening still, no longer Thursday at 6 PM.
    found = (
        Client()
        .get("/api/v1/search", {"near": "03301", "day": "thu", "time_of_day": "evening"})
        .json()
    )
    assert GROUP in {r["name"] for r in found["results"]}


def test_an_editor_corrects_the_street_address(listing, operator_editor, sign_in):
    client = sign_in(operator_editor)
    assert edit(client, listing, address_1="12 Pleasant Street").status_code == 302
    assert service_values(listing)["address_1"] == "12 Pleasant Street"
    change = ServiceChange.objects.filter(service=listing).latest("id")
    assert change.fields["address_1"][1] == "12 Pleasant Street"
    assert "12 Pleasant Street" in Client().get(f"/find/{listing.id}/").content.decode()


def test_hours_that_cannot_be_read_are_refused_and_change_nothing(
    listing, operator_editor, sign_in
):
    before = hours_text(listing)
    response = edit(sign_in(operator_editor), listing, hours="Thursdays at seven")
    assert response.status_code == 200
    assert "Line 1: write the days and times" in response.content.decode()
    assert hours_text(listing) == before


def test_a_form_without_the_hours_leaves_them_alone(listing, operator_editor, sign_in):
    before = hours_text(listing)
    assert before
    client = sign_in(operator_editor)
    data = {"name": listing.name, "description": "New words."}
    assert client.post(f"/staff/directory/{listing.id}/edit/", data).status_code == 302
    assert hours_text(listing) == before
