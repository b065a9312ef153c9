"""Searches as a new user types them: towns without a state, addresses, ambiguous towns,
everyday words, and what a search that finds nothing still offers."""

import pytest
from django.test import Client, override_settings

from alongside.core.synonyms import (
    Reading,
    expand_terms,
    read_query,
    synonym_groups,
    with_plain_words,
)
from alongside.directory import geo
from alongside.directory.taxonomy import filter_codes


def api(**params) -> dict:
    response = Client().get("/api/v1/search", {"per_page": 100, **params})
    assert response.status_code == 200, response.json()
    return response.json()


def page(**params):
    return Client().get("/find/", params)


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("Keene", "Keene, NH"),
        ("Nashua", "Nashua, NH"),
        ("concord", "Concord, NH"),
        ("Keene NH 03431", "Keene, NH 03431"),
        ("123 Main St, Concord, NH", "Concord, NH"),
        ("123 Main St, Concord, NH 03301", "Concord, NH 03301"),
        ("12 Elm Street Keene NH", "Keene, NH"),
        ("Boise", "Boise, ID"),  # the only one of its name
    ],
)
def test_places_people_type_are_read(typed, label):
    assert geo.resolve_place(typed, "NH").label == label


def test_a_town_without_a_state_is_read_in_the_home_state_first():
    assert geo.resolve_place("Concord", "MA").label == "Concord, MA"
    others = [t.label for t in geo.other_towns(geo.resolve_place("Concord", "NH"), "Concord", "NH")]
    assert others[0] == "Concord, MA"  # the nearest other state first
    assert "Concord, NH" not in others


def test_a_town_in_several_other_states_asks_which():
    with pytest.raises(geo.PlaceAmbiguous) as asked:
        geo.resolve_place("Portland", "NH")
    assert asked.value.towns[0].label == "Portland, ME"


def test_the_api_names_the_other_towns_of_the_name(sample):
    assert api(near="Concord")["other_places"][0] == "Concord, MA"
    assert api(near="Concord, NH")["other_places"] == []


def test_the_page_offers_the_other_towns_of_the_name(sample):
    response = page(near="Concord")
    assert response.status_code == 200
    text = response.content.decode()
    assert "near Concord, NH" in text
    assert "Did you mean" in text and "near=Concord%2C+MA" in text


@override_settings(DIRECTORY_HOME_STATE="NH")
def test_an_ambiguous_town_is_a_choice_not_a_dead_end(sample):
    response = page(near="Portland")
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is more than one" in text
    assert "near=Portland%2C+ME" in text
    assert 'href="tel:988"' in text


def test_a_place_that_cannot_be_read_still_offers_a_way_forward(sample):
    response = page(near="Nowhere Special Place")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Other ways to find support" in text
    assert "Recovery Check-In Calls (sample)" in text  # by phone, for the whole state
    assert "format=phone" in text
    assert 'href="tel:988"' in text


def test_an_empty_result_offers_a_wider_circle_the_state_and_the_crisis_line(sample):
    response = page(near="03301", radius="10", q="xylophone")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Nothing matches" in text
    assert "Search within 25 miles instead" in text and "radius=25" in text
    assert "Recovery Check-In Calls (sample)" in text
    assert 'href="tel:988"' in text
    assert "Other ways to find support" not in page(near="03301").content.decode()


@pytest.mark.django_db
def test_every_synonym_group_reads_as_its_filters():
    # The shipped groups (content/synonyms.yaml, seeded by migrations core.0008 and 0009).
    groups = [group for group in synonym_groups() if group.codes]
    assert {group.key for group in groups} >= {
        "alcohol",
        "drugs",
        "mutual-help-meetings",
        "medication",
        "mental-health",
        "family",
        "recovery-housing",
        "deaf-hard-of-hearing",
        "unhoused",
        "reentry",
        "pregnant-parenting",
        "veterans",
        "wheelchair",
    }
    for group in groups:
        for word in group.words:
            reading = read_query(f"help with {word}")
            assert set(group.codes) <= set(reading.codes), word
            assert reading.rest == "", word


@pytest.mark.django_db
def test_every_code_of_a_group_is_a_filter():
    codes = {code for group in synonym_groups() for code in group.codes}
    assert codes and codes <= filter_codes()


@pytest.mark.django_db
def test_words_that_are_no_synonym_are_left_alone():
    reading = read_query("Concord warm line")
    assert (reading.rest, reading.codes) == ("Concord warm line", ())
    reading = read_query("my son uses drugs")
    assert set(reading.codes) == {"population:families", "focus:substance_use"}
    assert reading.rest == ""
    assert read_query("sober house").codes == ("type:recovery_housing",)
    # A group without filters only widens text searches: its words stay in the query.
    assert read_query("suicide hotline") == Reading("suicide hotline", (), ())


@pytest.mark.django_db
def test_the_plain_words_of_everyday_words():
    assert with_plain_words("alcohol") == "substance use"
    assert with_plain_words("AA meetings") == "peer-led groups"
    assert with_plain_words("warm line") == "warm line"


@pytest.mark.django_db
def test_the_groups_are_read_once_then_from_the_cache(django_assert_num_queries):
    with django_assert_num_queries(1):
        read_query("alcohol")
    with django_assert_num_queries(0):
        assert read_query("alcohol").codes == ("focus:substance_use",)
        expand_terms(["alcohol"])


@pytest.mark.parametrize(
    ("typed", "group", "codes"),
    [
        ("alcohol", "focus", {"substance_use", "co_occurring"}),
        ("AA", "type", {"peer_group"}),
        ("suboxone", "pathways", {"mat_welcome", "all_pathways"}),
        ("depression", "focus", {"mental_health", "co_occurring"}),
    ],
)
def test_everyday_words_find_listings(sample, typed, group, codes):
    found = api(q=typed, near="03301") if group != "pathways" else api(q=typed)
    assert found["total"] > 0, typed
    again = api(**{group: sorted(codes)}, **({"near": "03301"} if group != "pathways" else {}))
    assert {r["service_id"] for r in found["results"]} == {
        r["service_id"] for r in again["results"]
    }


def test_my_son_uses_drugs(sample):
    found = api(q="my son uses drugs", near="03301", radius="50")
    assert found["total"] > 0
    text = page(q="my son uses drugs", near="03301", radius="50").content.decode()
    assert "Searching for" in text


def test_back_to_search_keeps_the_search(sample):
    listing = api(near="03301", type="peer_group")["results"][0]["service_id"]
    response = Client().get(f"/find/{listing}/", {"back": "near=03301&type=peer_group"})
    assert 'href="/find/?near=03301&amp;type=peer_group"' in response.content.decode()
    page_text = page(near="03301", type="peer_group").content.decode()
    assert f"/find/{listing}/?back=near%3D03301%26type%3Dpeer_group" in page_text
