"""Migration 0010: every consent recorded before the categories covers what its words say."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("care", "0009_consent_scans_private")]
AFTER = [("care", "0010_consent_information_categories")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_apps():
    """The models as 0009 left them; the database is brought back to the latest at the end."""
    apps = _migrate(BEFORE)
    yield apps
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _old_consents(apps, org, member, count=2):
    Participant = apps.get_model("care", "Participant")
    Consent = apps.get_model("care", "Consent")
    person = Participant.objects.create(
        organization_id=org.pk, preferred_name="Ana (sample)", focus="mental_health"
    )
    for n in range(count):
        Consent.objects.create(
            organization_id=org.pk,
            participant=person,
            discloser="Granite (sample)",
            recipients=f"Harbor Housing {n}",
            information="Dates of contact only",
            purposes=["benefits"],
            expires_on=datetime.date(2027, 1, 1),
            signature_name="Ana",
            signed_on=datetime.date(2026, 1, 5),
            created_by_id=member.pk,
        )


def test_every_existing_consent_becomes_as_described(old_apps, org, member):
    _old_consents(old_apps, org, member)
    apps = _migrate(AFTER)
    Consent = apps.get_model("care", "Consent")
    assert list(Consent.objects.values_list("information_categories", flat=True)) == [
        ["as_described"],
        ["as_described"],
    ]
    Disclosure = apps.get_model("care", "Disclosure")
    assert not Disclosure.objects.exists()


def test_backward_keeps_the_words(old_apps, org, member):
    _old_consents(old_apps, org, member, count=1)
    _migrate(AFTER)
    apps = _migrate(BEFORE)
    Consent = apps.get_model("care", "Consent")
    assert list(Consent.objects.values_list("information", flat=True)) == ["Dates of contact only"]
