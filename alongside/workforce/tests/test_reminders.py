"""credentials_remind: 90, 60 and 30 days before expiry and on lapse, each once."""

import datetime
from io import StringIO

from django.core import mail
from django.core.management import call_command

from alongside.core.tenancy import organization_scope
from alongside.workforce.models import CredentialStatusChange, ReminderSent

from .conftest import add_credential

EXPIRES = datetime.date(2026, 9, 30)


def remind(on):
    call_command("credentials_remind", "--on", on.isoformat(), stdout=StringIO())


def before(days):
    return EXPIRES - datetime.timedelta(days=days)


def test_each_reminder_is_sent_once(crsw, member, member_profile, admin):
    add_credential(member_profile, member, crsw, datetime.date(2024, 9, 30), EXPIRES)
    remind(before(91))
    assert mail.outbox == []
    remind(before(90))
    remind(before(89))
    assert len(mail.outbox) == 1
    assert "expires on 2026-09-30" in mail.outbox[0].subject
    assert mail.outbox[0].to == ["bob@example.org"]
    remind(before(60))
    remind(before(60))
    remind(before(30))
    remind(before(1))
    assert len(mail.outbox) == 3
    remind(EXPIRES + datetime.timedelta(days=1))
    remind(EXPIRES + datetime.timedelta(days=2))
    assert len(mail.outbox) == 4
    assert "has lapsed" in mail.outbox[3].subject
    # The organization's admin is copied on the lapse.
    assert "alice@example.org" in mail.outbox[3].to
    with organization_scope(member_profile.organization):
        assert sorted(ReminderSent.objects.values_list("kind", flat=True)) == [
            "30",
            "60",
            "90",
            "lapsed",
        ]


def test_missed_days_send_only_the_most_urgent(crsw, member, member_profile):
    add_credential(member_profile, member, crsw, datetime.date(2024, 9, 30), EXPIRES)
    remind(before(20))
    remind(before(10))
    assert len(mail.outbox) == 1
    assert "expires" in mail.outbox[0].subject


def test_a_renewal_starts_the_reminders_again_and_the_old_one_is_quiet(
    crsw, member, member_profile
):
    add_credential(member_profile, member, crsw, datetime.date(2024, 9, 30), EXPIRES)
    remind(before(30))
    add_credential(
        member_profile,
        member,
        crsw,
        datetime.date(2026, 9, 1),
        datetime.date(2028, 9, 30),
        number="T-2",
    )
    remind(EXPIRES + datetime.timedelta(days=3))
    assert len(mail.outbox) == 1
    remind(datetime.date(2028, 7, 15))
    assert len(mail.outbox) == 2
    assert "2028-09-30" in mail.outbox[1].subject


def test_the_daily_run_records_status_history(crsw, member, member_profile):
    credential = add_credential(member_profile, member, crsw, datetime.date(2024, 9, 30), EXPIRES)
    remind(before(100))
    remind(before(90))
    remind(before(80))
    with organization_scope(member_profile.organization):
        statuses = list(
            CredentialStatusChange.objects.filter(credential=credential)
            .order_by("created_at")
            .values_list("status", flat=True)
        )
    assert statuses[-2:] == ["active", "expiring"]
