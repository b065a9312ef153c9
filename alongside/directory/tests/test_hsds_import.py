import gc
import json
import shutil
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from alongside.core.models import AuditEvent
from alongside.directory.hsds import package as package_module
from alongside.directory.hsds.importer import hsds_import
from alongside.directory.hsds.mapping import WRITE_ORDER
from alongside.directory.hsds.package import CsvPackage
from alongside.directory.hsds.reading import Problems
from alongside.directory.models import (
    Attribute,
    Contact,
    Location,
    Organization,
    Phone,
    Schedule,
    SearchEntry,
    Service,
    ServiceArea,
    ServiceChange,
    TaxonomyTerm,
)
from alongside.directory.services import service_codes

EXAMPLE_SERVICE = "ac148810-d857-441c-9679-408f346de14b"
EXAMPLE_LOCATION = "3a19ff88-4620-4d17-9830-ac1d859eb5d5"


def _counts() -> dict[str, int]:
    models = (Organization, Service, Location, Phone, Schedule, Attribute, TaxonomyTerm)
    counts = {m.__name__: m.objects.count() for m in models}
    return counts | {"changes": ServiceChange.objects.count(), "audit": AuditEvent.objects.count()}


def _service(**fields):
    """A small valid HSDS service, as JSON."""
    return {
        "id": str(uuid.uuid4()),
        "name": "Harbor Peer Line (test)",
        "status": "active",
        "organization": {"id": str(uuid.uuid4()), "name": "Harbor (test)", "description": ""},
        **fields,
    }


def _write(tmp_path: Path, data) -> Path:
    path = tmp_path / "services.json"
    path.write_text(json.dumps(data))
    return path


def test_official_example_package_imports_with_warnings(db, kit):
    report = hsds_import(path=kit / "examples/csv")
    assert report.ok
    assert report.created() == dict.fromkeys(WRITE_ORDER, 1)
    warned = {(p.where.file, p.field) for p in report.warnings}
    assert {("locations.csv", "latitude"), ("schedules.csv", "timezone")} <= warned
    assert ("csv", "state_province") in warned  # "MyState": search keeps US states only
    location = Location.objects.get(pk=EXAMPLE_LOCATION)
    assert location.latitude is None and location.timezone_name == settings.TIME_ZONE


def test_contacts_are_kept_with_their_numbers(db, kit):
    from alongside.directory.hsds.documents import contact_documents

    hsds_import(path=kit / "examples/csv")
    contact = Contact.objects.get(pk="1e7efce3-639b-4880-940c-b95cd30cdb50")
    assert (contact.name, contact.title, contact.department) == (
        "Ann Persona",
        "Reception Manager",
        "Reception",
    )
    assert str(contact.service_id) == EXAMPLE_SERVICE
    assert str(contact.location_id) == EXAMPLE_LOCATION
    [document] = contact_documents(Contact.objects.filter(pk=contact.pk))
    assert document["email"] == "email@example.com"
    assert [p["number"] for p in document["phones"]] == [contact.phones.get().number]


def test_the_garbage_collector_rests_while_importing_and_only_then(db, kit, tmp_path):
    collections: list[str] = []

    def record(phase, info):
        collections.append(phase)

    gc.callbacks.append(record)
    try:
        assert hsds_import(path=kit / "examples/csv").ok
    finally:
        gc.callbacks.remove(record)
    # None while importing; at most one as it is switched on again.
    assert collections.count("start") <= 1
    assert gc.isenabled()
    assert not hsds_import(path=tmp_path / "nothing-here").ok
    assert gc.isenabled()


def test_importing_again_leaves_everything_alone(db, kit):
    hsds_import(path=kit / "examples/csv")
    again = hsds_import(path=kit / "examples/csv")
    assert again.ok and again.created() == {}
    assert all(c.updated == 0 for c in again.counts.values())


def test_broken_reference_names_file_row_and_field_and_changes_nothing(db, kit, tmp_path):
    package = tmp_path / "package"
    shutil.copytree(kit / "examples/csv", package)
    links = package / "service_at_location.csv"
    links.write_text(links.read_text().replace(EXAMPLE_LOCATION, str(uuid.uuid4())))
    before = _counts()
    report = hsds_import(path=package)
    assert [str(e).split(":")[0] for e in report.errors] == [
        "service_at_location.csv row 2, location_id"
    ]
    assert _counts() == before


def test_command_fails_with_a_non_zero_exit_and_changes_nothing(db, kit, tmp_path):
    package = tmp_path / "package"
    shutil.copytree(kit / "examples/csv", package)
    services = package / "services.csv"
    services.write_text(services.read_text().replace(",active,", ",open,"))
    before = _counts()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("import_hsds", str(package))
    assert _counts() == before


def test_official_json_service_imports_with_links_from_its_nesting(db, kit):
    report = hsds_import(path=kit / "examples/service_full.json")
    assert report.ok and report.created()["service"] == 1
    phone = Phone.objects.get(pk="1554f2e2-a373-45db-a3fa-9fc48a61c15e")
    assert str(phone.service_id) == EXAMPLE_SERVICE
    assert str(phone.location_id) == EXAMPLE_LOCATION
    assert phone.organization_id is not None


def test_a_page_of_services_is_accepted(db, kit):
    report = hsds_import(path=kit / "examples/service_list.json")
    assert report.ok and report.created() == {"organization": 1, "service": 1}


def test_missing_required_field_is_an_error_with_its_json_path(db, tmp_path):
    service = _service()
    del service["name"]
    report = hsds_import(path=_write(tmp_path, [service]))
    assert [str(e) for e in report.errors] == ["services.json $[0].name: is required"]


def test_our_codes_map_onto_our_terms_and_other_terms_come_as_they_are(db, tmp_path):
    airs = {"id": str(uuid.uuid4()), "name": "AIRS (test)", "description": "211 taxonomy"}
    terms = [
        {"id": str(uuid.uuid4()), "code": "warm_line", "name": "Warm line", "description": "x"},
        {"id": str(uuid.uuid4()), "code": "BD", "name": "Basic needs", "description": "y"}
        | {"taxonomy_detail": airs},
    ]
    attributes = [{"id": str(uuid.uuid4()), "taxonomy_term": t} for t in terms]
    ours_before = TaxonomyTerm.objects.filter(taxonomy__name="alongside").count()
    report = hsds_import(path=_write(tmp_path, _service(attributes=attributes)))
    service = Service.objects.get(name="Harbor Peer Line (test)")
    assert report.ok and service_codes(service)["type"] == ["warm_line"]
    assert TaxonomyTerm.objects.get(code="BD").taxonomy.name == "AIRS (test)"
    assert TaxonomyTerm.objects.filter(taxonomy__name="alongside").count() == ours_before


def test_zones_come_from_the_zip_or_else_the_offset_and_county_from_the_zip(db, tmp_path):
    concord = {"id": str(uuid.uuid4()), "location_type": "physical", "name": "Concord"}
    concord["addresses"] = [
        {"id": str(uuid.uuid4()), "address_1": "1 Test St", "city": "Concord"}
        | {"state_province": "NH", "postal_code": "03301", "country": "US"}
        | {"address_type": "physical"}
    ]
    online = {"id": str(uuid.uuid4()), "location_type": "virtual", "name": "Online"}
    online["schedules"] = [{"id": str(uuid.uuid4()), "byday": "MO", "timezone": -6}]
    places = [{"id": str(uuid.uuid4()), "location": x} for x in (concord, online)]
    report = hsds_import(path=_write(tmp_path, _service(service_at_locations=places)))
    assert report.ok
    place = Location.objects.get(pk=concord["id"])
    assert (place.timezone_name, place.county) == ("America/New_York", "Merrimack County")
    assert SearchEntry.objects.get(location=place).county == "Merrimack County"
    assert Location.objects.get(pk=online["id"]).timezone_name == "America/Chicago"


def test_text_extents_become_area_scopes(db, tmp_path):
    extents = ["NH", "Coos County, NH", "03301", "the North Country"]
    areas = [{"id": str(uuid.uuid4()), "extent_type": "text", "extent": e} for e in extents]
    hsds_import(path=_write(tmp_path, _service(service_areas=areas)))
    found = ServiceArea.objects.filter(service__name="Harbor Peer Line (test)")
    assert {(a.scope, a.value) for a in found} == {
        ("state", "NH"),
        ("county", "Coos County, NH"),
        ("postal_code", "03301"),
        ("", ""),
    }


def test_a_dated_row_without_hours_is_a_closure(db, tmp_path):
    holiday = {"id": str(uuid.uuid4()), "valid_from": "2030-12-25", "valid_to": "2030-12-25"}
    weekly = {"id": str(uuid.uuid4()), "byday": "MO", "opens_at": "09:00", "closes_at": "17:00"}
    hsds_import(path=_write(tmp_path, _service(schedules=[holiday, weekly])))
    assert Schedule.objects.get(pk=holiday["id"]).closed
    assert not Schedule.objects.get(pk=weekly["id"]).closed


def test_unusable_values_are_warnings_and_left_out(db, tmp_path):
    service = _service(email="not an address", minimum_age=12.5)
    report = hsds_import(path=_write(tmp_path, service))
    assert report.ok and {p.field for p in report.warnings} == {"email", "minimum_age"}
    imported = Service.objects.get(pk=service["id"])
    assert (imported.email, imported.minimum_age) == ("", None)


def test_dry_run_checks_but_writes_nothing(db, kit):
    before = _counts()
    report = hsds_import(path=kit / "examples/csv", dry_run=True)
    assert report.ok and report.created()["service"] == 1
    assert _counts() == before


def _wipe_directory() -> None:
    for model in (Organization, Location, Attribute):
        model.objects.all().delete()


def _import_queries(tmp_path: Path, count: int) -> int:
    """Queries an import of ``count`` generated listings takes, into an empty directory."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from alongside.directory.synthetic import generate_directory

    _wipe_directory()
    generate_directory(count)
    package = tmp_path / f"package{count}"
    call_command("export_hsds", str(package), format="csv", verbosity=0)
    _wipe_directory()
    with CaptureQueriesContext(connection) as queries:
        report = hsds_import(path=package)
    assert report.ok and report.indexed == count
    return len(queries)


def test_import_queries_do_not_grow_with_the_listings(db, tmp_path):
    assert _import_queries(tmp_path, 60) == _import_queries(tmp_path, 20)


def test_a_first_import_checks_references_at_its_end_and_keeps_them(db, kit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from alongside.directory.hsds.mapping import MAPPINGS
    from alongside.lib.tests.test_constraints import _foreign_keys

    models = [MAPPINGS[t].model for t in WRITE_ORDER]
    before = _foreign_keys(*models)
    _wipe_directory()
    Service.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        assert hsds_import(path=kit / "examples/csv").ok
    assert _foreign_keys(*models) == before
    added = [q for q in queries.captured_queries if "ADD CONSTRAINT" in q["sql"]]
    assert bool(added) == (connection.vendor == "postgresql")
    assert Service.objects.filter(pk=EXAMPLE_SERVICE).exists()


def test_an_id_used_twice_names_both_rows_and_changes_nothing(db, kit, tmp_path):
    package = tmp_path / "package"
    shutil.copytree(kit / "examples/csv", package)
    services = package / "services.csv"
    lines = services.read_text().splitlines()
    services.write_text("\n".join([*lines, lines[1]]) + "\n")
    before = _counts()
    report = hsds_import(path=package)
    assert [str(e) for e in report.errors] == [
        "services.csv row 3, id: is used twice (also services.csv row 2)"
    ]
    assert _counts() == before


def test_every_rule_of_our_models_is_checked_before_writing():
    """Rows are not ``full_clean``-ed one by one: the checks of ``cleaning`` stand for it."""
    from django.db import models

    from alongside.directory.hsds.cleaning import _rules
    from alongside.directory.hsds.mapping import MAPPINGS
    from alongside.directory.hsds.tables import TABLES

    for table, mapping in MAPPINGS.items():
        if table == "metadata":
            continue
        _fields, _plain, limits, needed = _rules(table)
        refs = {r.column for r in mapping.refs if r.needed}
        for column, attr in mapping.columns.items():
            f = mapping.model._meta.get_field(attr)
            if isinstance(f, models.CharField) and not f.primary_key:
                assert limits.get(column) == f.max_length, (table, column)
            if not (f.blank or f.has_default() or f.primary_key):
                assert column in (*needed, *refs), (table, column)
            enum = TABLES[table].field(column).enum
            if f.choices and table != "phone":  # phone types are checked by ``_adapt``
                assert set(enum) <= {value for value, _ in f.choices}, (table, column)


def test_a_table_read_to_its_end_is_read_again_from_its_spool(kit, tmp_path):
    package = tmp_path / "package"
    shutil.copytree(kit / "examples/csv", package)
    source = CsvPackage(package, Problems())
    first = [(r.values, r.where) for r in source.records("service", Problems())]
    (package / "services.csv").write_text("id,name\n")  # later reads do not look
    try:
        for _again in range(2):
            assert [(r.values, r.where) for r in source.records("service", Problems())] == first
    finally:
        source.close()


def test_a_table_left_half_read_is_not_spooled(kit, tmp_path):
    package = tmp_path / "package"
    shutil.copytree(kit / "examples/csv", package)
    source = CsvPackage(package, Problems())
    records = source.records("service", Problems())
    assert next(records).values["id"] == EXAMPLE_SERVICE
    records.close()
    (package / "services.csv").write_text("id,name\n")
    assert list(source.records("service", Problems())) == []
    source.close()


def _report(path: Path, helper: bool, monkeypatch) -> tuple:
    monkeypatch.setattr(package_module, "HELPER_MIN_BYTES", 0 if helper else 10**12)
    report = hsds_import(path=path, dry_run=True)
    return (
        sorted(map(str, report.errors)),
        sorted(map(str, report.warnings)),
        report.ignored,
        {t: (c.created, c.updated, c.unchanged) for t, c in report.counts.items()},
    )


def test_a_helper_process_parses_the_largest_table_to_the_same_report(
    db, kit, tmp_path, monkeypatch
):
    package = tmp_path / "package"
    shutil.copytree(kit / "examples/csv", package)
    monkeypatch.setattr(package_module, "HELPER_MIN_BYTES", 0)
    source = CsvPackage(package, Problems())
    source.start_helper()
    assert source.helper_table == "service"  # services.csv is the example's largest file
    source.close()
    assert source.helper_table is None
    alone = _report(package, False, monkeypatch)
    assert alone[1] and alone[3]["service"] == (1, 0, 0)  # warnings, and a service to write
    assert _report(package, True, monkeypatch) == alone
    # The helper's own problems: a service row with an error and one with a warning.
    services = package / "services.csv"
    lines = services.read_text().splitlines()
    broken = lines[1].replace(EXAMPLE_SERVICE, str(uuid.uuid4()), 1).replace("active", "gone")
    services.write_text("\n".join([*lines, broken]) + "\n")
    alone = _report(package, False, monkeypatch)
    assert any("status" in e for e in alone[0])
    assert _report(package, True, monkeypatch) == alone
