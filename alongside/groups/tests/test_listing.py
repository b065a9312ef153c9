"""Our public groups as directory listings (``group_listing_sync``, ``groups_sync_listings``),
found by directory search and showing their next meeting on the listing page."""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from alongside.directory.claims import claim_decide, claim_request
from alongside.directory.listings import listing_id
from alongside.directory.models import Organization as Provider
from alongside.directory.models import Schedule, SearchEntry, Service
from alongside.directory.services import service_codes
from alongside.groups.listing import SOURCE, group_listing_sync
from alongside.groups.models import Group, MeetingTime
from alongside.groups.tests.public_factories import online_group, public_group, session

pytestmark = pytest.mark.django_db

TUESDAY, MONDAY, WEDNESDAY = 1, 0, 2


def listing(group: Group) -> Service:
    return Service.objects.get(pk=listing_id(SOURCE, group.slug))


def hours(group: Group) -> set[tuple]:
    rows = Schedule.objects.filter(service_id=listing_id(SOURCE, group.slug))
    return {(r.byday, r.opens_at, r.closes_at, r.valid_from, r.closed) for r in rows}


def test_a_public_group_becomes_a_peer_group_listing(
    in_org, django_capture_on_commit_callbacks
) -> None:
    group = public_group(in_org, MONDAY, WEDNESDAY)
    with django_capture_on_commit_callbacks(execute=True):
        group_listing_sync(group)
    service = listing(group)
    assert service.name == group.name and service.status == Service.Status.ACTIVE
    assert service.organization.name == "Granite Peer Support (test)"
    assert service_codes(service)["type"] == ["peer_group"]
    assert hours(group) == {("MO,WE", time(18), time(19), None, False)}
    entry = SearchEntry.objects.get(service=service)
    assert (entry.town, entry.timezone_name) == ("Concord", "America/New_York")
    assert " type:peer_group " in entry.tags


def test_an_online_group_is_also_online_support(in_org) -> None:
    group = online_group(in_org, TUESDAY)
    group_listing_sync(group)
    service = listing(group)
    assert set(service_codes(service)["type"]) == {"online_support", "peer_group"}
    assert service_codes(service)["population"] == ["men"]
    assert "register to get the link" in service.application_process
    assert "video.example.org" not in service.application_process
    assert not service.phones.exists()  # the dial-in number is private too
    assert service.service_areas.get().value == "NH"


def test_syncing_again_changes_nothing(in_org) -> None:
    group = public_group(in_org, TUESDAY)
    group_listing_sync(group)
    changes = listing(group).changes.count()
    group_listing_sync(group)
    assert listing(group).changes.count() == changes


def test_a_changed_time_and_a_cancelled_session_follow(in_org) -> None:
    group = public_group(in_org, TUESDAY)
    group_listing_sync(group)
    MeetingTime.objects.filter(group=group).update(start_time=time(17, 30))
    day = date.today() + timedelta(days=(TUESDAY - date.today().weekday()) % 7 + 7)
    session(group, day, cancelled=True, public_note="Snow")
    group_listing_sync(group)
    assert hours(group) == {
        ("TU", time(17, 30), time(19), None, False),
        ("", None, None, day, True),
    }


def test_a_group_no_longer_public_leaves_search(in_org) -> None:
    group = public_group(in_org, TUESDAY)
    group_listing_sync(group)
    Group.objects.filter(pk=group.pk).update(listed_publicly=False)
    group.refresh_from_db()
    group_listing_sync(group)
    assert listing(group).status == Service.Status.INACTIVE


def test_the_listing_belongs_to_the_provider_the_organization_keeps(
    in_org, make_user, settings
) -> None:
    settings.ALONGSIDE_OPERATOR_ORG = "operator-not-this-one"
    provider = Provider.objects.create(name="Granite Peer Support, Concord office (sample)")
    editor = make_user("editor", in_org, ["directory_editor"])
    claim = claim_request(claimant=in_org, provider=provider, actor=editor)
    claim_decide(claim=claim, approve=True, actor=editor)
    group = public_group(in_org, TUESDAY)
    group_listing_sync(group)
    assert listing(group).organization == provider


def test_the_command_syncs_every_group(in_org, capsys) -> None:
    public_group(in_org, TUESDAY, slug="a")
    public_group(in_org, TUESDAY, slug="b", listed_publicly=False)
    call_command("groups_sync_listings")
    assert "1 new" in capsys.readouterr().out
    assert Service.objects.filter(pk=listing_id(SOURCE, "a")).exists()
    assert not Service.objects.filter(pk=listing_id(SOURCE, "b")).exists()


def test_the_listing_page_shows_the_next_meeting(
    in_org, client, django_capture_on_commit_callbacks
) -> None:
    group = public_group(in_org, TUESDAY)
    with django_capture_on_commit_callbacks(execute=True):
        group_listing_sync(group)
    page = client.get(f"/find/{listing(group).pk}/").content.decode()
    today = timezone.now().astimezone(ZoneInfo("America/New_York")).date()
    tuesday = today + timedelta(days=(TUESDAY - today.weekday()) % 7)
    assert "Next meeting:" in page
    shown = [f"{d:%a} {d.day} {d:%b}, 6–7 PM" for d in (tuesday, tuesday + timedelta(days=7))]
    assert any(text in page for text in shown)


def test_directory_search_finds_tuesday_evening_groups_near_a_place(
    in_org, client, django_capture_on_commit_callbacks
) -> None:
    evening = public_group(in_org, TUESDAY, slug="tue-evening", name="A (sample)")
    morning = public_group(
        in_org, TUESDAY, slug="tue-morning", name="B (sample)", times=(time(9), time(10))
    )
    thursday = public_group(in_org, 3, slug="thu-evening", name="C (sample)")
    with django_capture_on_commit_callbacks(execute=True):
        for group in (evening, morning, thursday):
            group_listing_sync(group)

    def found(query: str) -> set[str]:
        response = client.get(f"/find/?type=peer_group&near=03301&{query}")
        assert response.status_code == 200
        # Ours only: the shipped sample listings have Tuesday evening groups too.
        return {str(r.service_id) for r in response.context["found"].results} & set(ids.values())

    ids = {g.slug: str(listing_id(SOURCE, g.slug)) for g in (evening, morning, thursday)}
    assert found("day=tue&time_of_day=evening") == {ids["tue-evening"]}
    assert found("day=tue") == {ids["tue-evening"], ids["tue-morning"]}
    assert found("time_of_day=evening") == {ids["tue-evening"], ids["thu-evening"]}
    page = client.get("/find/?type=peer_group&near=03301&day=tue&time_of_day=evening")
    assert "on Tuesday evening" in page.content.decode()
    api = client.get("/api/v1/search?near=03301&day=tue&time_of_day=evening&per_page=100")
    returned = {r["service_id"] for r in api.json()["results"]}
    assert ids["tue-evening"] in returned and ids["tue-morning"] not in returned


def test_a_bad_day_in_directory_search_is_refused(client) -> None:
    assert client.get("/find/?day=someday").status_code == 400


def test_a_new_slug_withdraws_the_old_listing(in_org) -> None:
    group = public_group(in_org, TUESDAY)
    group_listing_sync(group)
    old = listing(group)
    Group.objects.filter(pk=group.pk).update(slug="tuesday-circle-concord")
    group.refresh_from_db()
    group_listing_sync(group, previous_slug="tuesday-circle")
    old.refresh_from_db()
    assert old.status == Service.Status.INACTIVE
    assert listing(group).status == Service.Status.ACTIVE
