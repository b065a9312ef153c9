"""``import_meeting_guide``: a Meeting Guide feed becomes listings of other organizations'
groups, all or nothing, and importing it again changes nothing."""

from __future__ import annotations

import json
from datetime import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from alongside.directory.listings import listing_id
from alongside.directory.meeting_guide import meeting_guide_import
from alongside.directory.models import (
    Address,
    Location,
    Organization,
    Schedule,
    SearchEntry,
    Service,
    ServiceChange,
)
from alongside.directory.services import service_codes

pytestmark = pytest.mark.django_db

SOURCE = "meeting-guide:seacoast"

TUESDAY_CIRCLE = {
    "name": "Tuesday Night Circle (sample)",
    "slug": "tuesday-night-circle",
    "day": 2,
    "time": "18:00",
    "end_time": "19:00",
    "timezone": "America/New_York",
    "types": ["O", "W"],
    "location": "Fictional Community Hall",
    "address": "12 Example Street",
    "city": "Concord",
    "state": "NH",
    "postal_code": "03301",
    "country": "US",
    "notes": "Side door. Sample data: this meeting is fictional.",
    "group": "Seacoast Peer Circles (sample)",
    "updated": "2026-12-01 14:30:00",
}
ONLINE_TWICE = {
    "name": "Online Morning Check-in (sample)",
    "slug": "online-morning",
    "day": [1, 3],
    "time": "08:00",
    "types": ["O", "TC"],
    "conference_url": "https://video.example.org/j/555",
    "conference_phone": "603-555-0142",
    "formatted_address": "Concord, NH, USA",
}


def write_feed(tmp_path: Path, meetings: list, name: str = "seacoast.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(meetings), encoding="utf-8")
    return path


def test_a_meeting_becomes_a_peer_group_listing_with_its_hours(tmp_path) -> None:
    report = meeting_guide_import(path=write_feed(tmp_path, [TUESDAY_CIRCLE]))
    assert report.source == SOURCE and len(report.result.created) == 1
    service = Service.objects.get(pk=listing_id(SOURCE, "tuesday-night-circle"))
    assert service.organization.name == "Seacoast Peer Circles (sample)"
    (row,) = Schedule.objects.filter(service=service)
    assert (row.byday, row.opens_at, row.closes_at) == ("TU", time(18), time(19))
    location = Location.objects.get(service_at_locations__service=service)
    assert location.timezone_name == "America/New_York"
    # No coordinates in the feed: the ZIP code's, from the offline gazetteer.
    assert location.latitude == pytest.approx(43.2, abs=0.2)
    address = Address.objects.get(location=location)
    assert (address.address_1, address.city, address.postal_code) == (
        "12 Example Street",
        "Concord",
        "03301",
    )
    codes = service_codes(service)
    assert codes["type"] == ["peer_group"] and codes["population"] == ["women"]


def test_an_online_meeting_on_two_days(tmp_path) -> None:
    meeting_guide_import(path=write_feed(tmp_path, [ONLINE_TWICE]))
    service = Service.objects.get(pk=listing_id(SOURCE, "online-morning"))
    (row,) = Schedule.objects.filter(service=service)
    # Monday and Wednesday; no end time in the feed: an hour, as the spec says.
    assert (row.byday, row.opens_at, row.closes_at) == ("MO,WE", time(8), time(9))
    assert set(service_codes(service)["type"]) == {"online_support", "peer_group"}
    assert "https://video.example.org/j/555" in service.application_process
    assert service.phones.get().number == "603-555-0142"
    # Its place is closed for now (TC): found by the state it is held from, not a street.
    assert not Location.objects.filter(
        service_at_locations__service=service, location_type="physical"
    ).exists()
    assert service.service_areas.get().value == "NH"


def test_it_appears_in_search_after_the_import(
    tmp_path, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        meeting_guide_import(path=write_feed(tmp_path, [TUESDAY_CIRCLE]))
    entry = SearchEntry.objects.get(service_id=listing_id(SOURCE, "tuesday-night-circle"))
    assert entry.town == "Concord" and " type:peer_group " in entry.tags


def _counts() -> dict[str, int]:
    models = (Organization, Service, Location, Address, Schedule, ServiceChange)
    return {m.__name__: m.objects.count() for m in models}


def test_importing_the_same_file_again_changes_nothing(tmp_path) -> None:
    path = write_feed(tmp_path, [TUESDAY_CIRCLE, ONLINE_TWICE])
    meeting_guide_import(path=path)
    before = _counts()
    again = meeting_guide_import(path=path)
    assert (again.result.created, again.result.updated) == ([], [])
    assert len(again.result.unchanged) == 2
    assert _counts() == before


def test_a_changed_time_updates_the_listing_in_place(tmp_path) -> None:
    meeting_guide_import(path=write_feed(tmp_path, [TUESDAY_CIRCLE]))
    later = TUESDAY_CIRCLE | {"time": "19:00", "end_time": "20:30"}
    report = meeting_guide_import(path=write_feed(tmp_path, [later]))
    assert len(report.result.updated) == 1
    (row,) = Schedule.objects.filter(service_id=listing_id(SOURCE, "tuesday-night-circle"))
    assert (row.opens_at, row.closes_at) == (time(19), time(20, 30))


def test_a_bad_entry_is_named_and_nothing_changes(tmp_path) -> None:
    before = _counts()
    no_slug = {k: v for k, v in ONLINE_TWICE.items() if k != "slug"}
    path = write_feed(tmp_path, [TUESDAY_CIRCLE, ONLINE_TWICE | {"slug": "b"}, no_slug])
    with pytest.raises(CommandError):
        call_command("import_meeting_guide", str(path))
    assert _counts() == before


def test_the_command_names_the_entry_and_the_field(tmp_path, capsys) -> None:
    no_slug = {k: v for k, v in ONLINE_TWICE.items() if k != "slug"}
    bad_time = TUESDAY_CIRCLE | {"slug": "x", "time": "6pm"}
    path = write_feed(tmp_path, [TUESDAY_CIRCLE, bad_time, ONLINE_TWICE, no_slug])
    with pytest.raises(CommandError, match="2 error"):
        call_command("import_meeting_guide", str(path))
    errors = capsys.readouterr().err
    assert "entry 3: slug is missing" in errors
    assert "entry 1: time is not a time as HH:MM" in errors
    assert not Service.objects.filter(pk=listing_id(SOURCE, "tuesday-night-circle")).exists()


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"name": ""}, "entry 0: name is missing"),
        ({"day": 7}, "entry 0: day is not a number"),
        ({"day": None}, "entry 0: day is missing"),
        ({"timezone": "Mars/Olympus"}, "entry 0: timezone is not"),
        ({"types": "O"}, "entry 0: types is not a list"),
        ({"slug": "has space"}, "entry 0: slug has spaces"),
        ({"latitude": "north"}, "entry 0: latitude is not a number"),
    ],
)
def test_each_field_is_checked(tmp_path, capsys, change, problem) -> None:
    path = write_feed(tmp_path, [TUESDAY_CIRCLE | change])
    with pytest.raises(CommandError):
        call_command("import_meeting_guide", str(path))
    assert problem in capsys.readouterr().err


def test_a_repeated_slug_is_named(tmp_path, capsys) -> None:
    path = write_feed(tmp_path, [TUESDAY_CIRCLE, TUESDAY_CIRCLE])
    with pytest.raises(CommandError):
        call_command("import_meeting_guide", str(path))
    assert "entry 1: slug repeats entry 0" in capsys.readouterr().err


def test_the_command_reports_what_it_did(tmp_path, capsys) -> None:
    path = write_feed(tmp_path, [TUESDAY_CIRCLE, ONLINE_TWICE])
    call_command("import_meeting_guide", str(path), "--dry-run")
    assert "2 meeting(s) are fine" in capsys.readouterr().out
    assert not Service.objects.filter(pk=listing_id(SOURCE, "online-morning")).exists()
    call_command("import_meeting_guide", str(path))
    assert "2 new, 0 changed, 0 unchanged" in capsys.readouterr().out
