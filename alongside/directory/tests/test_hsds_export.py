import json
from datetime import date
from pathlib import Path

from django.core.management import call_command

from alongside.directory import geo
from alongside.directory.hsds.exporter import export_csv, export_json, export_tables, services_json
from alongside.directory.hsds.importer import hsds_import
from alongside.directory.models import (
    Address,
    Attribute,
    Location,
    Organization,
    Schedule,
    SearchEntry,
)
from alongside.directory.taxonomy import TERMS

WINTER, SUMMER = date(2031, 1, 15), date(2031, 7, 15)


def _wipe() -> None:
    for model in (Organization, Location, Attribute):
        model.objects.all().delete()


def _files(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(folder.iterdir())}


def _facts() -> tuple:
    """What HSDS has no field for, and the import must derive again (search rows among it)."""
    entries = [
        (*row, sorted(json.loads(hours), key=str))  # rows of hours in no particular order
        for *row, hours in SearchEntry.objects.values_list(
            "service_id", "location_id", "area_value", "tags", "words", "visible", "town", "hours"
        )
    ]
    return (
        sorted(
            Location.objects.values_list("id", "timezone_name", "county", "address_confidential")
        ),
        sorted(Schedule.objects.filter(closed=True).values_list("id", flat=True)),
        sorted(entries, key=str),
    )


def test_exported_services_validate_against_the_hsds_schema(sample, kit):
    from jsonschema import Draft202012Validator, FormatChecker

    schema = json.loads((kit / "schema/compiled/service.json").read_text())
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    services = services_json(today=WINTER)
    assert len(services) == 76
    assert [e.message for s in services for e in validator.iter_errors(s)] == []


def test_csv_round_trip_is_lossless(sample, tmp_path):
    export_csv(tmp_path / "first", today=WINTER)
    facts = _facts()
    _wipe()
    report = hsds_import(path=tmp_path / "first")
    assert report.ok and report.warnings == []
    export_csv(tmp_path / "again", today=WINTER)
    assert _files(tmp_path / "again") == _files(tmp_path / "first")
    assert _facts() == facts


def test_json_round_trip_is_lossless(sample, tmp_path):
    export_json(tmp_path / "first.json", today=WINTER)
    _wipe()
    assert hsds_import(path=tmp_path / "first.json").ok
    export_json(tmp_path / "again.json", today=WINTER)
    assert (tmp_path / "again.json").read_text() == (tmp_path / "first.json").read_text()


def test_confidential_address_leaves_as_a_town_only(sample, tmp_path):
    hidden = Address.objects.select_related("location").get(location__address_confidential=True)
    export_csv(tmp_path / "package", today=WINTER)
    export_json(tmp_path / "services.json", today=WINTER)
    text = (
        " ".join(_files(tmp_path / "package").values()) + (tmp_path / "services.json").read_text()
    )
    assert hidden.address_1 not in text and hidden.city in text
    assert str(hidden.location.latitude) not in text


def test_confidential_place_leaves_as_its_town_and_the_towns_first_zip(sample):
    hidden = Address.objects.select_related("location").get(location__address_confidential=True)
    hidden.postal_code = "03303"  # one of Concord's ZIP codes, not its first
    hidden.save()
    town = geo.town_place("Concord", "NH")
    tables = export_tables()
    location = next(r for r in tables["location"] if r["id"] == hidden.location_id)
    address = next(r for r in tables["address"] if r["id"] == hidden.id)
    assert (location["latitude"], location["longitude"]) == (town.latitude, town.longitude)
    assert address["postal_code"] == town.postal_code == "03301"


def test_reimporting_our_export_keeps_the_real_confidential_street(sample, tmp_path):
    hidden = Address.objects.select_related("location").get(location__address_confidential=True)
    Address.objects.filter(pk=hidden.pk).update(postal_code="03303")  # not the town's first
    hidden.refresh_from_db()
    export_csv(tmp_path / "package", today=WINTER)
    report = hsds_import(path=tmp_path / "package")
    assert report.created() == {} and all(c.updated == 0 for c in report.counts.values())
    kept = Address.objects.select_related("location").get(pk=hidden.pk)
    assert (kept.address_1, kept.postal_code) == (hidden.address_1, "03303")
    assert kept.location.latitude == hidden.location.latitude
    assert kept.location.county == hidden.location.county


def test_schedule_offsets_follow_daylight_saving_time(sample):
    def offsets(today: date, dated: bool) -> set:
        rows = export_tables(today=today)["schedule"]
        return {r["timezone"] for r in rows if (r["valid_from"] is not None) == dated}

    assert offsets(WINTER, dated=False) == {-5}
    assert offsets(SUMMER, dated=False) == {-4}
    assert offsets(SUMMER, dated=True) == {-5}  # Thanksgiving and Christmas are in winter


def test_holidays_leave_as_dated_rows_without_hours(sample):
    rows = {str(r["id"]): r for r in export_tables(today=WINTER)["schedule"]}
    holiday = Schedule.objects.filter(closed=True).first()
    row = rows[str(holiday.id)]
    assert row["valid_from"] == row["valid_to"] == holiday.valid_from
    assert row["opens_at"] is None and row["closes_at"] is None


def test_our_taxonomy_leaves_with_all_its_terms(sample):
    tables = export_tables(today=WINTER)
    ours = next(t for t in tables["taxonomy"] if t["name"] == "alongside")
    terms = [t for t in tables["taxonomy_term"] if t["taxonomy_id"] == ours["id"]]
    assert sorted(t["code"] for t in terms) == sorted(t.code for t in TERMS)


def test_our_taxonomy_has_the_same_ids_in_every_directory(sample):
    # Fixed here, so that a change to how they are made cannot pass unnoticed.
    tables = export_tables(today=WINTER)
    ours = next(t for t in tables["taxonomy"] if t["name"] == "alongside")
    warm_line = next(t for t in tables["taxonomy_term"] if t["code"] == "warm_line")
    assert (str(ours["id"]), str(warm_line["id"])) == (
        "5248ef88-cb2e-537f-af9c-8775ab700d51",
        "aae50460-74ad-55e6-a56b-6a63c30a998f",
    )


def test_export_command_writes_a_data_package(sample, tmp_path):
    out = tmp_path / "package"
    call_command("export_hsds", str(out), "--format", "csv", "--as-of", "2031-01-15")
    package = json.loads((out / "datapackage.json").read_text())
    for resource in package["resources"]:
        header = (out / resource["path"]).read_text().splitlines()[0].split(",")
        assert header == [f["name"] for f in resource["schema"]["fields"]]


NEW_CODES = {
    "recovery_housing",
    "telephone_recovery_support",
    "ed_recovery_coach",
    "clubhouse",
    "peer_run",
    "mat_welcome",
    "all_pathways",
    "reentry",
    "pregnant_parenting",
    "deaf_hoh",
    "unhoused",
    "no_referral",
    "no_id",
    "anonymous",
    "wheelchair",
    "narr_2",
    "narr_3",
}


def _service_codes(services: list[dict]) -> dict[str, set[str]]:
    return {
        s["name"]: {a["taxonomy_term"]["code"] for a in s.get("attributes", [])} for s in services
    }


def test_the_new_attributes_leave_as_hsds_attributes_and_come_back_unchanged(sample, kit, tmp_path):
    from jsonschema import Draft202012Validator, FormatChecker

    services = services_json(today=WINTER)
    before = _service_codes(services)
    assert set().union(*before.values()) >= NEW_CODES
    assert {"recovery_housing", "mat_welcome", "peer_run", "narr_2", "no_id"} <= before[
        "Granite Path Recovery Residence (sample)"
    ]
    schema = json.loads((kit / "schema/compiled/service.json").read_text())
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    with_new = [s for s in services if _service_codes([s])[s["name"]] & NEW_CODES]
    assert [e.message for s in with_new for e in validator.iter_errors(s)] == []
    export_json(tmp_path / "first.json", today=WINTER)
    _wipe()
    assert hsds_import(path=tmp_path / "first.json").ok
    assert _service_codes(services_json(today=WINTER)) == before
