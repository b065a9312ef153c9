"""Places, offline: US ZIPs and towns from the ``zipcodes`` package (GeoNames data, CC BY 4.0)."""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import zipcodes

EARTH_RADIUS_MILES = 3958.8
_LAT_LON = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$")
_ZIP = re.compile(r"^\s*(\d{5})(?:-\d{4})?\s*$")
_STATE_CODE = re.compile(r"^[A-Za-z]{2}$")

# The names people type for states and territories (the ``zipcodes`` package has codes only).
STATE_NAMES = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "PR": "Puerto Rico",
    "GU": "Guam",
    "VI": "U.S. Virgin Islands",
    "AS": "American Samoa",
    "MP": "Northern Mariana Islands",
}
_STATE_BY_NAME = {name.lower(): code for code, name in STATE_NAMES.items()}
_MOST_WORDS_IN_A_STATE_NAME = max(len(name.split()) for name in STATE_NAMES.values())


class PlaceNotFound(ValueError):
    """The text is not a ZIP, a town and state or "lat,lon" that we know."""


class PlaceAmbiguous(PlaceNotFound):
    """A town without its state, found in several states but not in the home state."""

    def __init__(self, text: str, towns: list[Place]) -> None:
        super().__init__(text)
        self.towns = towns


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float
    label: str
    county: str = ""
    state: str = ""
    postal_code: str = ""
    timezone: str = ""


def _from_zip_record(record: dict) -> Place:
    return Place(
        latitude=float(record["lat"]),
        longitude=float(record["long"]),
        label=f"{record['city']}, {record['state']} {record['zip_code']}",
        county=record["county"],
        state=record["state"],
        postal_code=record["zip_code"],
        timezone=record["timezone"],
    )


# What Alongside reads of a ZIP record. The package's records carry more (area codes, other
# names of the town), and ``list_all()`` makes all of them at once; keeping only these fields,
# with the repeated names shared, holds the index in a fraction of that memory (the package
# keeps its own copy as well, from the first question on).
ZIP_FIELDS = ("zip_code", "zip_code_type", "city", "state", "county", "timezone", "lat", "long")
_REPEATED = frozenset({"zip_code_type", "city", "state", "county", "timezone"})


@cache
def _zip_index() -> dict[str, dict]:
    """Every ZIP's record (``ZIP_FIELDS``), by ZIP code, in the package's (ZIP code) order."""
    index: dict[str, dict] = {}
    for prefix in range(100):
        # A hundred slices, so that the package's full records never exist all at once.
        for record in zipcodes.similar_to(f"{prefix:02d}"):
            index[record["zip_code"]] = {
                k: sys.intern(record[k]) if k in _REPEATED else record[k] for k in ZIP_FIELDS
            }
    return index


@cache
def _town_index() -> dict[tuple[str, str], list[dict]]:
    towns: dict[tuple[str, str], list[dict]] = {}
    for record in _zip_index().values():
        if record["zip_code_type"] != "STANDARD" and record["zip_code_type"] != "UNIQUE":
            continue
        towns.setdefault((record["city"].lower(), record["state"]), []).append(record)
    return towns


def zip_record(postal_code: str) -> dict | None:
    return _zip_index().get(postal_code)


# A ZIP code as an address gives it: five digits, perhaps with four more ("03301-1234").
_ADDRESS_ZIP = re.compile(r"^\s*(\d{5})(?:-?\d{4})?\s*$")


def address_zip_record(postal_code: str) -> dict | None:
    """The gazetteer's record of an address's ZIP code, if it knows it."""
    match = _ADDRESS_ZIP.match(postal_code or "")
    return zip_record(match[1]) if match else None


def town_of_address(city: str, state: str, postal_code: str) -> Place | None:
    """All that may be told of a confidential address: its town, as the gazetteer has it (the
    middle of the town and its first ZIP code), found by name or else by the ZIP code. Exports
    and search both place such an address there."""
    town = town_place(city, state)
    if town is None and (record := address_zip_record(postal_code)):
        town = town_place(record["city"], record["state"])
    return town


def resolve_place(text: str, home_state: str = "") -> Place:
    """A ZIP ("03301"), a town and state ("Concord, NH", "concord nh", "Keene, New Hampshire"),
    coordinates ("43.2,-71.5"), an address ("123 Main St, Concord, NH 03301": its ZIP, else
    its town), or a town alone ("Keene"): the one in ``home_state`` if there is one, else the
    only one of that name (``PlaceAmbiguous`` when there are several)."""
    text = text.strip()
    if match := _LAT_LON.match(text):
        lat, lon = float(match[1]), float(match[2])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise PlaceNotFound(text)
        nearest = nearest_zip(lat, lon)
        if nearest is None:
            return Place(lat, lon, f"{lat:.4f}, {lon:.4f}")
        return Place(
            lat,
            lon,
            f"{lat:.4f}, {lon:.4f}",
            county=nearest["county"],
            state=nearest["state"],
            postal_code=nearest["zip_code"],
            timezone=nearest["timezone"],
        )
    if match := _ZIP.match(text):
        record = zip_record(match[1])
        if record is None:
            raise PlaceNotFound(text)
        return _from_zip_record(record)
    for town, state in _towns_and_states(text):
        if place := town_place(town, state):
            return place
    if place := _place_of_address(text):
        return place
    towns = towns_named(text, home_state)
    if len(towns) == 1 or (towns and towns[0].state == home_state.upper()):
        return towns[0]
    if towns:
        raise PlaceAmbiguous(text, towns)
    raise PlaceNotFound(text)


# Five digits standing alone in a typed address ("Keene NH 03431", "… Concord, NH 03301").
_ZIP_IN_TEXT = re.compile(r"(?<![\d-])(\d{5})(?:-\d{4})?(?![\d-])")
_MOST_WORDS_IN_A_TOWN_NAME = 4


def _place_of_address(text: str) -> Place | None:
    """The place of a typed address: its ZIP code, else its town and state, the town being the
    last words before the state ("123 Main St, Concord, NH", "12 Elm Street Keene NH")."""
    for match in _ZIP_IN_TEXT.finditer(text):
        if record := zip_record(match[1]):
            return _from_zip_record(record)
    without_zip = _ZIP_IN_TEXT.sub(" ", text).strip(" ,")
    for before, state in _towns_and_states(without_zip):
        words = before.replace(",", " , ").split()
        for count in range(1, min(_MOST_WORDS_IN_A_TOWN_NAME, len(words)) + 1):
            town = words[-count:]
            if "," in town:
                break
            if place := town_place(" ".join(town), state):
                return place
    return None


@cache
def _states_by_town() -> dict[str, tuple[str, ...]]:
    states: dict[str, list[str]] = {}
    for city, state in _town_index():
        states.setdefault(city, []).append(state)
    return {city: tuple(sorted(found)) for city, found in states.items()}


@cache
def _middle_of_state(state: str) -> tuple[float, float] | None:
    points = [
        (float(r["lat"]), float(r["long"])) for r in _zip_index().values() if r["state"] == state
    ]
    if not points:
        return None
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def towns_named(name: str, home_state: str = "") -> list[Place]:
    """Every town of this name, whatever its state: the one in ``home_state`` first, then the
    nearest to that state first (by state without one)."""
    states = _states_by_town().get(" ".join(name.split()).lower(), ())
    towns = [place for state in sorted(states) if (place := town_place(name, state))]
    home = home_state.upper()
    middle = _middle_of_state(home) if home else None
    if middle is None:
        return towns
    return sorted(
        towns,
        key=lambda town: (
            town.state != home,
            miles_between(middle[0], middle[1], town.latitude, town.longitude),
        ),
    )


def other_towns(place: Place, text: str, home_state: str = "") -> list[Place]:
    """The other towns that a town typed without its state may have meant."""
    if "," in text or _ZIP_IN_TEXT.search(text) or _LAT_LON.match(text):
        return []
    return [town for town in towns_named(text, home_state) if town.state != place.state]


def state_code(text: str) -> str:
    """A state's two letters from "NH", "nh" or its name in full in any case; else ""."""
    text = " ".join(text.split())
    if text.upper() in STATE_NAMES:
        return text.upper()
    return _STATE_BY_NAME.get(text.lower(), "")


def _state(text: str) -> str:
    """As ``state_code``, and any other two letters as they are: the gazetteer also has
    military post offices ("AE") and freely associated states ("PW")."""
    return text.strip().upper() if _STATE_CODE.match(text.strip()) else state_code(text)


def _towns_and_states(text: str) -> list[tuple[str, str]]:
    """The ways to read ``text`` as a town then its state, the longest state name first.

    After a comma there is only one; without one, "Charleston West Virginia" may be
    Charleston in WV or Charleston West in VA, and the gazetteer tells which is a town."""
    town, comma, state = text.rpartition(",")
    if comma:
        return [(town, code)] if town.strip() and (code := _state(state)) else []
    words = text.split()
    readings = []
    for count in range(min(_MOST_WORDS_IN_A_STATE_NAME, len(words) - 1), 0, -1):
        if code := _state(" ".join(words[-count:])):
            readings.append((" ".join(words[:-count]), code))
    return readings


def town_place(city: str, state: str) -> Place | None:
    """A town as one place: the middle of its ZIP codes' centres, and its first ZIP code."""
    records = _town_index().get((city.strip().lower(), state.strip().upper()))
    if not records:
        return None
    first = records[0]
    return Place(
        latitude=sum(float(r["lat"]) for r in records) / len(records),
        longitude=sum(float(r["long"]) for r in records) / len(records),
        label=f"{first['city']}, {first['state']}",
        county=first["county"],
        state=first["state"],
        postal_code=first["zip_code"],
        timezone=first["timezone"],
    )


def miles_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(a))


def unit_vectors(lat: Any, lon: Any) -> tuple[Any, Any, Any]:
    """Points (degrees, NumPy columns) as (x, y, z) on a sphere of radius 1; NaN stays NaN.

    The straight-line (chord) distance between two such points grows with the great-circle
    distance, so a search compares and sorts by it with no trigonometry per listing."""
    p, q = np.radians(lat), np.radians(lon)
    return np.cos(p) * np.cos(q), np.cos(p) * np.sin(q), np.sin(p)


def chord_squared_of_miles(miles: float) -> float:
    """The squared chord between two points of the unit sphere ``miles`` apart."""
    return (2 * math.sin(min(miles / (2 * EARTH_RADIUS_MILES), math.pi / 2))) ** 2


def miles_of_chord_squared(chord_squared: float) -> float:
    """``chord_squared_of_miles`` turned back: the great-circle distance in miles."""
    # Rounding can take a chord of (nearly) nothing below zero.
    return 2 * EARTH_RADIUS_MILES * math.asin(min(math.sqrt(max(chord_squared, 0.0)) / 2, 1.0))


def bounding_box(lat: float, lon: float, miles: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) containing every point within ``miles``."""
    angle = miles / EARTH_RADIUS_MILES
    # The circle reaches furthest east and west north or south of its centre, where the
    # difference in longitude is asin(sin(angle) / cos(lat)); it takes in a pole when that
    # is 1 or more.
    reach = math.sin(angle) / max(math.cos(math.radians(lat)), 1e-12)
    dlon = 180.0 if reach >= 1 else math.degrees(math.asin(reach))
    dlat = math.degrees(angle)
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


@cache
def _states_by_county() -> dict[str, tuple[str, ...]]:
    states: dict[str, set[str]] = {}
    for record in _zip_index().values():
        states.setdefault(record["county"].lower(), set()).add(record["state"])
    return {county: tuple(sorted(s)) for county, s in states.items()}


def states_with_county(county: str) -> tuple[str, ...]:
    return _states_by_county().get(county.lower(), ())


@cache
def _county_spellings() -> dict[str, str]:
    return {record["county"].lower(): record["county"] for record in _zip_index().values()}


def county_named(text: str) -> str | None:
    """The gazetteer's spelling of a county typed as "Coos", "coos county" or "Orleans Parish"
    (any case); None when it knows no such county."""
    text = " ".join(text.split())
    if not text:
        return None
    # The gazetteer has both "San Juan" (Puerto Rico) and "San Juan County" (four states): a
    # bare name means the county, as it always has here.
    names = [text] if text.lower().endswith(" county") else [f"{text} County", text]
    for name in names:
        if spelling := _county_spellings().get(name.lower()):
            return spelling
    return None


def nearest_zip(lat: float, lon: float, within_miles: float = 30) -> dict | None:
    """The ZIP whose centre is nearest to a point (to learn its county and state)."""
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, within_miles)
    best, best_distance = None, within_miles
    for record in _zip_index().values():
        rlat, rlon = float(record["lat"]), float(record["long"])
        if min_lat <= rlat <= max_lat and min_lon <= rlon <= max_lon:
            distance = miles_between(lat, lon, rlat, rlon)
            if distance <= best_distance:
                best, best_distance = record, distance
    return best
