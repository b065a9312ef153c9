"""The filters of directory v2: kinds of recovery support, peer-run, pathways, populations,
access (every value must hold), co-occurring focus, the county facet, and day and time of
day from the weekly hours. OR within a filter, AND across filters."""

from datetime import time

import pytest
from django.test import Client

from alongside.directory.day_parts import week_windows
from alongside.directory.hours import Row, open_during
from alongside.directory.indexing import service_index
from alongside.directory.models import (
    Address,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
)
from alongside.directory.services import service_set_terms

HOUSING = "Granite Path Recovery Residence (sample)"
MOTHERS = "Harbor House for Mothers in Recovery (sample)"
COACHES = "Emergency Department Recovery Coaches (sample)"
CLUBHOUSE = "Upper Valley Clubhouse (sample)"
CALLS = "Recovery Check-In Calls (sample)"


def names(**params) -> set[str]:
    response = Client().get("/api/v1/search", {"per_page": 100, **params})
    assert response.status_code == 200, response.json()
    found = response.json()
    assert found["total"] == len(found["results"])
    return {r["name"] for r in found["results"]}


def facets(**params) -> dict:
    response = Client().get("/api/v1/search", params)
    assert response.status_code == 200, response.json()
    return response.json()["facets"]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("recovery_housing", {HOUSING, MOTHERS}),
        ("telephone_recovery_support", {CALLS}),
        ("ed_recovery_coach", {COACHES}),
        ("clubhouse", {CLUBHOUSE}),
    ],
)
def test_each_new_kind_of_support_alone(sample, code, expected):
    assert names(type=code) == expected


def test_peer_run_is_an_attribute_a_search_can_require(sample):
    assert names(attribute="peer_run") == {HOUSING, CLUBHOUSE, CALLS}
    assert names(peer_run="1") == {HOUSING, CLUBHOUSE, CALLS}
    assert names(peer_run="true", type="clubhouse") == {CLUBHOUSE}


def test_pathways_are_or_ed_within_the_filter(sample):
    assert names(pathways="mat_welcome") == {HOUSING, MOTHERS}
    assert names(pathways="all_pathways") == {HOUSING, COACHES, CALLS}
    assert names(pathways=["mat_welcome", "all_pathways"]) == {HOUSING, MOTHERS, COACHES, CALLS}


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("reentry", {HOUSING}),
        ("pregnant_parenting", {MOTHERS}),
        ("deaf_hoh", {CLUBHOUSE}),
        ("unhoused", {COACHES}),
    ],
)
def test_each_new_population_alone(sample, code, expected):
    assert names(population=code) == expected


def test_access_values_must_each_hold(sample):
    assert names(access="no_referral") == {HOUSING, COACHES, CLUBHOUSE, CALLS}
    assert names(access=["no_referral", "no_id"]) == {HOUSING, COACHES}
    assert names(access=["no_referral", "no_id", "wheelchair"]) == {COACHES}
    assert names(access="anonymous") == {CALLS}
    assert names(access=["anonymous", "wheelchair"]) == set()


def test_filters_are_and_ed_across_groups(sample):
    assert names(type="recovery_housing", pathways="all_pathways") == {HOUSING}
    assert names(type="recovery_housing", access="wheelchair") == {MOTHERS}
    assert names(type=["recovery_housing", "clubhouse"], access="wheelchair") == {
        MOTHERS,
        CLUBHOUSE,
    }
    assert names(housing_level="narr_2") == {HOUSING}
    assert names(housing_level=["narr_2", "narr_3"], population="women") == {MOTHERS}


def test_facets_count_the_new_filters(sample):
    # Keene: the recovery residence, and the check-in calls that reach the whole state.
    counted = facets(near="03431", radius="5")
    assert counted["pathways"] == {"all_pathways": 2, "mat_welcome": 1}
    assert counted["access"]["no_id"] == 1
    assert counted["access"]["no_referral"] == 2
    assert counted["attribute"] == {"peer_run": 2}
    assert counted["housing_level"] == {"narr_2": 1}
    # Access counts what ticking one more box would find: both must then hold.
    counted = facets(access="no_id")
    assert counted["access"] == {"no_id": 2, "no_referral": 2, "wheelchair": 1}


def test_a_co_occurring_service_is_found_by_either_focus(sample):
    both = names(focus="co_occurring")
    assert both
    assert both <= names(focus="substance_use")
    assert both <= names(focus="mental_health")
    counted = facets(near="03301")
    assert counted["focus"]["substance_use"] >= counted["focus"]["co_occurring"]


def test_the_county_facet_counts_the_services_found_by_county(sample):
    counted = facets(near="03301", radius="10")["county"]
    assert counted["Merrimack County, NH"] >= 5
    assert all(county.endswith(", NH") for county in counted)
    page = Client().get("/find/", {"near": "03301", "radius": "10"}).content.decode()
    assert ">Merrimack County, NH</a>" in page
    assert "county=Merrimack+County%2C+NH" in page  # this search, in that county only
    there = facets(near="03301", radius="10", county="Merrimack County, NH")["county"]
    assert there == {"Merrimack County, NH": counted["Merrimack County, NH"]}


def test_day_and_time_of_day_read_the_weekly_hours(sample):
    evening = "Concord Tuesday and Thursday Evening Group"
    assert evening in names(near="03301", day="tue", time_of_day="evening")
    assert evening in names(near="03301", day="thu")
    assert evening not in names(near="03301", day="wed", time_of_day="evening")
    assert evening not in names(near="03301", day="tue", time_of_day="morning")
    assert evening in names(near="03301", time_of_day="evening")
    # Open every evening from 5 PM to 1 AM: also the night, and into the next morning.
    warm_line = "Granite State Peer Warm Line"
    assert warm_line in names(day="sat", time_of_day="night")
    assert warm_line not in names(day="sat", time_of_day="morning")


def test_day_and_time_of_day_are_refused_when_unknown(sample):
    response = Client().get("/api/v1/search", {"day": "someday"})
    assert response.status_code == 400
    response = Client().get("/api/v1/search", {"time_of_day": "noonish"})
    assert response.status_code == 400


def _listing(name: str, zone: str, rows: list[tuple[str, time, time]]) -> Service:
    org = Organization.objects.create(name="Test provider")
    service = Service.objects.create(organization=org, name=name)
    service_set_terms(service=service, codes=["peer_group"])
    place = Location.objects.create(
        organization=org,
        location_type=Location.LocationType.PHYSICAL,
        latitude=43.2,
        longitude=-71.5,
        timezone_name=zone,
        county="Merrimack County",
    )
    Address.objects.create(location=place, city="Concord", state_province="NH", postal_code="03301")
    ServiceAtLocation.objects.create(service=service, location=place)
    for byday, opens, closes in rows:
        Schedule.objects.create(service=service, byday=byday, opens_at=opens, closes_at=closes)
    service_index(service)
    return service


def test_overnight_hours_count_for_the_night_they_start_and_the_morning_after(sample):
    _listing("Sunday Night Owls", "America/New_York", [("SU", time(23), time(3))])
    assert "Sunday Night Owls" in names(near="03301", day="sun", time_of_day="night")
    # 3 AM Monday is Sunday's night, not Monday's (that begins at 9 PM Monday).
    assert "Sunday Night Owls" not in names(near="03301", day="mon", time_of_day="night")
    assert "Sunday Night Owls" not in names(near="03301", day="sun", time_of_day="evening")
    assert "Sunday Night Owls" not in names(near="03301", day="mon", time_of_day="morning")


def test_times_of_day_are_each_listings_own_wall_clock_whatever_the_season(sample):
    # 6 PM in Los Angeles is an evening there, in winter and in summer, although it is 9 PM
    # (night) in New Hampshire.
    _listing("Pacific Evening Circle", "America/Los_Angeles", [("WE", time(18), time(19))])
    assert "Pacific Evening Circle" in names(near="03301", day="wed", time_of_day="evening")
    assert "Pacific Evening Circle" not in names(near="03301", day="wed", time_of_day="night")


def test_windows_of_the_week():
    assert week_windows("tue", "evening") == [(1 * 1440 + 17 * 60, 1 * 1440 + 21 * 60)]
    assert week_windows("sun", "night") == [(6 * 1440 + 21 * 60, 7 * 1440), (0, 5 * 60)]
    assert week_windows("mon", "") == [(0, 1440)]
    assert len(week_windows("", "morning")) == 7


def test_a_season_of_weekly_hours_is_read_from_its_rows():
    from datetime import date

    rows = [Row(date(2030, 6, 1), date(2030, 8, 31), "TU", time(18), time(20), False)]
    assert open_during(rows, week_windows("tue", "evening"))
    assert not open_during(rows, week_windows("tue", "morning"))


def test_a_listing_says_its_pathways_or_that_they_are_not_stated(sample):
    housing = Service.objects.get(name=HOUSING)
    page = Client().get(f"/find/{housing.pk}/").content.decode()
    assert "Medication for opioid use disorder welcome" in page
    assert "All recovery pathways welcome" in page
    assert "Peer-run" in page and "NARR Level II" in page
    other = Service.objects.filter(name__endswith="Peer Drop-In Center").first()
    page = Client().get(f"/find/{other.pk}/").content.decode()
    assert "Not stated" in page


def test_the_search_page_offers_the_new_filters(sample):
    page = Client().get("/find/").content.decode()
    for value in ("recovery_housing", "mat_welcome", "no_referral", "peer_run", "reentry"):
        assert f'value="{value}"' in page
    assert 'name="day"' in page and 'name="time_of_day"' in page


def test_the_openapi_document_names_the_new_parameters(sample):
    schema = Client().get("/api/openapi.json").json()
    parameters = {p["name"] for p in schema["paths"]["/api/v1/search"]["get"]["parameters"]}
    assert {"pathways", "access", "peer_run", "attribute", "day", "time_of_day"} <= parameters


def test_day_and_time_of_day_hold_across_a_change_of_daylight_saving_time(sample):
    # Tuesdays 6 to 8 PM in New Hampshire. Clocks go forward on Sunday 8 March 2026: the same
    # hours are then an hour earlier in UTC, and "Tuesday evening" still finds them.
    _listing("Granite Dusk Circle", "America/New_York", [("TU", time(18), time(20))])
    assert "Granite Dusk Circle" in names(near="03301", day="tue", time_of_day="evening")
    # 7:30 PM on the Tuesday before (EST, UTC-5) and the Tuesday after (EDT, UTC-4).
    assert "Granite Dusk Circle" in names(near="03301", open_at="2026-03-04T00:30:00Z")
    assert "Granite Dusk Circle" in names(near="03301", open_at="2026-03-10T23:30:00Z")
    # The same UTC moment a week apart: 7:30 PM before the change, 8:30 PM (closed) after it.
    assert "Granite Dusk Circle" not in names(near="03301", open_at="2026-03-11T00:30:00Z")
    # Clocks go back on Sunday 1 November 2026: 7:30 PM EST is 00:30 UTC again.
    assert "Granite Dusk Circle" in names(near="03301", open_at="2026-11-04T00:30:00Z")


def test_overnight_hours_hold_on_the_night_the_clocks_change(sample):
    # Saturday 10 PM to 4 AM. On 7-8 March 2026 the night is an hour shorter (2 AM is 3 AM),
    # on 31 October-1 November an hour longer: open either way until 4 AM on the clock.
    _listing("Saturday Night Line", "America/New_York", [("SA", time(22), time(4))])
    assert "Saturday Night Line" in names(near="03301", day="sat", time_of_day="night")
    assert "Saturday Night Line" not in names(near="03301", day="sun", time_of_day="night")
    assert "Saturday Night Line" not in names(near="03301", day="sun", time_of_day="morning")
    # 3:30 AM EDT on Sunday 8 March (07:30 UTC): open; 4:30 AM EDT (08:30 UTC): closed.
    assert "Saturday Night Line" in names(near="03301", open_at="2026-03-08T07:30:00Z")
    assert "Saturday Night Line" not in names(near="03301", open_at="2026-03-08T08:30:00Z")
    # 1:30 AM happens twice on Sunday 1 November (05:30 and 06:30 UTC): open both times;
    # 3:30 AM EST (08:30 UTC) still open, 4:30 AM EST (09:30 UTC) closed.
    for moment in ("05:30", "06:30", "08:30"):
        assert "Saturday Night Line" in names(near="03301", open_at=f"2026-11-01T{moment}:00Z")
    assert "Saturday Night Line" not in names(near="03301", open_at="2026-11-01T09:30:00Z")
