import json
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from alongside.directory import geo
from alongside.directory.models import Address, Contact, Phone, Service

LISTS = ["/services", "/services?full=true", "/organizations", "/service_at_locations"]
LISTS += ["/taxonomies", "/taxonomy_terms"]


def get(path: str, **headers):
    return Client().get(f"/api/hsds{path}", headers=headers)


def test_the_public_api_is_described_in_one_document(sample):
    document = Client().get("/api/openapi.json")
    paths = document.json()["paths"]
    assert "/api/hsds/services/{service_id}" in paths and "/api/v1/search" in paths
    assert not any(p.startswith("/api/v1/participants") for p in paths)
    assert document["Access-Control-Allow-Origin"] == "*"


def test_api_info_gives_version_and_openapi_document(sample):
    info = get("/").json()
    assert info["version"] == "3.0"
    assert info["openapi_url"].endswith("/api/hsds/openapi.json")
    assert "/api/hsds/services/{service_id}" in get("/openapi.json").json()["paths"]


def test_services_are_paged_the_hsds_way(sample):
    active = Service.objects.filter(status="active").count()
    page = get("/services?page=2&per_page=5").json()
    assert (page["total_items"], page["total_pages"]) == (active, -(-active // 5))
    assert (page["page_number"], page["size"], len(page["contents"])) == (2, 5, 5)
    assert not page["first_page"] and not page["last_page"] and not page["empty"]
    assert get(f"/services?page={active + 1}&per_page=1").json()["empty"]


def test_only_active_services_are_shown(sample):
    defunct = Service.objects.get(status="defunct")
    names = [s["name"] for s in get("/services?per_page=200").json()["contents"]]
    assert defunct.name not in names
    assert get(f"/services/{defunct.id}").status_code == 404


@pytest.mark.parametrize("query", ["page=0", "per_page=0", "per_page=1000", "per_page=abc"])
def test_bad_paging_is_400(sample, query):
    response = get(f"/services?{query}")
    assert response.status_code == 400 and response.json()["errors"]


@pytest.mark.parametrize(
    "path", ["/services/{}", "/organizations/{}", "/service_at_locations/{}", "/taxonomy_terms/{}"]
)
def test_unknown_ids_are_404(sample, path):
    assert get(path.format(uuid.uuid4())).status_code == 404
    assert get(path.format("not-an-id")).status_code == 404


@pytest.mark.parametrize(
    "path", ["/", *LISTS, "/services/nope", "/services?page=0", "/openapi.json"]
)
def test_every_answer_allows_any_origin(sample, path):
    assert get(path)["Access-Control-Allow-Origin"] == "*"


def test_matching_etag_answers_304(sample):
    first = get("/services?per_page=3")
    assert first["ETag"] and first["Last-Modified"]
    again = get("/services?per_page=3", if_none_match=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"] and again["Access-Control-Allow-Origin"] == "*"
    assert get("/services?per_page=3", if_none_match='"stale"').status_code == 200


def test_a_date_alone_never_answers_304_for_the_list_can_change_without_one(sample):
    first = get("/services?per_page=3")
    gone = first.json()["contents"][0]["id"]
    Service.objects.filter(pk=gone).update(status="inactive")  # leaves the list; no new date
    again = get("/services?per_page=3", if_modified_since=first["Last-Modified"])
    assert again.status_code == 200 and again["Last-Modified"] == first["Last-Modified"]
    assert gone not in {s["id"] for s in again.json()["contents"]}
    assert get("/services?per_page=3", if_none_match=first["ETag"]).status_code == 200


def test_if_none_match_wins_over_if_modified_since(sample):
    first = get("/services?per_page=3")
    headers = {"if_none_match": '"stale"', "if_modified_since": first["Last-Modified"]}
    assert get("/services?per_page=3", **headers).status_code == 200


def test_a_bad_if_modified_since_is_ignored(sample):
    assert get("/services?per_page=3", if_modified_since="yesterday").status_code == 200


PUBLIC = ["/api/hsds/", "/api/hsds/services", "/api/hsds/services/{id}", "/api/hsds/openapi.json"]
PUBLIC += ["/api/hsds/taxonomy_terms", "/api/v1/search", "/api/openapi.json"]


def preflight(path: str, **headers):
    path = path.format(id=_any_service_id())
    return Client().options(
        path,
        headers={
            "origin": "https://211.example.org",
            "access-control-request-method": "GET",
            "access-control-request-headers": "if-none-match, if-modified-since",
            **headers,
        },
    )


@pytest.mark.parametrize("path", PUBLIC)
def test_a_browser_may_ask_first_from_any_origin(sample, path):
    answer = preflight(path)
    assert answer.status_code == 204 and answer.content == b""
    assert answer["Access-Control-Allow-Origin"] == "*"
    assert answer["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    allowed = {h.strip().lower() for h in answer["Access-Control-Allow-Headers"].split(",")}
    assert {"if-none-match", "if-modified-since"} <= allowed
    assert int(answer["Access-Control-Max-Age"]) >= 600


def test_the_token_api_stays_closed_to_other_origins(sample):
    answer = preflight("/api/v1/me", access_control_request_headers="authorization")
    assert answer.status_code >= 400 and "Access-Control-Allow-Origin" not in answer


def _any_service_id() -> str:
    return str(Service.objects.filter(status="active").order_by("name").first().id)


@pytest.mark.parametrize("path", LISTS)
def test_lists_take_a_fixed_number_of_queries(sample, path, django_assert_max_num_queries):
    # The small page has contacts too, or their phones' queries would be left out of its count.
    for service in Service.objects.filter(status="active").order_by("name")[:2]:
        contact = Contact.objects.create(service=service, name="Front desk (sample)")
        Phone.objects.create(contact=contact, number="603-555-0199")
    joiner = "&" if "?" in path else "?"
    with CaptureQueriesContext(connection) as small:
        get(f"{path}{joiner}per_page=2")
    with django_assert_max_num_queries(len(small.captured_queries)):
        get(f"{path}{joiner}per_page=200")


def test_service_detail_validates_against_the_hsds_schema(sample, kit):
    from jsonschema import Draft202012Validator

    schema = json.loads((kit / "schema/compiled/service.json").read_text())
    for service in Service.objects.filter(status="active")[:5]:
        document = get(f"/services/{service.id}").json()
        assert list(Draft202012Validator(schema).iter_errors(document)) == []


@pytest.mark.parametrize(
    ("path", "schema"),
    [
        ("/services", "service_list"),
        ("/organizations", "organization_list"),
        ("/service_at_locations", "service_at_location_list"),
    ],
)
def test_list_items_validate_against_the_hsds_schemas(sample, kit, path, schema):
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(
        json.loads((kit / f"schema/compiled/{schema}.json").read_text())
    )
    contents = get(f"{path}?per_page=200").json()["contents"]
    assert contents and [e.message for c in contents for e in validator.iter_errors(c)] == []


def test_confidential_address_is_never_shown(sample):
    hidden = Address.objects.select_related("location").get(location__address_confidential=True)
    service = hidden.location.service_at_locations.get().service
    detail = get(f"/services/{service.id}").content.decode()
    places = get("/service_at_locations?per_page=200").content.decode()
    town = geo.town_place(hidden.city, hidden.state_province)
    for text in (detail, places):
        assert hidden.address_1 not in text and str(hidden.location.latitude) not in text
        assert f'"latitude": {town.latitude}' in text
    assert hidden.city in detail
