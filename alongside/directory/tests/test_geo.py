import numpy as np
import pytest
import zipcodes
from hypothesis import given, settings
from hypothesis import strategies as st

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


def _destination(lat: float, lon: float, miles: float, bearing: float) -> tuple[float, float]:
    """The point ``miles`` from (lat, lon) on a bearing (degrees), on the same sphere."""
    import math

    angle, heading = miles / geo.EARTH_RADIUS_MILES, math.radians(bearing)
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(
        math.sin(p1) * math.cos(angle) + math.cos(p1) * math.sin(angle) * math.cos(heading)
    )
    l2 = l1 + math.atan2(
        math.sin(heading) * math.sin(angle) * math.cos(p1),
        math.cos(angle) - math.sin(p1) * math.sin(p2),
    )
    return math.degrees(p2), math.degrees(l2)


@pytest.mark.parametrize("lat", [0.0, 25.0, 44.0, 61.2, 71.0])
@pytest.mark.parametrize("miles", [1, 25, 150, 500])
def test_the_bounding_box_holds_the_whole_circle(lat, miles):
    min_lat, max_lat, min_lon, max_lon = geo.bounding_box(lat, -100.0, miles)
    for tenth in range(3600):
        plat, plon = _destination(lat, -100.0, miles, tenth / 10)
        assert min_lat - 1e-9 <= plat <= max_lat + 1e-9
        assert min_lon - 1e-9 <= plon <= max_lon + 1e-9


@settings(max_examples=200, deadline=None)
@given(
    lat=st.floats(min_value=-80, max_value=80),
    lon=st.floats(min_value=-179, max_value=179),
    miles=st.floats(min_value=0, max_value=3000),
)
def test_chords_turn_back_into_the_miles_between(lat, lon, miles):
    other = _destination(lat, lon, miles, 40.0)
    a = np.array(geo.unit_vectors(lat, lon))
    b = np.array(geo.unit_vectors(*other))
    chord_squared = float(((a - b) ** 2).sum())
    assert (
        abs(geo.miles_of_chord_squared(chord_squared) - geo.miles_between(lat, lon, *other)) < 1e-9
    )
    assert abs(geo.chord_squared_of_miles(miles) - chord_squared) < 1e-12
    # What search orders by, with fewer operations a row: the same within rounding.
    assert abs((2 - 2 * float(a @ b)) - chord_squared) < 1e-15


@pytest.mark.parametrize(
    "text",
    ["concord nh", "Concord NH", "Concord, New Hampshire", "concord new hampshire", "CONCORD,NH"],
)
def test_a_town_is_read_with_or_without_a_comma_and_with_the_state_in_full(text):
    assert geo.resolve_place(text) == geo.resolve_place("Concord, NH")


def test_a_state_name_of_several_words_is_read_whole():
    assert geo.resolve_place("Charleston West Virginia").state == "WV"
    assert geo.resolve_place("Washington, District of Columbia").state == "DC"


@pytest.mark.parametrize("text", ["43.2,-71.5", "43.2, -71.5"])
def test_coordinates_stay_coordinates(text):
    place = geo.resolve_place(text)
    assert (place.latitude, place.longitude) == (43.2, -71.5)


@pytest.mark.parametrize(
    "text", ["Concord", "Atlantis, NH", "Concord, Newhampshire", "Concord Hampshire", ", NH"]
)
def test_what_is_not_a_town_and_state_is_not_found(text):
    with pytest.raises(geo.PlaceNotFound):
        geo.resolve_place(text)


@pytest.mark.parametrize(
    ("text", "county"),
    [
        ("Coos", "Coos County"),
        ("coos county", "Coos County"),
        (" Merrimack ", "Merrimack County"),
        ("orleans parish", "Orleans Parish"),
        ("San Juan", "San Juan County"),
        ("Atlantis", None),
        ("", None),
    ],
)
def test_counties_are_known_by_name_with_or_without_the_word_county(text, county):
    assert geo.county_named(text) == county
