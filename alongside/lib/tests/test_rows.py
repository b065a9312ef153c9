import uuid

from django.db import connection

from alongside.core.models import Organization
from alongside.directory.models import Organization as Provider
from alongside.directory.models import SearchBucket
from alongside.lib.rows import binary_cursor, db_uuids, hex_key, raw_rows


def test_a_uuid_has_one_key_however_it_comes():
    value = uuid.uuid4()
    assert hex_key(value) == hex_key(str(value)) == hex_key(value.hex) == value.hex
    # Other spellings of the text are parsed.
    assert hex_key(str(value).upper()) == hex_key(f"{{{value}}}") == value.hex


def test_raw_rows_reads_values_as_the_driver_gives_them(org):
    rows = raw_rows(Organization.objects.filter(pk=org.pk).values_list("pk", "name"))
    assert [(hex_key(pk), name) for pk, name in rows] == [(org.pk.hex, org.name)]


def test_raw_rows_of_an_empty_in_list_is_empty(db):
    assert raw_rows(Organization.objects.filter(pk__in=[]).values_list("pk")) == []


def test_db_uuids_filter_by_objects_text_or_raw_values_and_an_empty_list_matches_nothing(db):
    kept, other = uuid.uuid4(), uuid.uuid4()
    for pk in (kept, other):
        Provider.objects.create(id=pk, name=f"Harbor {pk.hex[:4]} (test)")
    for spelling in (kept, str(kept), kept.hex):
        assert [p.pk for p in Provider.objects.filter(pk__in=db_uuids([spelling]))] == [kept]
    # Values as the database gave them go in as they are.
    raw = raw_rows(Provider.objects.filter(pk=other).values_list("pk"))
    found = Provider.objects.filter(pk__in=db_uuids([pk for (pk,) in raw]))
    assert [p.pk for p in found] == [other]
    both = Provider.objects.filter(pk__in=db_uuids([kept, other]))
    assert {p.pk for p in both} == {kept, other}
    assert not Provider.objects.filter(pk__in=db_uuids([])).exists()


def test_binary_cursor_reads_bytes_as_they_are_and_its_queries_count(db, django_assert_num_queries):
    SearchBucket.objects.create(
        key="t:1", layout="test", size=0, entries=b"\x00\x01\xff", words=b"", hours=""
    )
    with django_assert_num_queries(1), binary_cursor() as cursor:
        cursor.execute("SELECT entries, key FROM directory_searchbucket WHERE key = %s", ["t:1"])
        assert [(bytes(e), k) for e, k in cursor.fetchall()] == [(b"\x00\x01\xff", "t:1")]
        if connection.vendor == "postgresql":
            import psycopg

            assert cursor.cursor.format == psycopg.pq.Format.BINARY
