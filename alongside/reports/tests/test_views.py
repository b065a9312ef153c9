"""The report pages: who may open them, what they show, and in how many queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alongside.care.models import Encounter, Participant
from alongside.core.models import AuditEvent
from alongside.core.tenancy import organization_scope
from alongside.outcomes.loader import instruments_load
from alongside.outcomes.models import Administration, Instrument
from alongside.outcomes.tests.conftest import BARC
from alongside.reports.registry import METRICS
from alongside.warmline.models import Contact
from alongside.warmline.tests.conftest import make_line

from .conftest import make_encounter, make_person, period, run

pytestmark = pytest.mark.django_db


def test_report_page_shows_charts_tables_and_versions(org, admin, writer, sign_in):
    _start, end = period()
    make_encounter(make_person(org, writer), writer, end)
    start, end = period()
    page = sign_in(admin).get(
        reverse("reports:report", args=["quarterly"]), {"from": start, "to": end}
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in text and "<table>" in text
    assert "participants_served v1" in text
    assert "recovery_measures v2" in text and "warmline_median_wait v2" in text
    assert "not available yet" not in text
    assert AuditEvent.objects.filter(object_type="reports.report", action="view").exists()


def test_report_page_defaults_to_the_last_full_quarter(admin, sign_in):
    assert sign_in(admin).get(reverse("reports:report", args=["quarterly"])).status_code == 200


def test_a_bad_period_is_shown_again_with_its_error(admin, sign_in):
    page = sign_in(admin).get(
        reverse("reports:report", args=["quarterly"]), {"from": "2026-03-01", "to": "2026-01-01"}
    )
    assert page.status_code == 400


def test_definitions_list_every_metric(admin, sign_in):
    text = sign_in(admin).get(reverse("reports:definitions")).content.decode()
    for metric in METRICS.values():
        assert f'id="{metric.name}"' in text


@pytest.mark.parametrize("name", ["reports:home", "reports:definitions", "reports:gpra_due"])
def test_a_peer_specialist_gets_403(member, sign_in, name):
    assert sign_in(member).get(reverse(name)).status_code == 403


def test_a_peer_specialist_gets_403_on_a_report(member, sign_in):
    client = sign_in(member)
    assert client.get(reverse("reports:report", args=["quarterly"])).status_code == 403
    assert client.get(reverse("reports:report_csv", args=["quarterly"])).status_code == 403


def test_unknown_report_is_404(admin, sign_in):
    assert sign_in(admin).get(reverse("reports:report", args=["nope"])).status_code == 404


def _people(org, writer, count):
    """``count`` participants with an encounter each, written in bulk."""
    _start, end = period()
    with organization_scope(org):
        people = Participant.objects.bulk_create(
            Participant(organization=org, preferred_name=f"P{n} (sample)", focus="mental_health",
                        gender="woman" if n % 2 else "", race_ethnicity=["white"] if n % 3 else [])
            for n in range(count)
        )  # fmt: skip
        Encounter.objects.bulk_create(
            Encounter(organization=org, participant=p, specialist=writer, type="phone",
                      date=end - timedelta(days=n % 60), start_time="10:00", end_time="10:30",
                      duration_minutes=30, service_categories=["planning"])
            for n, p in enumerate(people)
        )  # fmt: skip
        # A first and a follow-up recovery measure each, and a warm-line contact each.
        barc = Instrument.objects.get(code="BARC-10")
        Administration.objects.bulk_create(
            Administration(organization=org, participant=p, instrument=barc, entered_by=writer,
                           completed_on=end - timedelta(days=days), total=20 + n % 30)
            for n, p in enumerate(people) for days in (120, n % 60)
        )  # fmt: skip
        line = make_line(org, sms_number=f"+1603555{count:04d}")
        made = Contact.objects.bulk_create(
            Contact(organization=org, line=line, channel="chat" if n % 2 else "sms")
            for n in range(count)
        )
        for n, c in enumerate(made):
            began = timezone.now() - timedelta(hours=n)
            Contact.objects.filter(pk=c.pk).update(
                queued_at=began, taken_at=began + timedelta(seconds=n)
            )


def _queries(org):
    with CaptureQueriesContext(connection) as queries:
        run(org)
    return len(queries)


def test_the_quarterly_report_takes_the_same_queries_for_5_and_200_people(org, writer, other_org):
    instruments_load([BARC])
    _people(org, writer, 5)
    _people(other_org, writer, 200)
    assert _queries(org) == _queries(other_org)
    assert _queries(org) <= 25
