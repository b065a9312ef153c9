from datetime import datetime

import numpy as np
import pytest
from django.test import Client
from django.utils import timezone

from alongside.directory import geo
from alongside.directory.forms import SearchForm
from alongside.directory.models import SearchEntry, Service
from alongside.directory.search import services_search


def search(**params):
    response = Client().get("/api/v1/search", params)
    assert response.status_code == 200, response.json()
    return response.json()


def test_near_a_zip_sorts_by_distance(sample):
    found = search(near="03301")
    distances = [r["distance_miles"] for r in found["results"] if r["distance_miles"] is not None]
    assert distances == sorted(distances) and distances[0] < 5
    assert all(d <= 25 for d in distances)


def test_distances_are_great_circle_miles_and_the_radius_holds(sample):
    form = SearchForm({"near": "03301", "radius": "12", "per_page": "100"})
    assert form.is_valid()
    place = form.place
    nearest: dict[str, float] = {}
    for entry in SearchEntry.objects.filter(visible=True, area_scope="", latitude__isnull=False):
        miles = geo.miles_between(place.latitude, place.longitude, entry.latitude, entry.longitude)
        nearest[entry.service_id.hex] = min(miles, nearest.get(entry.service_id.hex, miles))
    found = services_search(form.params()).results
    placed = {r.service_id.hex: r.distance_miles for r in found if r.distance_miles is not None}
    assert set(placed) == {s for s, miles in nearest.items() if miles <= 12}
    assert all(abs(placed[s] - nearest[s]) < 1e-9 for s in placed)


def test_sorted_by_name_near_a_place_is_in_whole_name_order(sample, django_assert_num_queries):
    # Buckets keep eight bytes of each name; "Concord …" and "Monadnock …" need the rest.
    # The buckets, whole names, the page's rows, phones (the county facet is in the buckets).
    with django_assert_num_queries(4):
        found = search(near="03301", radius=100, sort="name", per_page=100)["results"]
    names = [r["name"].casefold() for r in found]
    assert len(names) > 20 and names == sorted(names)
    assert len({n[:8] for n in names}) < len(names)


def test_town_name_resolves_offline(sample):
    assert search(near="Keene, NH")["results"][0]["town"] == "Keene"


@pytest.mark.parametrize("near", ["keene nh", "Keene, New Hampshire", "KEENE NEW HAMPSHIRE"])
def test_a_town_is_found_without_a_comma_or_with_the_state_in_full(sample, near):
    assert search(near=near)["results"][0]["town"] == "Keene"


def test_statewide_virtual_services_appear_anywhere_in_the_state(sample):
    found = search(near="03570", type="warm_line")  # Berlin, far north
    names = {r["name"] for r in found["results"]}
    assert "Granite State Peer Warm Line" in names
    assert all(r["distance_miles"] is None for r in found["results"])


def test_county_limited_virtual_service_stays_in_its_counties(sample):
    north = {r["name"] for r in search(near="03570", type="family_support")["results"]}
    south = {r["name"] for r in search(near="03101", type="family_support")["results"]}
    assert "North Country Family Support Line" in north
    assert "North Country Family Support Line" not in south


def _ids(found):
    return {r["service_id"] for r in found["results"]}


@pytest.mark.parametrize("moment", ["2026-12-07T10:00:00-05:00", "2026-12-25T03:00:00-05:00"])
def test_results_found_open_are_those_open_then_and_say_so(sample, moment):
    from alongside.directory.hours import open_state, rows_of_json

    def is_open(service_id, at):
        entry = SearchEntry.objects.filter(service_id=service_id).first()
        return open_state(rows_of_json(entry.hours), entry.timezone_name, at).open_now

    before = timezone.now()
    every = search(near="03301", radius=100, per_page=100)
    after = timezone.now()
    found = search(near="03301", radius=100, per_page=100, open_at=moment)
    then = datetime.fromisoformat(moment)
    open_then = {r["service_id"] for r in every["results"] if is_open(r["service_id"], then)}
    assert 0 < len(open_then) < every["total"] <= 100
    assert _ids(found) == open_then
    assert {(r["open_now"], r["next_open"]) for r in found["results"]} == {(True, None)}
    # And a search that keeps closed listings says which are open now (a minute's turn aside).
    for result in every["results"]:
        if (now := is_open(result["service_id"], before)) == is_open(result["service_id"], after):
            assert result["open_now"] is now, result["name"]


def test_several_counties_combine_with_or(sample):
    coos, sullivan = (_ids(search(county=c, per_page=100)) for c in ("Coos", "Sullivan"))
    assert coos - sullivan and sullivan - coos
    assert _ids(search(county=["Coos", "Sullivan"], per_page=100)) == coos | sullivan
    assert _ids(search(county="coos county", per_page=100)) == coos


def test_several_counties_near_a_place_keep_to_the_place_and_the_counties(sample):
    def near_berlin(county):
        return _ids(search(near="03570", radius=200, county=county, per_page=100))

    coos, sullivan = near_berlin("Coos"), near_berlin("Sullivan")
    both = search(near="03570", radius=200, county=["Sullivan", "Coos"], per_page=100)
    assert _ids(both) == coos | sullivan and coos - sullivan and sullivan - coos
    # Covers Coos, where Berlin is; not Sullivan.
    assert "North Country Family Support Line" in {r["name"] for r in both["results"]}


def test_counties_may_be_given_in_one_box_separated_by_commas(sample):
    several = _ids(search(county=["Coos", "Sullivan"], per_page=100))
    assert _ids(search(county="Coos, Sullivan", per_page=100)) == several


def test_a_county_followed_by_its_state_is_that_state_s_only(sample):
    from alongside.directory.indexing import service_index
    from alongside.directory.models import Address, Location

    # A listing moved to Oregon's Coos County: "Coos" finds it, "Coos County, NH" does not.
    place = Location.objects.filter(county="Coos County", location_type="physical").first()
    Address.objects.filter(location=place).update(state_province="OR", postal_code="97420")
    moved = place.service_at_locations.get().service
    service_index(moved)
    assert str(moved.pk) in _ids(search(county="Coos", per_page=100))
    assert str(moved.pk) in _ids(search(county="Coos County, OR", per_page=100))
    new_hampshire = _ids(search(county="Coos County, NH", per_page=100))
    assert new_hampshire and str(moved.pk) not in new_hampshire
    # Its state in full, too; and a state without such a county is said to be unknown.
    assert _ids(search(county="coos county, New Hampshire", per_page=100)) == new_hampshire
    response = Client().get("/api/v1/search", {"county": "Merrimack County, OR"})
    assert response.status_code == 400 and "county" in response.json()["errors"]


def test_the_page_searches_every_county_of_a_shared_link_and_keeps_them(sample):
    response = Client().get("/find/", {"county": ["Coos", "Sullivan"], "per_page": 100})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Lancaster" in body and "Claremont" in body
    assert 'value="Coos, Sullivan"' in body


def test_an_unknown_county_is_named_plainly_on_the_page(db):
    response = Client().get("/find/", {"county": "Atlantis"})
    assert response.status_code == 400
    assert "We do not know a county called “Atlantis”" in response.content.decode()


def test_values_of_one_filter_or_and_filters_and(sample):
    either = search(type=["warm_line", "peer_respite"])["total"]
    assert either == search(type="warm_line")["total"] + search(type="peer_respite")["total"]
    both = search(type="warm_line", language="es")
    assert [r["name"] for r in both["results"]] == ["Línea Cálida en Español (sample)"]


def test_facets_count_under_the_other_filters(sample):
    found = search(type="warm_line", language="es")
    assert found["facets"]["type"]["warm_line"] == 1  # counts ignore the type filter itself...
    assert found["facets"]["language"]["en"] == 4  # ...and the language counts ignore language


def test_facets_count_only_what_is_open_when_open_now_is_asked(sample):
    sunday_3am = "2026-11-29T03:00:00-05:00"
    everything = search(near="03301", radius="200", per_page="100")
    found = search(near="03301", radius="200", per_page="100", open_at=sunday_3am)
    assert 0 < found["total"] < everything["total"]
    open_types = [t for r in found["results"] for t in r["types"]]
    assert found["facets"]["type"] == {t: open_types.count(t) for t in sorted(set(open_types))}


def test_search_is_open_to_any_origin_and_answers_304_when_unchanged(sample):
    first = Client().get("/api/v1/search", {"near": "03301"})
    assert first["Access-Control-Allow-Origin"] == "*" and first["ETag"]
    again = Client().get(
        "/api/v1/search", {"near": "03301"}, headers={"if-none-match": first["ETag"]}
    )
    assert again.status_code == 304 and again.content == b""
    for wrong in ({"near": "Atlantis"}, {"per_page": "many"}):  # the form's, and the schema's
        refused = Client().get("/api/v1/search", wrong)
        assert refused.status_code == 400 and refused["Access-Control-Allow-Origin"] == "*"


def test_keyword_search_is_stemmed(sample):
    names = [r["name"] for r in search(q="meetings")["results"]]
    assert "Online Recovery Meetings Any Hour" in names
    assert search(q="recovering")["total"] > 0


def test_open_at_answers_in_local_time_with_holidays(sample):
    monday_10am = "2026-11-23T10:00:00-05:00"
    thanksgiving_10am = "2026-11-26T10:00:00-05:00"
    open_monday = {r["name"] for r in search(open_at=monday_10am, type="drop_in_center")["results"]}
    open_holiday = search(open_at=thanksgiving_10am, type="drop_in_center")["results"]
    assert open_monday and open_holiday == []


def test_closed_result_says_when_it_opens(sample):
    monday_10am = "2026-11-23T10:00:00-05:00"
    found = search(q="Concord Evening Group", open_at=monday_10am)
    assert found["total"] == 0
    group = search(q="Concord Evening Group")["results"][0]
    assert group["open_now"] in (True, False)
    if group["open_now"] is False:
        assert datetime.fromisoformat(group["next_open"]).hour in (18, 23)  # 6 p.m. local


def test_defunct_and_long_unverified_services_never_appear(sample):
    names = {r["name"] for r in search(per_page=100)["results"]}
    assert not any("closed" in n for n in names)
    stale = Service.objects.filter(verified_on__isnull=False).order_by("verified_on").first()
    assert stale.name not in names


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"near": "99999"}, "near"),
        ({"near": "Atlantis, NH"}, "near"),
        ({"per_page": "101"}, "per_page"),
        ({"type": "nonsense"}, "type"),
        ({"radius": "far"}, "radius"),
        ({"open_at": "tuesday"}, "open_at"),
        ({"county": "Atlantis"}, "county"),
        ({"county": ["Coos", "Atlantis"]}, "county"),
        ({"county": "x" * 81}, "county"),
        ({"open_now": "yes"}, "open_now"),
        ({"open_now": "maybe"}, "open_now"),
    ],
)
def test_bad_parameters_answer_400_naming_the_field(db, params, field):
    response = Client().get("/api/v1/search", params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


@pytest.mark.parametrize(
    ("value", "flag"),
    [("1", True), ("true", True), ("True", True), ("0", False), ("false", False), ("", False)],
)
def test_open_now_takes_one_or_true_and_zero_or_false(value, flag):
    form = SearchForm({"open_now": value})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["open_now"] is flag


def test_the_page_keeps_open_now_ticked_only_when_asked(db):
    def ticked(**params):
        body = Client().get("/find/", params).content.decode()
        return 'name="open_now" id="id_open_now" value="1" checked' in body

    assert ticked(open_now="1") and not ticked(open_now="0") and not ticked()


def test_area_wide_results_have_no_town(sample):
    found = search(near="03570", type="warm_line")["results"]
    assert found and all(r["town"] is None for r in found)
    schemas = Client().get("/api/openapi.json").json()["components"]["schemas"]
    town = next(s["properties"]["town"] for n, s in schemas.items() if n.endswith("ResultOut"))
    assert {"type": "null"} in town["anyOf"]


def test_result_shape(sample):
    result = search(near="03301")["results"][0]
    assert set(result) == {
        "service_id",
        "name",
        "organization_name",
        "types",
        "formats",
        "distance_miles",
        "open_now",
        "next_open",
        "verified_on",
        "town",
    }


@pytest.mark.parametrize(
    "params",
    [
        {"near": "03301", "open_now": "1", "per_page": 100},
        {"near": "03301", "q": "peer", "per_page": 100},
        {"q": "peer", "per_page": 100},
        {"county": "Coos", "per_page": 100},
        {"county": ["Coos", "Sullivan", "Grafton"], "near": "03570", "per_page": 100},
    ],
)
def test_query_count_is_constant(sample, params, django_assert_max_num_queries):
    # The search buckets, or for keywords alone full-text (title, then anywhere; on PostgreSQL
    # each a probe of the first rows, then the index) and the search rows of the best; then the
    # page's search rows with their services, and their phones; and, when the first bytes
    # of names cannot order the page, their whole names; the county facet; and the
    # search synonyms (``core.synonyms.synonym_groups``) when the cache does not hold them.
    with django_assert_max_num_queries(10):
        Client().get("/api/v1/search", params)


@pytest.mark.parametrize("q", ["meetings", "recovering", "families", "warm line", "spanish"])
def test_keywords_near_a_place_find_what_keywords_alone_find_there(sample, q):
    # Near a place, keywords are matched against stems kept with each listing; alone, the
    # full-text index answers. A wide radius over New Hampshire must agree with both.
    alone = {r["name"] for r in search(q=q, per_page=100)["results"]}
    there = {r["name"] for r in search(near="03301", radius=500, per_page=100)["results"]}
    near = {r["name"] for r in search(q=q, near="03301", radius=500, per_page=100)["results"]}
    assert near and near == alone & there


def test_keywords_near_a_place_rank_title_matches_first(sample):
    found = search(q="warm line", near="03301", sort="relevance", per_page=100)["results"]
    in_title = ["warm line" in r["name"].lower() for r in found]
    assert in_title[0] and in_title == sorted(in_title, reverse=True)


def test_a_search_without_a_place_is_bounded_and_says_so(sample, settings):
    settings.DIRECTORY_SEARCH_LIMIT = 5
    browse = search()
    assert browse["limited"] and browse["total"] == 5
    assert search(q="peer")["limited"]
    assert not search(near="03301")["limited"]
    settings.DIRECTORY_SEARCH_LIMIT = 1000
    assert not search()["limited"] and search()["total"] > 5


def test_the_page_says_when_a_search_was_bounded(sample, settings):
    settings.DIRECTORY_SEARCH_LIMIT = 5
    page = Client().get("/find/", {"type": "peer_group"}).content.decode()
    assert "looked at the first 5 listings only" in page


def test_whole_names_are_read_in_chunks(sample, monkeypatch, django_assert_num_queries):
    from alongside.directory.search import engine as search

    entries = list(SearchEntry.objects.order_by("id")[:5])
    monkeypatch.setattr(search, "_ENTRIES_PER_QUERY", 2)
    with django_assert_num_queries(3):
        names = search._names_of_entries(np.array([e.id for e in entries]))
    assert names == [e.name.casefold().encode()[:48] for e in entries]
