import datetime
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from alongside.care.models import Encounter, Participant
from alongside.core.models import KeyCheck

# Service calls and ORM reads in these tests act within the organization's scope.
pytestmark = pytest.mark.usefixtures("in_org")

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()
SECRET = "Talked about the argument with her brother"


def _raw_column(encounter, column="worked_on"):
    table = connection.ops.quote_name(Encounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [encounter.pk.hex])  # noqa: S608
        row = cursor.fetchone()
        if row is None:  # PostgreSQL stores UUIDs natively
            cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [encounter.pk])  # noqa: S608
            row = cursor.fetchone()
    return row[0]


def _encounter(org, member):
    participant = Participant.objects.create(
        organization=org, preferred_name="Sam (sample)", focus="mental_health"
    )
    return Encounter.objects.create(
        organization=org,
        participant=participant,
        specialist=member,
        type=Encounter.Type.PHONE,
        date=datetime.date(2026, 3, 2),
        start_time=datetime.time(10, 0),
        end_time=datetime.time(10, 30),
        duration_minutes=30,
        service_categories=["planning"],
        worked_on=SECRET,
    )


def test_raw_column_holds_no_plain_text(settings, org, member):
    settings.FIELD_ENCRYPTION_KEY = OLD
    encounter = _encounter(org, member)
    raw = _raw_column(encounter)
    assert "brother" not in raw
    assert raw.startswith("gAAAAA")
    encounter.refresh_from_db()
    assert encounter.worked_on == SECRET


def test_rotation_re_encrypts_with_the_first_key(settings, org, member):
    # The key check row was sealed with the suite's key, which this test does not hold.
    KeyCheck.objects.all().delete()
    settings.FIELD_ENCRYPTION_KEY = OLD
    encounter = _encounter(org, member)
    before = _raw_column(encounter)
    settings.FIELD_ENCRYPTION_KEY = f"{NEW},{OLD}"
    out = StringIO()
    call_command("rotate_field_key", stdout=out)
    assert "care.Encounter: re-encrypted 1 row(s)" in out.getvalue()
    after = _raw_column(encounter)
    assert after != before
    assert Fernet(NEW.encode()).decrypt(after.encode()).decode() == SECRET
    settings.FIELD_ENCRYPTION_KEY = NEW  # the old key is gone; the row still reads
    encounter.refresh_from_db()
    assert encounter.worked_on == SECRET
