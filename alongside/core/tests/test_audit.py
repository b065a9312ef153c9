from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from alongside.core.audit import Action, audit_chain_verify, audit_record
from alongside.core.models import AuditEvent


def _chain(n: int = 5) -> list[AuditEvent]:
    return [
        audit_record(action=Action.VIEW, object_type="test", object_id=str(i)) for i in range(n)
    ]


def _raw_update(sql: str, params: list) -> None:
    # Simulates someone with direct database access; on PostgreSQL they must first lift
    # the append-only trigger, as the table owner could.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only"
            )
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_append_only")


@pytest.mark.django_db
def test_intact_chain_verifies():
    _chain()
    assert audit_chain_verify() is None
    call_command("audit_verify")


@pytest.mark.django_db
def test_altered_event_is_named():
    events = _chain()
    _raw_update("UPDATE core_auditevent SET object_id = %s WHERE id = %s", ["x", events[2].pk])
    problem = audit_chain_verify()
    assert problem is not None and problem.event_id == events[2].pk
    assert "changed" in problem.reason
    with pytest.raises(CommandError, match=f"event {events[2].pk}"):
        call_command("audit_verify")


@pytest.mark.django_db
def test_deleted_event_breaks_the_chain_at_the_next_one():
    events = _chain()
    _raw_update("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
    problem = audit_chain_verify()
    assert problem is not None and problem.event_id == events[2].pk


@pytest.mark.django_db
def test_reordered_events_are_caught():
    events = _chain()
    a, b = events[1], events[3]
    fields = ["occurred_at", "object_id", "prev_hash", "hash"]
    values_a = [getattr(a, f) for f in fields]
    values_b = [getattr(b, f) for f in fields]
    assignments = ", ".join(f"{f} = %s" for f in fields)
    _raw_update(f"UPDATE core_auditevent SET {assignments} WHERE id = %s", [*values_b, a.pk])
    _raw_update(f"UPDATE core_auditevent SET {assignments} WHERE id = %s", [*values_a, b.pk])
    problem = audit_chain_verify()
    assert problem is not None and problem.event_id == a.pk


@pytest.mark.django_db
def test_saving_an_existing_event_is_refused():
    event = _chain(1)[0]
    event.object_id = "changed"
    with pytest.raises(ValueError, match="append-only"):
        event.save()


@pytest.mark.django_db(transaction=True)
def test_postgres_trigger_refuses_update_and_delete(uses_postgres):
    if not uses_postgres:
        pytest.skip("The append-only trigger is PostgreSQL's; this run is on SQLite.")
    from django.db import DatabaseError

    event = _chain(1)[0]
    with pytest.raises(DatabaseError, match="append-only"):
        AuditEvent.objects.filter(pk=event.pk).update(object_id="x")
    with pytest.raises(DatabaseError, match="append-only"):
        AuditEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.django_db
def test_changed_fields_are_names_only():
    event = audit_record(action=Action.UPDATE, object_type="t", changed_fields=["note", "note"])
    event.refresh_from_db()
    assert event.changed_fields == ["note"]


# --- Checkpoints and the key ---------------------------------------------------------------


def _checkpoint(tmp_path, *args) -> str:
    path = tmp_path / "checkpoints.jsonl"
    call_command("audit_checkpoint", "--file", str(path), *args, stdout=StringIO())
    return str(path)


def _wipe_every_event() -> None:
    _raw_update("DELETE FROM core_auditevent", [])


@pytest.mark.django_db
def test_emptied_trail_fails_against_a_checkpoint(tmp_path):
    _chain(3)
    path = _checkpoint(tmp_path)
    call_command("audit_verify", "--checkpoints", path)
    _wipe_every_event()
    call_command("audit_verify")  # the chain alone cannot tell: nothing is left to check
    with pytest.raises(CommandError, match="shorter than the checkpoint .*had 3 events"):
        call_command("audit_verify", "--checkpoints", path)


@pytest.mark.django_db
def test_trail_cut_at_the_end_fails_against_a_checkpoint(tmp_path):
    events = _chain(4)
    path = _checkpoint(tmp_path)
    _chain(2)  # more events after the checkpoint are fine
    _checkpoint(tmp_path)
    call_command("audit_verify", "--checkpoints", path)
    _raw_update("DELETE FROM core_auditevent WHERE id > %s", [events[1].pk])
    assert audit_chain_verify() is None
    with pytest.raises(CommandError, match="shorter than the checkpoint"):
        call_command("audit_verify", "--checkpoints", path)


@pytest.mark.django_db
def test_rewritten_head_differs_from_the_checkpoint(tmp_path, settings):
    events = _chain(3)
    path = _checkpoint(tmp_path)
    # Someone who had the key rebuilds the end of the chain: the checkpoint still holds.
    from alongside.core.audit import GENESIS, _digest

    fake = AuditEvent.objects.get(pk=events[2].pk)
    fake.object_id = "rewritten"
    new_hash = _digest(fake.prev_hash, fake.chained_content())
    _raw_update(
        "UPDATE core_auditevent SET object_id = %s, hash = %s WHERE id = %s",
        ["rewritten", new_hash, fake.pk],
    )
    assert GENESIS and audit_chain_verify() is None
    with pytest.raises(CommandError, match=f"differs from the checkpoint .*event {fake.pk}"):
        call_command("audit_verify", "--checkpoints", path)


@pytest.mark.django_db
def test_altered_checkpoint_is_caught(tmp_path):
    _chain(2)
    path = tmp_path / _checkpoint(tmp_path)
    path.write_text(path.read_text().replace('"count":2', '"count":1'))
    with pytest.raises(CommandError, match="was altered"):
        call_command("audit_verify", "--checkpoints", str(path))


@pytest.mark.django_db
def test_checkpoint_goes_to_syslog_over_udp_and_reads_back(tmp_path):
    import socket

    _chain(2)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as collector:
        collector.bind(("127.0.0.1", 0))
        collector.settimeout(10)
        port = collector.getsockname()[1]
        call_command("audit_checkpoint", "--syslog", f"127.0.0.1:{port}", stdout=StringIO())
        message = collector.recv(4096).decode()
    assert message.startswith("<37>") and "alongside-audit-checkpoint" in message
    extract = tmp_path / "syslog.txt"
    extract.write_text(f"Dec  7 03:00:00 host {message[4:]}\nDec  7 03:00:01 host cron: other\n")
    call_command("audit_verify", "--checkpoints", str(extract))


@pytest.mark.django_db
def test_checkpoint_needs_somewhere_to_go(settings):
    settings.ALONGSIDE_AUDIT_CHECKPOINT_FILE = ""
    with pytest.raises(CommandError, match="Nowhere to write"):
        call_command("audit_checkpoint")


@pytest.mark.django_db
def test_wrong_key_is_named_not_taken_for_a_change(settings):
    events = _chain(12)
    settings.AUDIT_HMAC_KEY = "not the key the trail was written with"
    problem = audit_chain_verify()
    assert problem is not None and problem.wrong_key and problem.event_id == events[0].pk
    with pytest.raises(CommandError, match="^Wrong key") as caught:
        call_command("audit_verify")
    assert "its content was changed" not in str(caught.value)


@pytest.mark.django_db
def test_a_changed_first_event_is_still_a_change():
    events = _chain(12)
    _raw_update("UPDATE core_auditevent SET object_id = %s WHERE id = %s", ["x", events[0].pk])
    problem = audit_chain_verify()
    assert problem is not None and not problem.wrong_key
    assert "content was changed" in problem.reason


@pytest.mark.django_db
def test_wrong_key_against_a_checkpoint_names_the_fingerprints(tmp_path, settings):
    _chain(1)
    path = _checkpoint(tmp_path)
    settings.AUDIT_HMAC_KEY = "another key entirely"
    with pytest.raises(CommandError, match="^Wrong key: the checkpoint of .* fingerprint"):
        call_command("audit_verify", "--checkpoints", path)


# --- Database roles (PostgreSQL) -------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_app_role_cannot_disable_the_trigger_or_truncate(uses_postgres):
    if not uses_postgres:
        pytest.skip("Database roles are PostgreSQL's; this run is on SQLite.")
    import secrets

    import psycopg

    from alongside.conftest import require_service

    with connection.cursor() as cursor:
        cursor.execute("SELECT rolcreaterole FROM pg_roles WHERE rolname = current_user")
        require_service(
            cursor.fetchone()[0],
            "the test's PostgreSQL role needs CREATEROLE to create the application's role "
            "(ALTER ROLE alongside CREATEROLE, as .ci/run does)",
        )
    _chain(2)
    db = connection.settings_dict
    app_role, password = f"{db['NAME']}_app"[:60], secrets.token_urlsafe(16)
    quoted = connection.ops.quote_name(app_role)
    with connection.cursor() as cursor:
        _drop_role(cursor, app_role)
        cursor.execute(f"CREATE ROLE {quoted} LOGIN PASSWORD %s", [password])
    try:
        call_command("db_roles", "--app-role", app_role, "--apply", stdout=StringIO())
        app = psycopg.connect(
            host=db["HOST"],
            port=db["PORT"],
            dbname=db["NAME"],
            user=app_role,
            password=password,
            autocommit=True,
        )
        with app, app.cursor() as cursor:
            for refused in (
                "ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only",
                "TRUNCATE core_auditevent",
                "DELETE FROM core_auditevent",
                "DROP TABLE core_auditevent",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    cursor.execute(refused)
            # What the application does still works: read, append, write other tables.
            cursor.execute("SELECT count(*) FROM core_auditevent")
            assert cursor.fetchone()[0] == 2
            cursor.execute(
                "INSERT INTO core_auditevent (occurred_at, actor_username, action, object_type,"
                " object_id, participant_id, request_id, user_agent, changed_fields, prev_hash,"
                " hash) VALUES (now(), '', 'view', 't', '1', '', '', '', '[]', '', '')"
            )
            cursor.execute("UPDATE core_organization SET name = name")
        assert AuditEvent.objects.count() == 3
        # The owner (this test's own connection) is exactly what --check warns about.
        with pytest.raises(CommandError, match="owns the audit table"):
            call_command("db_roles", "--check")
        # ...while the application's role, as its own process would connect, passes it.
        import os
        import subprocess
        import sys

        url = f"postgres://{app_role}:{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        checked = subprocess.run(
            [sys.executable, "-m", "alongside", "db_roles", "--check"],
            env=os.environ | {"DATABASE_URL": url, "DEBUG": "1"},
            capture_output=True,
            text=True,
            check=False,
        )
        assert checked.returncode == 0, checked.stderr
        assert "read and append to the audit trail only" in checked.stdout
    finally:
        with connection.cursor() as cursor:
            _drop_role(cursor, app_role)


def _drop_role(cursor, role: str) -> None:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    if cursor.fetchone():
        quoted = connection.ops.quote_name(role)
        cursor.execute(f"GRANT {quoted} TO CURRENT_USER")
        cursor.execute(f"DROP OWNED BY {quoted}")
        cursor.execute(f"DROP ROLE {quoted}")


@pytest.mark.django_db
def test_db_roles_explains_itself_on_sqlite(uses_postgres):
    if uses_postgres:
        pytest.skip("This run is on PostgreSQL.")
    with pytest.raises(CommandError, match="PostgreSQL's"):
        call_command("db_roles", "--app-role", "x")
