"""The packed search buckets follow every change to the listings they hold."""

from datetime import date
from io import StringIO

import pytest
from django.test import Client

from alongside.core.models import SearchDocument
from alongside.directory.indexing import service_index, services_index
from alongside.directory.models import Address, Location, SearchBucket, Service
from alongside.directory.search import buckets


def names_near(place, **params):
    response = Client().get("/api/v1/search", {"near": place, "per_page": 100, **params})
    assert response.status_code == 200, response.content
    return {r["name"] for r in response.json()["results"]}


def physical_service_near_concord():
    return (
        Service.objects.filter(
            status="active",
            verified_on__isnull=False,
            service_at_locations__location__addresses__postal_code="03301",
        )
        .exclude(service_at_locations__location__location_type="virtual")
        .first()
    )


def test_a_service_made_inactive_leaves_the_search_and_comes_back(sample):
    service = physical_service_near_concord()
    assert service.name in names_near("03301")
    service.status = Service.Status.INACTIVE
    service.save()
    service_index(service)
    assert service.name not in names_near("03301")
    service.status = Service.Status.ACTIVE
    service.save()
    service_index(service)
    assert service.name in names_near("03301")


def test_a_service_at_an_address_outside_the_us_leaves_the_search(sample):
    service = physical_service_near_concord()
    Address.objects.filter(location__service_at_locations__service=service).update(
        state_province="Ontario"
    )
    foreign: dict[str, str] = {}
    assert services_index([service.pk], foreign=foreign) == 0
    assert foreign == {str(service.pk): "Ontario"}
    assert not service.search_entries.exists()
    assert not SearchDocument.objects.filter(object_id=str(service.pk)).exists()
    assert service.name not in names_near("03301")


def test_a_moved_place_is_found_at_its_new_cell_only(sample):
    service = physical_service_near_concord()
    location = Location.objects.get(service_at_locations__service=service, location_type="physical")
    location.latitude, location.longitude = 44.4759, -71.1859  # Berlin, NH: 80 miles north
    location.save()
    service_index(service)
    assert service.name not in names_near("03301", radius=10)
    assert service.name in names_near("03570", radius=10)


def test_a_deleted_service_leaves_the_keyword_index(sample):
    service = physical_service_near_concord()
    document = SearchDocument.objects.filter(object_id=str(service.pk))
    assert document.exists()
    service.delete()
    assert not document.exists()


def test_a_deleted_service_leaves_its_buckets(sample):
    service = physical_service_near_concord()
    entry = service.search_entries.exclude(county="").first()
    key = buckets.county_key(entry.county, entry.state)
    before = SearchBucket.objects.get(key=key).size
    service.delete()
    assert SearchBucket.objects.get(key=key).size == before - 1
    assert service.name not in names_near("03301")


def test_a_bucket_packed_under_another_layout_is_rebuilt_when_read(sample):
    bucket = SearchBucket.objects.filter(key__startswith="g:").first()
    size = bucket.size
    SearchBucket.objects.filter(pk=bucket.pk).update(layout="old", entries=b"")
    packed = buckets.buckets_read([bucket.key])
    assert len(packed.entries) == size
    assert SearchBucket.objects.get(key=bucket.key).layout == buckets.LAYOUT


def test_a_full_rebuild_packs_the_same_rows(sample):
    before = {b.key: bytes(b.entries) for b in SearchBucket.objects.all()}
    buckets.buckets_rebuild()
    after = {b.key: bytes(b.entries) for b in SearchBucket.objects.all()}
    assert after == before


def test_packed_rows_keep_ids_whatever_their_bytes():
    # A UUID that ends in zero bytes, which NumPy's fixed-width strings trim.
    row = (
        1,
        "00112233445566778899aabbccdd0000",
        43.2,
        -71.5,
        " type:warm_line ",
        "A",
        "",
        "",
        "UTC",
        "",
        None,
        "Merrimack County",
        "NH",
    )
    packed = buckets.pack([row])
    from alongside.directory.search.engine import _uuid

    assert _uuid(packed.entries["service"][0]).hex == row[1]
    assert (
        packed.entries["bits"][0] == buckets.tag_words(buckets.BIT_OF_TAG["type:warm_line"])
    ).all()
    assert packed.entries["county"][0] == b"Merrimack County, NH"


@pytest.mark.parametrize(
    ("verified_on", "day"),
    [
        (None, buckets.LAST_DAY),  # never verified: no limit hides it
        (date(2025, 3, 4), buckets.day_number(date(2025, 3, 4))),
        ("2025-03-04", buckets.day_number(date(2025, 3, 4))),  # as SQLite gives it
        (date(1999, 12, 31), 0),  # before the first day that fits: hidden by any limit
        (date(2200, 1, 1), buckets.LAST_DAY - 1),
    ],
)
def test_a_row_keeps_the_day_its_service_was_verified(verified_on, day):
    row = (1, "00112233445566778899aabbccddeeff", 43.2, -71.5, " ", "A", "", "", "", "")
    assert buckets.pack([(*row, verified_on, "", "")]).entries["verified"][0] == day


@pytest.mark.parametrize(("lat", "lon"), [(43.2, -71.5), (-33.9, 151.2), (0.0, 0.0)])
def test_the_cells_of_a_box_include_the_cell_of_every_point_in_it(lat, lon):
    keys = set(buckets.cell_keys(lat - 0.5, lat + 0.5, lon - 0.5, lon + 0.5))
    for dlat in (-0.5, -0.21, 0, 0.33, 0.5):
        for dlon in (-0.5, -0.07, 0, 0.19, 0.5):
            assert f"g:{buckets.cell_of(lat + dlat, lon + dlon)}" in keys


def test_the_daily_reindex_hides_listings_that_went_unverified_too_long(sample):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    service = physical_service_near_concord()
    long_ago = timezone.localdate() - timedelta(days=19 * 31)
    Service.objects.filter(pk=service.pk).update(verified_on=long_ago)  # time passes
    assert service.name in names_near("03301")
    call_command("reindex_directory", stdout=StringIO())
    assert service.name not in names_near("03301")
    out = StringIO()
    call_command("reindex_directory", stdout=out)
    assert out.getvalue() == "Re-indexed 0 listings.\n"


def test_a_listing_leaves_search_the_day_it_has_gone_unverified_too_long(sample, settings):
    from datetime import timedelta

    from django.utils import timezone

    service = physical_service_near_concord()
    service.verified_on = timezone.localdate() - timedelta(days=13 * 31)
    service.save()
    service_index(service)
    word = service.name.split()[0]
    county = service.service_at_locations.first().location.county
    searches = [{}, {"q": word}, {"q": word, "near": ""}, {"county": county, "near": ""}]
    for params in searches:
        assert service.name in names_near("03301", **params), params
    # Months pass, with no re-index: a shorter limit is the same as a later day.
    settings.DIRECTORY_HIDE_AFTER_MONTHS = 12
    for params in searches:
        assert service.name not in names_near("03301", **params), params
    page = Client().get(f"/find/{service.pk}/").content.decode()
    assert "no longer shows in search" in page


def test_reindexing_everything_keeps_the_same_results(sample):
    from django.core.management import call_command

    before = names_near("03301")
    out = StringIO()
    call_command("reindex_directory", "--all", stdout=out)
    assert names_near("03301") == before
    assert out.getvalue() == f"Re-indexed {Service.objects.count()} listings.\n"


def test_a_language_spoken_at_one_place_is_found_there_only(sample):
    from alongside.directory.models import Address, Language, ServiceAtLocation

    service = physical_service_near_concord()
    if "language:sw" in service.search_entries.first().tags:
        pytest.skip("the sample service already lists Swahili")
    concord = Location.objects.get(service_at_locations__service=service, location_type="physical")
    Language.objects.create(location=concord, code="sw", name="Swahili")
    keene = Location.objects.create(
        organization=service.organization,
        location_type="physical",
        latitude=42.9337,
        longitude=-72.2781,
        county="Cheshire County",
        timezone_name="America/New_York",
    )
    Address.objects.create(location=keene, city="Keene", state_province="NH", postal_code="03431")
    ServiceAtLocation.objects.create(service=service, location=keene)  # read after Concord
    service_index(service)
    assert service.name in names_near("03301", radius=5, language="sw")
    assert service.name not in names_near("03431", radius=5, language="sw")
    assert service.name in names_near("03431", radius=5)


def test_a_listing_with_unknown_hours_is_never_open(sample):
    from alongside.directory.models import Schedule

    service = physical_service_near_concord()
    # Every day of a week, at noon and at midnight in New Hampshire.
    moments = [
        f"2026-12-{day:02d}T{hour:02d}:00:00-05:00" for day in range(7, 14) for hour in (0, 12)
    ]
    assert any(service.name in names_near("03301", open_at=m) for m in moments)
    Schedule.objects.filter(service=service).delete()
    service_index(service)
    response = Client().get("/api/v1/search", {"near": "03301", "per_page": 100})
    result = next(r for r in response.json()["results"] if r["service_id"] == str(service.pk))
    assert result["open_now"] is None
    assert not any(service.name in names_near("03301", open_at=m) for m in moments)


def test_every_filter_code_has_a_bit_however_many_the_taxonomy_holds():
    # The tag words are as many as the codes need: a new code in the taxonomy is only data.
    assert len(buckets.TAGS) + buckets.SPARE_BITS <= buckets.TAG_WORDS * 64
    last = buckets.TAGS[-1]
    row = (1, "00112233445566778899aabbccddeeff", 43.2, -71.5, f" {last} language:de ")
    packed = buckets.pack([(*row, "A", "", "", "UTC", "", None, "", "")])
    from alongside.directory.search.engine import _bit_counts

    counts = _bit_counts(packed.entries["bits"])
    assert counts[buckets.TAGS.index(last)] == 1
    spare = buckets.language_bit("de").bit_length() - 1
    assert spare >= len(buckets.TAGS)
    assert counts[spare] == 1
    assert counts.sum() == 2
