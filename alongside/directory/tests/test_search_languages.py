"""Search by any language a listing gives: the ten offered as boxes have a bit each; every
other shares a spare bit with others, and the rows' tags tell them apart."""

import itertools
import string

import pytest
from django.test import Client

from alongside.directory.indexing import service_index
from alongside.directory.models import Language, Location
from alongside.directory.search.buckets import BIT_OF_TAG, language_bit
from alongside.directory.tests.test_search_buckets import physical_service_near_concord


def search(**params):
    response = Client().get("/api/v1/search", {"per_page": 100, **params})
    assert response.status_code == 200, response.json()
    return response.json()


def two_codes_sharing_a_bit() -> tuple[str, str]:
    codes = ("".join(pair) for pair in itertools.product(string.ascii_lowercase, repeat=2))
    first_of_bit: dict[int, str] = {}
    for code in codes:
        if f"language:{code}" in BIT_OF_TAG:
            continue
        bit = language_bit(code)
        if bit in first_of_bit:
            return first_of_bit[bit], code
        first_of_bit[bit] = code
    raise AssertionError("every code has a bit of its own")


def speaks(service, code):
    place = Location.objects.get(service_at_locations__service=service, location_type="physical")
    Language.objects.create(location=place, code=code)
    service_index(service)


@pytest.fixture
def two_services(sample):
    first = physical_service_near_concord()
    second = (
        type(first)
        .objects.filter(service_at_locations__location__addresses__postal_code="03301")
        .exclude(service_at_locations__location__location_type="virtual")
        .exclude(pk=first.pk)
        .first()
    )
    return first, second


def test_a_language_without_a_box_is_found_exactly(two_services):
    german, other = two_services
    ours, theirs = two_codes_sharing_a_bit()
    assert language_bit(ours) == language_bit(theirs)
    speaks(german, ours)
    speaks(other, theirs)  # shares the bit: must not be found for ``ours``
    found = search(near="03301", language=ours)
    assert [r["name"] for r in found["results"]] == [german.name]
    assert found["total"] == 1
    assert found["facets"]["language"][ours] == 1
    assert theirs not in found["facets"]["language"]
    # With a language that has a box of its own, either one is enough (OR).
    both = search(near="03301", language=[ours, "en"])
    assert german.name in {r["name"] for r in both["results"]}
    assert both["total"] > 1
    assert both["facets"]["language"][ours] == 1


def test_a_search_for_such_a_language_reads_its_rows_tags_in_one_more_query(
    two_services, django_assert_num_queries
):
    service, _other = two_services
    speaks(service, "de")
    # The buckets, the tags of the rows with its bit, the page's rows, their phones.
    with django_assert_num_queries(4):
        found = search(near="03301", language="de")
    assert found["total"] == 1


def test_a_language_code_is_read_in_any_case(two_services):
    service, _other = two_services
    speaks(service, "de")
    assert [r["name"] for r in search(near="03301", language="DE")["results"]] == [service.name]


def test_other_filters_narrow_the_count_of_such_a_language(two_services):
    service, _other = two_services
    speaks(service, "de")
    kinds = search(near="03301", language="de")["results"][0]["types"]
    unlike = next(
        code
        for code in ("warm_line", "peer_respite", "online_support", "peer_specialist")
        if code not in kinds
    )
    found = search(near="03301", language="de", type=unlike)
    assert found["total"] == 0
    assert "de" not in found["facets"]["language"]
    assert found["facets"]["type"][kinds[0]] == 1  # the type counts ignore the type asked


@pytest.mark.parametrize("code", ["x1", "deutsch", "e"])
def test_a_code_of_the_wrong_shape_is_refused_naming_the_field(db, code):
    response = Client().get("/api/v1/search", {"language": code})
    assert response.status_code == 400
    assert "language" in response.json()["errors"]


def test_the_page_keeps_the_language_asked_as_a_ticked_box(two_services):
    service, _other = two_services
    speaks(service, "de")
    page = Client().get("/find/", {"near": "03301", "language": "de"}).content.decode()
    assert 'value="de" id="f-language-de" checked' in page
    # Named, with its count like every box.
    assert '>German<span class="count" id="n-language-de">' in page
    assert service.name in page
    refused = Client().get("/find/", {"near": "03301", "language": "x1"})
    assert refused.status_code == 400
    assert "is not a language code" in refused.content.decode()
