from datetime import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from alongside.directory.models import (
    Address,
    Language,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
)


def test_search_page_without_javascript(sample):
    response = Client().get("/find/", {"near": "03301", "type": "warm_line"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'role="status"' in body and "places found near Concord" in body
    assert 'href="tel:' in body and 'href="sms:' in body
    assert response.cookies == {}


def _contact(body: str, service: Service) -> str:
    """The result's own part of a page of results."""
    start = body.index(f'href="/find/{service.id}/')  # then ?back= the search
    return body[start : body.index("</li>", start)]


def test_a_result_offers_a_number_to_call_and_never_a_fax(sample):
    line = Service.objects.get(name="Granite State Peer Warm Line")
    phone = line.phones.get()
    Phone.objects.create(service=line, number="603-555-0100", type=Phone.PhoneType.FAX)
    only_fax = Service.objects.exclude(pk=line.pk).filter(status="active").first()
    only_fax.phones.all().delete()
    Phone.objects.create(service=only_fax, number="603-555-0101", type=Phone.PhoneType.FAX)
    body = Client().get("/find/", {"near": "03301", "per_page": 100}).content.decode()
    assert f"Call {phone.number}" in _contact(body, line)
    assert "603-555-0100" not in body
    assert 'href="tel:' not in _contact(body, only_fax)


def test_a_search_at_another_time_says_which(sample):
    body = Client().get("/find/", {"near": "03301", "open_at": "2026-11-23T10:00:00-05:00"})
    assert "that are open at Mon 23 Nov, 10:00 AM" in body.content.decode()


def test_htmx_request_gets_only_the_results(sample):
    body = Client().get("/find/", {"near": "03301"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in body and 'class="results"' in body


def test_a_live_update_also_brings_the_count_and_each_filters_count(sample):
    params = {"near": "03301", "type": "peer_respite"}
    body = Client().get("/find/", params, HTTP_HX_REQUEST="true").content.decode()
    assert '<p id="result-count" hx-swap-oob="innerHTML">1 place found near Concord' in body
    assert '<span id="n-format-in_person" hx-swap-oob="innerHTML">&nbsp;(1)' in body
    # Into the live region and the counts the page loaded with.
    page = Client().get("/find/", {"near": "03301"}).content.decode()
    assert 'id="result-count" role="status"' in page
    assert 'id="n-format-in_person">&nbsp;(10)' in page


def test_a_live_update_for_an_unknown_place_says_what_to_type(db):
    response = Client().get("/find/", {"near": "99999"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 400
    assert "We could not find “99999”" in body and "Please check the search" in body
    assert 'id="n-format-in_person" hx-swap-oob="innerHTML">&nbsp;(' not in body  # as without JS


FIELDS_WITH_ERRORS = ("q", "near", "radius", "county", "sort")


def test_a_live_update_brings_each_fields_own_error_out_of_band(db):
    params = {"near": "99999", "county": "Atlantis"}
    wrong = Client().get("/find/", params, HTTP_HX_REQUEST="true").content.decode()
    assert (
        '<div id="id_near_error" hx-swap-oob="innerHTML"><span class="field-error">We could'
        in wrong
    )
    assert (
        'id="id_county_error" hx-swap-oob="innerHTML"><span class="field-error">We do not' in wrong
    )
    # A search that is right empties them all, so no error is left standing beside a field.
    right = Client().get("/find/", {"near": "03301"}, HTTP_HX_REQUEST="true").content.decode()
    for name in FIELDS_WITH_ERRORS:
        assert f'<div id="id_{name}_error" hx-swap-oob="innerHTML"></div>' in right


def test_each_fields_error_has_its_place_from_page_load(db):
    page = Client().get("/find/").content.decode()
    for name in FIELDS_WITH_ERRORS:
        assert (
            f'<div class="field-errors" id="id_{name}_error" data-field="id_{name}"></div>' in page
        )
    wrong = Client().get("/find/", {"near": "99999"}).content.decode()
    assert 'aria-invalid="true" aria-describedby="id_near_helptext id_near_error"' in wrong
    assert 'id="id_near_error" data-field="id_near"><span class="field-error">We could' in wrong


def test_unknown_place_says_what_to_type(db):
    response = Client().get("/find/", {"near": "Atlantis"})
    assert response.status_code == 400
    assert "Try a 5-digit ZIP code such as 03301" in response.content.decode()


def test_the_filters_asked_for_stay_checked_when_the_place_is_wrong(db):
    response = Client().get("/find/", {"near": "Atlantis", "type": "warm_line", "language": "es"})
    body = response.content.decode()
    assert response.status_code == 400
    assert 'value="warm_line" aria-describedby="d-type-warm_line" checked' in body
    assert 'value="es" id="f-language-es" checked' in body
    assert 'value="peer_group" aria-describedby="d-type-peer_group" checked' not in body


def test_warm_line_listing_says_it_is_not_a_crisis_line(sample):
    service = Service.objects.get(name="Granite State Peer Warm Line")
    body = Client().get(f"/find/{service.id}/").content.decode()
    assert "It is not a crisis line" in body and 'href="tel:988"' in body


def test_confidential_address_shows_only_the_town(sample):
    service = Service.objects.get(name="Quiet Harbor Peer Respite House")
    address = service.service_at_locations.get().location.addresses.get()
    body = Client().get(f"/find/{service.id}/").content.decode()
    assert address.address_1 not in body
    assert "In Concord. The address is shared when you get in touch." in body
    api = Client().get("/api/v1/search", {"q": "respite"}).content.decode()
    assert address.address_1 not in api


def test_listing_shows_its_contacts_and_their_numbers(sample):
    service = Service.objects.get(name="Quiet Harbor Peer Respite House")
    phone = Phone.objects.get(contact__service=service)
    body = Client().get(f"/find/{service.id}/").content.decode()
    assert "Intake coordinator (sample)" in body and f'href="tel:{phone.dial}"' in body


def test_listing_shows_hours_verification_and_other_services(sample):
    service = Service.objects.filter(verified_on__isnull=False, name__contains="Drop-In").first()
    body = Client().get(f"/find/{service.id}/").content.decode()
    assert "Verified on" in body and "hours__today" in body
    assert f"More from {service.organization.name}" in body


def test_stale_listing_explains_why_it_is_hidden(sample):
    service = Service.objects.exclude(verified_on=None).order_by("verified_on").first()
    body = Client().get(f"/find/{service.id}/").content.decode()
    assert "no longer shows in search" in body


def test_unknown_or_defunct_listing_is_404(sample):
    defunct = Service.objects.get(status="defunct")
    assert Client().get(f"/find/{defunct.id}/").status_code == 404
    assert Client().get("/find/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_page_query_counts_are_constant(sample, django_assert_max_num_queries):
    service = Service.objects.get(name="Granite State Peer Warm Line")
    # The search buckets, whole names when the buckets' first bytes of them cannot order
    # the page, the page's search rows with their services, their phones.
    with django_assert_max_num_queries(4):
        Client().get("/find/", {"near": "03301", "per_page": 100})
    with django_assert_max_num_queries(4):
        Client().get("/find/", {"near": "03301", "per_page": 100}, HTTP_HX_REQUEST="true")
    with django_assert_max_num_queries(14):
        Client().get(f"/find/{service.id}/")


def _queries(path: str, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert Client().get(path, params).status_code == 200
    return len(queries)


def test_listing_page_queries_do_not_grow_with_the_listing(sample):
    service = Service.objects.get(name="Granite State Peer Warm Line")
    before = _queries(f"/find/{service.id}/")
    # More of everything the page lists: numbers, hours, languages, places, other services.
    for i in range(4):
        Phone.objects.create(service=service, number=f"603-555-011{i}", type="voice")
        Schedule.objects.create(
            service=service, byday="SA", opens_at=time(9 + i), closes_at=time(20)
        )
        Language.objects.create(service=service, code=["fr", "pt", "vi", "ne"][i])
        place = Location.objects.create(
            organization=service.organization,
            location_type="physical",
            latitude=43.2,
            longitude=-71.5,
        )
        Address.objects.create(
            location=place,
            address_1=f"{i} Sample St",
            city="Concord",
            state_province="NH",
            postal_code="03301",
        )
        ServiceAtLocation.objects.create(service=service, location=place)
        Service.objects.create(
            organization=service.organization, name=f"Sample group {i}", status="active"
        )
    assert _queries(f"/find/{service.id}/") == before


def test_a_longer_page_of_results_takes_no_more_queries(sample):
    assert _queries("/find/", near="03301", per_page=2) == _queries(
        "/find/", near="03301", per_page=100
    )


def _hide(name):
    from alongside.directory.indexing import service_index

    service = Service.objects.get(name=name)
    service.status = Service.Status.INACTIVE
    service.save()
    service_index(service)


def test_search_page_is_shared_for_a_minute_with_visitors_without_cookies(sample):
    first = Client().get("/find/", {"near": "03301", "type": "warm_line"})
    assert first["Cache-Control"] == "public, max-age=60"
    name = Service.objects.filter(status="active", search_entries__tags__contains="warm_line")
    name = name.first().name
    assert name in first.content.decode()
    _hide(name)
    again = Client().get("/find/", {"near": "03301", "type": "warm_line"})
    assert again.content == first.content  # kept: at most a minute old
    with_cookie = Client()
    with_cookie.cookies["sessionid"] = "anything"
    fresh = with_cookie.get("/find/", {"near": "03301", "type": "warm_line"})
    assert name not in fresh.content.decode()
    assert "Cache-Control" not in fresh


def test_full_page_and_htmx_results_are_kept_apart(sample):
    full = Client().get("/find/", {"near": "03301"}).content.decode()
    part = Client().get("/find/", {"near": "03301"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" in full and "<html" not in part


def test_page_cache_can_be_turned_off(sample, settings):
    settings.DIRECTORY_PAGE_CACHE_SECONDS = 0
    Client().get("/find/", {"near": "03301", "type": "warm_line"})
    name = Service.objects.filter(status="active", search_entries__tags__contains="warm_line")
    name = name.first().name
    _hide(name)
    response = Client().get("/find/", {"near": "03301", "type": "warm_line"})
    assert name not in response.content.decode()
    assert "Cache-Control" not in response


def test_a_search_of_another_moment_keeps_it_until_the_box_is_unticked(sample):
    page = Client().get("/find/", {"near": "03301", "open_at": "2026-12-25T10:00"})
    box = '<input type="checkbox" name="open_at" id="id_open_at" value="2026-12-25T10:00" checked>'
    assert box in page.content.decode() and "Open at Fri 25 Dec, 10:00 AM" in page.content.decode()
    assert b'name="open_at"' not in Client().get("/find/", {"near": "03301"}).content


def test_a_moment_that_cannot_be_read_is_named_and_comes_unticked(sample):
    page = Client().get("/find/", {"near": "03301", "open_at": "garbage"})
    assert page.status_code == 400
    body = page.content.decode()
    assert '<input type="checkbox" name="open_at" id="id_open_at" value="garbage">' in body
    assert 'href="#id_open_at"' in body  # the summary's link reaches the box


def test_the_summary_links_to_the_open_now_box(sample):
    body = Client().get("/find/", {"near": "03301", "open_now": "on"}).content.decode()
    assert 'href="#id_open_now"' in body and 'id="id_open_now"' in body
