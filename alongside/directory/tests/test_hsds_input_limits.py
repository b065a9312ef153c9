"""HSDS input that is too big, too deep or left behind, and CSV output that opens safely."""

import csv
import json
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

from alongside.directory.hsds.exporter import export_csv
from alongside.directory.hsds.importer import hsds_import
from alongside.directory.hsds.package import CsvPackage, remove_abandoned_spools
from alongside.directory.hsds.reading import LONGEST_VALUE, Problems
from alongside.directory.models import Service

ROOT = Path(__file__).resolve().parents[3]


def _service(**fields):
    return {
        "id": str(uuid.uuid4()),
        "name": "Harbor Peer Line (test)",
        "status": "active",
        "organization": {"id": str(uuid.uuid4()), "name": "Harbor (test)", "description": ""},
        **fields,
    }


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "services.json"
    path.write_text(text)
    return path


def test_json_value_longer_than_a_csv_cell_is_refused(db, tmp_path):
    service = _service(description="x" * (LONGEST_VALUE + 1))
    report = hsds_import(path=_write(tmp_path, json.dumps([service])))
    assert not report.ok
    assert [str(e) for e in report.errors] == [
        f"services.json $[0].description: is longer than {LONGEST_VALUE} characters"
    ]
    assert not Service.objects.filter(pk=service["id"]).exists()


def test_json_value_as_long_as_a_csv_cell_imports(db, tmp_path):
    service = _service(description="x" * LONGEST_VALUE)
    assert hsds_import(path=_write(tmp_path, json.dumps([service]))).ok


def test_json_nested_past_the_parsers_depth_is_a_clean_error(db, tmp_path):
    report = hsds_import(path=_write(tmp_path, "[" * 200_000 + "]" * 200_000))
    assert [str(e) for e in report.errors] == ["services.json: is nested too deeply to read"]


def test_json_records_nested_past_hsds_depth_are_a_clean_error(db, tmp_path):
    # A service holding a place holding the service again, a few hundred times over.
    service = _service()
    for _ in range(300):
        service = _service(service_at_locations=[{"id": str(uuid.uuid4()), "service": service}])
    report = hsds_import(path=_write(tmp_path, json.dumps(service)))
    assert not report.ok
    assert any("is nested more than 20 records deep" in str(e) for e in report.errors)


def test_json_place_without_its_location_is_an_error_not_a_crash(db, tmp_path):
    service = _service(service_at_locations=[{"id": str(uuid.uuid4())}])
    report = hsds_import(path=_write(tmp_path, json.dumps(service)))
    assert [str(e) for e in report.errors] == [
        "services.json $.service_at_locations[0].location_id: is required"
    ]


def test_deep_datapackage_descriptor_is_a_clean_error(db, tmp_path):
    (tmp_path / "datapackage.json").write_text('{"resources": ' + "[" * 200_000)
    report = hsds_import(path=tmp_path)
    assert [str(e) for e in report.errors] == ["datapackage.json: is nested too deeply to read"]


KILLED_IMPORT = """
import os, signal, sys
import django
django.setup()
from alongside.directory.hsds.package import CsvPackage
from alongside.directory.hsds.reading import Problems
package = CsvPackage(__import__("pathlib").Path(sys.argv[1]), Problems())
for _ in package.records("service", Problems()):
    pass
print(package._dir, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.fixture
def own_temp_dir(tmp_path, monkeypatch):
    """A temporary folder of this test's own, for this process and the ones it starts."""
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def test_a_killed_imports_spool_is_removed_at_the_next_start(db, kit, own_temp_dir):
    env = os.environ | {"DEBUG": "1", "DJANGO_SETTINGS_MODULE": "alongside.settings"}
    killed = subprocess.run(  # noqa: S603
        [sys.executable, "-c", KILLED_IMPORT, str(kit / "examples/csv")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    left = Path(killed.stdout.strip())
    assert killed.returncode == -9 and (left / "service.spool").is_file()
    running = CsvPackage(kit / "examples/csv", Problems())  # another import, still going
    try:
        assert hsds_import(path=kit / "examples/csv", dry_run=True).ok
        assert not left.exists()
        assert running._dir.exists()
    finally:
        running.close()
    assert list(own_temp_dir.glob("alongside-import-*")) == []


def test_only_folders_of_our_own_are_removed(own_temp_dir):
    stranger = own_temp_dir / "alongside-import-something-else"
    stranger.mkdir()
    assert remove_abandoned_spools() == []
    assert stranger.exists()


def test_export_escapes_formulas_and_the_import_takes_them_back(sample, tmp_path):
    service = Service.objects.filter(status="active").first()
    Service.objects.filter(pk=service.pk).update(
        name='=HYPERLINK("http://bad.example","Call us")', description="+1 for peers"
    )
    export_csv(tmp_path)
    with (tmp_path / "services.csv").open(newline="", encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["id"] == str(service.pk))
    assert row["name"].startswith("'=") and row["description"] == "'+1 for peers"
    Service.objects.filter(pk=service.pk).update(name="Changed", description="")
    assert hsds_import(path=tmp_path).ok
    service.refresh_from_db()
    assert service.name == '=HYPERLINK("http://bad.example","Call us")'
    assert service.description == "+1 for peers"
