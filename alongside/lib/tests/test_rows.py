import uuid

from alongside.core.models import Organization
from alongside.lib.rows import hex_key, raw_rows


def test_a_uuid_has_one_key_however_it_comes():
    value = uuid.uuid4()
    assert hex_key(value) == hex_key(str(value)) == hex_key(value.hex) == value.hex


def test_raw_rows_reads_values_as_the_driver_gives_them(org):
    rows = raw_rows(Organization.objects.filter(pk=org.pk).values_list("pk", "name"))
    assert [(hex_key(pk), name) for pk, name in rows] == [(org.pk.hex, org.name)]


def test_raw_rows_of_an_empty_in_list_is_empty(db):
    assert raw_rows(Organization.objects.filter(pk__in=[]).values_list("pk")) == []
