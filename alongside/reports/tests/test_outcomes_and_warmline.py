"""The recovery-measure and warm-line metrics, on small fixtures with numbers worked by hand."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from alongside.core.tenancy import organization_scope
from alongside.outcomes import selectors as outcomes_selectors
from alongside.outcomes import services as outcomes_services
from alongside.outcomes.loader import instruments_load
from alongside.outcomes.models import Instrument
from alongside.outcomes.tests.conftest import BARC
from alongside.warmline.models import Contact, ContactEvent, ContactRecord
from alongside.warmline.tests.conftest import make_line

from .conftest import cell, make_person, metric, period, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def barc(db):
    instruments_load([BARC])
    return Instrument.objects.get(code="BARC-10")


def measure(person, barc, actor, day, value):
    """A BARC-10 filled in with ``value`` for each of its ten items (total: ten times it)."""
    with organization_scope(person.organization):
        outcomes_services.administration_record(
            participant=person,
            instrument=barc,
            answers={str(n): value for n in range(1, 11)},
            completed_on=day,
            actor=actor,
        )


def test_recovery_measures_count_a_person_once_with_their_change(org, writer, barc):
    start, end = period()
    riley = make_person(org, writer, name="Riley (sample)", focus="substance_use", gender="woman")
    measure(riley, barc, writer, start - timedelta(days=30), 3)  # first, before the period
    measure(riley, barc, writer, end - timedelta(days=5), 4)  # follow-up: 40 - 30
    measure(
        make_person(org, writer, name="Sam (sample)", focus="substance_use"), barc, writer, end, 5
    )
    result = run(org)
    found = metric(result, "recovery_measures")
    assert found.available is True
    assert found.value == 1
    assert cell(result, "recovery_measures", "instrument", "BARC-10", "measured") == 2
    assert cell(result, "recovery_measures", "instrument", "BARC-10", "with_follow_up") == 1
    change = cell(result, "recovery_measures", "instrument", "BARC-10", "average_change")
    assert change == Decimal("10.0")
    assert cell(result, "recovery_measures", "gender", "woman", "participants_with_follow_up") == 1
    with organization_scope(org):
        (row,) = outcomes_selectors.program_summary(start=start, end=end)
    assert (row.instrument, row.measured, row.with_follow_up, row.average_change) == (
        "BARC-10", 2, 1, Decimal("10.0")
    )  # fmt: skip


def test_a_total_after_the_period_is_left_out(org, writer, barc):
    start, end = period()
    riley = make_person(org, writer, name="Riley (sample)", focus="substance_use")
    measure(riley, barc, writer, start, 3)
    measure(riley, barc, writer, end, 6)
    result = run(org, end=end - timedelta(days=1))
    assert metric(result, "recovery_measures").value == 0
    assert cell(result, "recovery_measures", "instrument", "BARC-10", "measured") == 1


def at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), timezone.get_default_timezone())


def contact(org, line, channel, began, wait=None):
    """A contact that joined the queue at ``began`` and was answered ``wait`` seconds later."""
    with organization_scope(org):
        made = Contact.objects.create(organization=org, line=line, channel=channel)
        taken = None if wait is None else began + timedelta(seconds=wait)
        Contact.objects.filter(pk=made.pk).update(queued_at=began, taken_at=taken)
    return made


@pytest.fixture
def contacts(org):
    """Two chats at 9 o'clock, a text at 14:05 and one at 23:59 nobody answered; one more the
    day before the period."""
    start, end = period()
    line = make_line(org)
    contact(org, line, "chat", at(end, 9, 15), wait=30)
    contact(org, line, "chat", at(end, 9, 59), wait=100)
    contact(org, line, "sms", at(start, 14, 5), wait=50)
    contact(org, line, "sms", at(start, 23, 59))
    contact(org, line, "chat", at(start - timedelta(days=1), 23, 59), wait=7)
    return line


def test_warm_line_contacts_by_channel_and_hour(org, contacts):
    result = run(org)
    assert metric(result, "warmline_contacts").available is True
    assert metric(result, "warmline_contacts").value == 4
    assert cell(result, "warmline_contacts", "channel", "chat", "contacts") == 2
    assert cell(result, "warmline_contacts", "channel", "sms", "contacts") == 2
    by_hour = {
        r.category: r.value
        for r in metric(result, "warmline_contacts").rows
        if r.dimension == "hour"
    }
    assert {h: n for h, n in by_hour.items() if n} == {"09": 2, "14": 1, "23": 1}
    assert len(by_hour) == 24


def test_median_wait_of_an_odd_and_an_even_number_of_waits(org, contacts):
    result = run(org)
    assert metric(result, "warmline_median_wait").value == Decimal("50.0")  # 30, 50, 100
    assert cell(result, "warmline_median_wait", "total", "all", "answered") == 3
    _start, end = period()
    contact(org, contacts, "sms", at(end, 10), wait=61)
    assert metric(run(org), "warmline_median_wait").value == Decimal("55.5")  # 30, 50, 61, 100


def test_no_answered_contact_has_no_median(org):
    assert metric(run(org), "warmline_median_wait").value is None


def test_a_crisis_transfer_counts_once_by_channel(org, contacts):
    _start, end = period()
    moved = contact(org, contacts, "chat", at(end, 11), wait=5)
    with organization_scope(org):
        ContactEvent.objects.create(organization=org, contact=moved, kind="crisis_transfer")
        ContactRecord.objects.create(organization=org, contact=moved, ending="crisis_transfer")
        other = Contact.objects.filter(channel="sms").first()
        ContactRecord.objects.create(organization=org, contact=other, ending="supported")
    result = run(org)
    assert metric(result, "warmline_crisis_transfers").value == 1
    assert cell(result, "warmline_crisis_transfers", "channel", "chat", "crisis_transfers") == 1
    assert cell(result, "warmline_crisis_transfers", "channel", "sms", "crisis_transfers") == 0


def test_another_organizations_warm_line_is_not_counted(org, other_org, contacts):
    _start, end = period()
    elsewhere = make_line(other_org, sms_number="+16035550143")
    contact(other_org, elsewhere, "sms", at(end, 8), wait=1000)
    assert metric(run(org), "warmline_contacts").value == 4
    assert metric(run(org), "warmline_median_wait").value == Decimal("50.0")
    assert metric(run(other_org), "warmline_contacts").value == 1


def test_the_report_page_shows_the_warm_line_and_measures_tables(org, admin, sign_in, contacts):
    start, end = period()
    page = sign_in(admin).get(
        reverse("reports:report", args=["quarterly"]), {"from": start, "to": end}
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "By channel" in text and "Text message" in text and "By hour the contact began" in text
    assert "median wait (seconds)" in text and "not available yet" not in text
