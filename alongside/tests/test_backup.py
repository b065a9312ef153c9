"""`alongside backup` and `alongside restore`: a round trip on the database the tests run on.

On SQLite this uses the online backup API; when DATABASE_URL is PostgreSQL (CI's second
pass) the same tests go through pg_dump and pg_restore.
"""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from alongside.care import services as care
from alongside.care.models import Encounter
from alongside.care.tests.conftest import make_participant
from alongside.core.audit import audit_chain_verify
from alongside.core.backup import backup_open
from alongside.core.services import organization_create
from alongside.core.tenancy import organization_scope

NOTE = "Talked through the first week at the new job (sample)"
DOCUMENTS = {"consent/2026/scan.pdf": b"%PDF-1.4 sample consent scan", "photo.png": b"\x89PNG x"}


@pytest.fixture
def media_root(tmp_path, settings):
    root = tmp_path / "media"
    for name, data in DOCUMENTS.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    settings.MEDIA_ROOT = str(root)
    return root


@pytest.fixture
def records(org, member):
    participant = make_participant(org, member, specialists=[member], phone="603-555-0142")
    with organization_scope(org):
        encounter = care.encounter_create(
            participant=participant,
            actor=member,
            data={
                "type": "phone",
                "date": datetime.date(2026, 3, 2),
                "start_time": datetime.time(10, 0),
                "end_time": datetime.time(10, 30),
                "service_category": "planning",
                "worked_on": NOTE,
            },
        )
    return encounter


def _every_row() -> dict[str, list[str]]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        rows = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {quote(table)}")
            rows[table] = sorted(repr(row) for row in cursor.fetchall())
    return rows


def _run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_round_trip_restores_every_row_note_audit_and_document(records, media_root, tmp_path):
    before = _every_row()
    assert before["care_encounter"] and before["core_auditevent"]
    backup = tmp_path / "nightly.backup"
    _run("backup", str(backup))
    # The day goes on: a new organization (audited), a document lost.
    organization_create(name="Later Org (test)", slug="later", state="NH")
    (media_root / "photo.png").unlink()
    assert _every_row() != before

    out = _run("restore", str(backup), "--replace")

    assert "Restored" in out
    assert _every_row() == before
    with organization_scope(records.organization):
        assert Encounter.objects.get(pk=records.pk).worked_on == NOTE
    assert audit_chain_verify() is None
    call_command("audit_verify", stdout=StringIO())
    for name, data in DOCUMENTS.items():
        assert (media_root / name).read_bytes() == data
    kept = list(media_root.parent.glob("media.before-restore-*"))
    assert len(kept) == 1 and not (kept[0] / "photo.png").exists()


@pytest.mark.django_db(transaction=True)
def test_backup_holds_no_key_and_no_plain_text(records, media_root, tmp_path, settings):
    backup = tmp_path / "b.backup"
    _run("backup", str(backup))
    raw = backup.read_bytes()
    assert NOTE.encode() not in raw and b"603-555-0142" not in raw
    with backup_open(backup) as unpacked:
        contents = b"".join(p.read_bytes() for p in unpacked.folder.rglob("*") if p.is_file())
        assert unpacked.manifest["audit"]["count"] >= 1
    for key in (settings.SECRET_KEY, settings.AUDIT_HMAC_KEY, settings.FIELD_ENCRYPTION_KEY):
        assert key.encode() not in contents
    assert NOTE.encode() not in contents  # the note stays encrypted inside the database too


@pytest.mark.django_db(transaction=True)
def test_check_reads_the_backup_and_changes_nothing(records, media_root, tmp_path):
    backup = tmp_path / "b.backup"
    _run("backup", str(backup))
    out = _run("restore", str(backup), "--check")
    assert "every part matches" in out and "2 documents" in out


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(records, tmp_path):
    backup = tmp_path / "b.backup"
    _run("backup", str(backup))
    with pytest.raises(CommandError, match="not empty"):
        _run("restore", str(backup))


@pytest.mark.django_db(transaction=True)
def test_restore_needs_the_key_the_backup_was_made_with(records, tmp_path, settings):
    backup = tmp_path / "b.backup"
    _run("backup", str(backup))
    settings.FIELD_ENCRYPTION_KEY = Fernet.generate_key().decode()
    with pytest.raises(CommandError, match="cannot be decrypted"):
        _run("restore", str(backup), "--check")


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_another_audit_key(records, tmp_path, settings):
    backup = tmp_path / "b.backup"
    _run("backup", str(backup))
    settings.AUDIT_HMAC_KEY = "another audit key"
    with pytest.raises(CommandError, match="^Wrong key"):
        _run("restore", str(backup), "--replace")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("damage", ["flip", "cut"])
def test_damaged_backup_is_refused(records, tmp_path, damage):
    backup = tmp_path / "b.backup"
    _run("backup", str(backup))
    data = bytearray(backup.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 1
    else:
        data = data[: len(data) - 10]
    Path(backup).write_bytes(bytes(data))
    with pytest.raises(CommandError, match="cannot be decrypted|cut short"):
        _run("restore", str(backup), "--check")


@pytest.mark.django_db(transaction=True)
def test_backup_never_overwrites(records, tmp_path):
    (tmp_path / "b.backup").write_text("older")
    with pytest.raises(CommandError, match="never overwrites"):
        _run("backup", str(tmp_path / "b.backup"))
