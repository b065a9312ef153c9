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
