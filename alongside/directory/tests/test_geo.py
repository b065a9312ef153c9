import zipcodes

from alongside.directory import geo


def test_zip_records_keep_the_fields_we_read_as_the_package_gives_them():
    record = geo.zip_record("03301")
    (full,) = zipcodes.matching("03301")
    assert record == {k: full[k] for k in geo.ZIP_FIELDS}


def test_every_zip_of_the_package_is_in_the_gazetteer_in_its_order():
    assert list(geo._zip_index()) == [r["zip_code"] for r in zipcodes.list_all()]


def test_towns_and_coordinates_resolve_through_the_compact_records():
    assert geo.resolve_place("Concord, NH").county == "Merrimack County"
    assert geo.nearest_zip(43.207, -71.537)["state"] == "NH"
