from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from alongside.core.management.commands.demo_seed import DEMO_PASSWORD
from alongside.core.models import AuditEvent, Organization
from alongside.core.tenancy import organization_scope
from alongside.warmline import selectors, services
from alongside.warmline.models import Contact, ContactRecord, Line, Message, Topic

pytestmark = pytest.mark.django_db


def _ended_days_ago(line, responder, topic, days):
    from alongside.warmline.tests.conftest import start_chat

    contact = start_chat(line, display_name="Jo")[0]
    with organization_scope(line.organization):
        services.contact_take(contact=contact, responder=responder)
        services.message_store(contact=contact, sender="visitor", body="A hard week.")
        services.contact_record_save(
            contact=contact, actor=responder, topics=[topic], ending="supported", notes="Talked."
        )
        Contact.objects.filter(pk=contact.pk).update(ended_at=timezone.now() - timedelta(days=days))
    return contact


def test_retention_deletes_old_transcripts_and_keeps_records_without_text(
    line, responder, topic, settings
):
    settings.WARMLINE_RETENTION_DAYS = 30
    old = _ended_days_ago(line, responder, topic, 31)
    recent = _ended_days_ago(line, responder, topic, 29)
    out = StringIO()
    call_command("warmline_retention", stdout=out)
    assert "Deleted 1 transcript" in out.getvalue()
    with organization_scope(line.organization):
        assert not Message.objects.filter(contact=old).exists()
        assert Message.objects.filter(contact=recent).exists()
        record = ContactRecord.objects.get(contact=old)
        assert record.notes == "" and list(record.topics.all()) == [topic]
        old.refresh_from_db()
        assert old.display_name == "" and old.transcript_deleted_at is not None
    deleted = AuditEvent.objects.filter(object_type="warmline.transcript", action="delete")
    assert list(deleted.values_list("object_id", flat=True)) == [str(old.pk)]


def test_demo_line_is_open_every_minute_of_the_day_and_prints_the_login():
    call_command("demo_seed", stdout=StringIO())
    out = StringIO()
    call_command("load_warmline_sample_data", stdout=out)
    call_command("load_warmline_sample_data", stdout=StringIO())  # safe to run again
    assert f"warmline / {DEMO_PASSWORD}" in out.getvalue()
    organization = Organization.objects.get(slug="granite-peer")
    with organization_scope(organization):
        line = Line.objects.get()
        assert Topic.objects.count() == 8
    zone = timezone.get_default_timezone()
    day = timezone.localdate()
    for hour, minute, second in [
        (23, 59, 0),
        (23, 59, 30),
        (23, 59, 59),
        (0, 0, 0),
        (0, 0, 30),
        (12, 0, 0),
    ]:
        at = datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=zone)
        assert selectors.line_is_open(line, at), at
