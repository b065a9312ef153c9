"""Read a Meeting Guide JSON feed into directory listings: all of it, or nothing.

The format is the Meeting Guide API of code4recovery's "spec" repository
(https://github.com/code4recovery/spec, README): an array of meetings, each with a required
``name`` and ``slug``; ``day`` (0 = Sunday … 6 = Saturday, or a list) and ``time``/``end_time``
(``HH:MM``) for weekly meetings; an address (``address``, ``city``, ``state``, ``postal_code``,
``country``, or one ``formatted_address``); ``conference_url``/``conference_phone`` for online
ones; ``types`` (codes such as ``O`` open, ``C`` closed, ``TC`` location temporarily closed).

Every entry is checked first; one problem (named by the entry's index in the array, from 0,
and the field) and nothing is written. Each meeting becomes a listing of the other
organization that runs it (type ``peer_group``, and ``online_support`` when it meets online),
kept by ``directory.listings``: keyed by the feed's source name and the meeting's slug, so
importing the same file again changes nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from alongside.directory import geo
from alongside.directory.hours import DAY_CODES
from alongside.directory.listings import KeptListing, KeptResult, WeeklyHours, kept_listings_put

SOURCE_PREFIX = "meeting-guide"
_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*$")
MAX_SLUG = 64  # the spec's "64 characters max"
MAX_NAME = 255
_COUNTRY_WORDS = {"usa", "us", "united states", "united states of america"}
# The spec's types that say who a meeting is for, as the directory's population codes.
POPULATION_OF_TYPE = {
    "M": "men",
    "W": "women",
    "LGBTQ": "lgbtq",
    "G": "lgbtq",
    "L": "lgbtq",
    "T": "lgbtq",
    "Y": "young_adults",
    "SEN": "older_adults",
}
# The spec's language types, as ISO 639-1 codes.
LANGUAGE_OF_TYPE = {"EN": "en", "S": "es", "FR": "fr", "POR": "pt", "RUS": "ru", "POL": "pl"}
TYPE_NAMES = {"O": "Open: anyone may come.", "C": "Closed: for members only."}


class MeetingGuideError(ValueError):
    """The feed has problems; ``problems`` names each (entry index and field)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class MeetingGuideReport:
    source: str
    meetings: int
    result: KeptResult = field(default_factory=KeptResult)


def source_name(path: Path) -> str:
    """The source an import is kept under, by default: the feed file's name."""
    return f"{SOURCE_PREFIX}:{path.stem}"


def meeting_guide_import(
    *, path: Path, source: str = "", dry_run: bool = False
) -> MeetingGuideReport:
    """Check every meeting of the feed at ``path``, then (unless ``dry_run``) write them all;
    on any problem raise ``MeetingGuideError`` and write nothing."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise MeetingGuideError(
            [f"{path.name}: cannot be read ({exc.__class__.__name__})"]
        ) from exc
    except json.JSONDecodeError as exc:
        raise MeetingGuideError([f"{path.name}: is not JSON (line {exc.lineno})"]) from exc
    source = source or source_name(path)
    listings = meeting_guide_listings(data, source=source)
    report = MeetingGuideReport(source=source, meetings=len(listings))
    if not dry_run:
        report.result = kept_listings_put(listings)
    return report


def meeting_guide_listings(data: Any, *, source: str) -> list[KeptListing]:
    """The feed's meetings as listings; ``MeetingGuideError`` naming every problem."""
    if not isinstance(data, list):
        raise MeetingGuideError(["the feed is not an array of meetings"])
    problems: list[str] = []
    listings: list[KeptListing] = []
    first_of: dict[str, int] = {}
    for index, entry in enumerate(data):
        found: list[str] = []
        listing = _listing(entry, source, found)
        if listing is not None and listing.key in first_of:
            found.append(f"slug repeats entry {first_of[listing.key]}")
        problems += [f"entry {index}: {problem}" for problem in found]
        if listing is not None and not found:
            first_of[listing.key] = index
            listings.append(listing)
    if problems:
        raise MeetingGuideError(problems)
    return listings


def _text(entry: dict, name: str, problems: list[str], *, limit: int = 0) -> str:
    value = entry.get(name)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        problems.append(f"{name} is not text")
        return ""
    text = " ".join(str(value).split()) if name != "notes" else str(value).strip()
    if limit and len(text) > limit:
        problems.append(f"{name} is longer than {limit} characters")
    return text


def _listing(entry: Any, source: str, problems: list[str]) -> KeptListing | None:
    if not isinstance(entry, dict):
        problems.append("is not an object")
        return None
    before = len(problems)
    name = _text(entry, "name", problems, limit=MAX_NAME)
    if not name and len(problems) == before:
        problems.append("name is missing")
    before = len(problems)
    slug = _text(entry, "slug", problems, limit=MAX_SLUG)
    if not slug:
        if len(problems) == before:
            problems.append("slug is missing")
    elif not _SLUG.match(slug):
        problems.append("slug has spaces or characters a link cannot hold")
    weekly = _weekly(entry, problems)
    zone = _text(entry, "timezone", problems)
    if zone:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append("timezone is not a time zone name such as America/New_York")
    types = entry.get("types", [])
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        problems.append("types is not a list of codes")
        types = []
    conference_url = _text(entry, "conference_url", problems)
    if conference_url and urlsplit(conference_url).scheme not in {"http", "https"}:
        problems.append("conference_url is not a web address")
    url = _text(entry, "url", problems)
    if url and urlsplit(url).scheme not in {"http", "https"}:
        problems.append("url is not a web address")
    conference_phone = _text(entry, "conference_phone", problems)
    latitude = _coordinate(entry, "latitude", 90, problems)
    longitude = _coordinate(entry, "longitude", 180, problems)
    address = _address(entry, problems)
    online = bool(conference_url or conference_phone)
    # An online meeting's town is where it is held from (the spec's "approximate" address);
    # "TC": its place is closed for now, so only the online meeting goes on.
    street = bool(address["address"] or address["place_name"])
    in_person = (street or not online) and not (online and "TC" in types)
    if not online and not any(address.values()):
        problems.append(
            "address is missing (give an address, or a conference_url or conference_phone)"
        )
    if problems:
        return None
    provider = _text(entry, "group", problems) or _text(entry, "entity", problems)
    notes = _text(entry, "notes", problems)
    said = [TYPE_NAMES[t] for t in types if t in TYPE_NAMES]
    codes = ["peer_group", *(["online_support", "video"] if conference_url else [])]
    codes += ["phone"] if conference_phone else []
    codes += ["in_person"] if in_person else []
    codes += [POPULATION_OF_TYPE[t] for t in types if t in POPULATION_OF_TYPE]
    how = ""
    if online:
        how = "Join online: " + " or ".join(
            part
            for part in (conference_url, f"dial {conference_phone}" if conference_phone else "")
            if part
        )
    return KeptListing(
        source=source,
        key=slug,
        name=name,
        provider=provider or f"Meetings listed by {source.removeprefix(SOURCE_PREFIX + ':')}",
        description=" ".join([*said, notes]).strip(),
        url=url,
        how_to_join=how,
        codes=codes,
        weekly=weekly,
        timezone=zone,
        in_person=in_person,
        online=online,
        conference_phone=conference_phone,
        languages=[LANGUAGE_OF_TYPE[t] for t in types if t in LANGUAGE_OF_TYPE],
        latitude=latitude,
        longitude=longitude,
        place_name=address["place_name"],
        address=address["address"],
        city=address["city"],
        state=address["state"],
        postal_code=address["postal_code"],
        country=address["country"],
    )


def _weekly(entry: dict, problems: list[str]) -> list[WeeklyHours]:
    """The spec's ``day``/``time``/``end_time`` as weekly hours (none: by appointment)."""
    day, start = entry.get("day"), entry.get("time")
    if day is None and start is None:
        return []
    days = day if isinstance(day, list) else [day]
    if day is None or not days:
        problems.append("day is missing (a meeting with a time needs its day)")
    elif not all(isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 6 for d in days):
        problems.append("day is not a number from 0 (Sunday) to 6 (Saturday), or a list of them")
        days = []
    opens = _clock(entry, "time", problems)
    if start is None:
        problems.append("time is missing (a meeting with a day needs its time)")
    closes = _clock(entry, "end_time", problems)
    if opens is None or not days or problems:
        return []
    if closes is None:  # the spec: an hour after the start when not given
        closes = (datetime.combine(datetime.min, opens) + timedelta(hours=1)).time()
    # Sunday is 0 in the feed, and last in the directory's week (``DAY_CODES`` starts Monday).
    byday = ",".join(DAY_CODES[(d - 1) % 7] for d in sorted(set(days), key=lambda d: (d - 1) % 7))
    return [WeeklyHours(byday=byday, opens_at=opens, closes_at=closes)]


def _clock(entry: dict, name: str, problems: list[str]) -> time | None:
    value = entry.get(name)
    if value is None:
        return None
    match = _CLOCK.match(value) if isinstance(value, str) else None
    if match is None:
        problems.append(f"{name} is not a time as HH:MM (24-hour clock)")
        return None
    return time(int(match[1]), int(match[2]))


def _coordinate(entry: dict, name: str, limit: float, problems: list[str]) -> float | None:
    value = entry.get(name)
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not -limit <= number <= limit:
        problems.append(f"{name} is not a number from -{limit:g} to {limit:g}")
        return None
    return number


def _address(entry: dict, problems: list[str]) -> dict[str, str]:
    """The address fields, or the parts of a ``formatted_address`` when only that is given."""
    parts = {
        "place_name": _text(entry, "location", problems),
        "address": _text(entry, "address", problems),
        "city": _text(entry, "city", problems),
        "state": _text(entry, "state", problems),
        "postal_code": _text(entry, "postal_code", problems),
        "country": _text(entry, "country", problems),
    }
    formatted = _text(entry, "formatted_address", problems)
    if formatted and not (parts["address"] or parts["city"] or parts["state"]):
        parts |= _formatted(formatted)
    country = parts["country"].casefold()
    parts["country"] = "US" if not country or country in _COUNTRY_WORDS else parts["country"][:2]
    return parts


def _formatted(text: str) -> dict[str, str]:
    """ "123 Main St, Concord, NH 03301, USA" → street, town, state and ZIP (best effort)."""
    pieces = [p.strip() for p in text.split(",") if p.strip()]
    found = {"address": "", "city": "", "state": "", "postal_code": ""}
    if pieces and pieces[-1].casefold() in _COUNTRY_WORDS:
        pieces.pop()
    if pieces:
        last = pieces[-1].split()
        if last and re.fullmatch(r"\d{5}(-\d{4})?", last[-1]):
            found["postal_code"] = last.pop()
        if code := geo.state_code(" ".join(last)):
            found["state"] = code
            pieces.pop()
    if pieces:
        found["city"] = pieces.pop()
    found["address"] = ", ".join(pieces)
    return found
