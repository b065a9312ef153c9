"""Migration 0006 moves the data both ways: race and ethnicity into lists, the Medicaid id into a
coverage, an encounter's category into a list."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("care", "0005_encounter_notes_v2")]
AFTER = [("care", "0006_demographics_coverage")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_apps():
    """The models as 0005 left them; the database is brought back to the latest at the end."""
    apps = _migrate(BEFORE)
    yield apps
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _old_records(apps, org, member):
    Participant = apps.get_model("care", "Participant")
    Enrollment = apps.get_model("care", "Enrollment")
    Encounter = apps.get_model("care", "Encounter")

    def person(name, **fields):
        return Participant.objects.create(
            organization_id=org.pk, preferred_name=name, focus="mental_health", **fields
        )

    enrolled = person("Ana (sample)", race_ethnicity="white", medicaid_id=" NH-0001 ")
    Enrollment.objects.create(
        organization_id=org.pk,
        participant=enrolled,
        enrolled_on=datetime.date(2024, 5, 6),
        agreement_recorded_on=datetime.date(2024, 5, 6),
        agreement_how="verbal",
    )
    never = person("Bo (sample)", race_ethnicity="multiple", medicaid_id="NH-0002")
    person("Cy (sample)")
    Encounter.objects.create(
        organization_id=org.pk,
        participant=enrolled,
        specialist_id=member.pk,
        type="phone",
        date=datetime.date(2025, 1, 2),
        start_time=datetime.time(9),
        end_time=datetime.time(9, 30),
        duration_minutes=30,
        service_category="advocacy",
    )
    return enrolled, never


def test_forward_moves_each_old_value(old_apps, org, member):
    enrolled, never = _old_records(old_apps, org, member)
    apps = _migrate(AFTER)
    Participant = apps.get_model("care", "Participant")
    Coverage = apps.get_model("care", "Coverage")
    Encounter = apps.get_model("care", "Encounter")
    races = dict(Participant.objects.values_list("preferred_name", "race_ethnicity"))
    # "More than one" said no more than that: it is to be asked again.
    assert races == {"Ana (sample)": ["white"], "Bo (sample)": [], "Cy (sample)": []}
    coverages = {c.participant_id: c for c in Coverage.objects.all()}
    assert set(coverages) == {enrolled.pk, never.pk}
    first = coverages[enrolled.pk]
    assert (first.payer_name, first.member_id, first.starts_on, first.ends_on) == (
        "Medicaid",
        "NH-0001",
        datetime.date(2024, 5, 6),
        None,
    )
    # Never enrolled: the coverage starts the day the record was made.
    assert coverages[never.pk].starts_on == timezone.localdate(never.created_at)
    assert coverages[never.pk].organization_id == org.pk
    assert list(Encounter.objects.values_list("service_categories", flat=True)) == [["advocacy"]]


def test_backward_restores_the_old_columns(old_apps, org, member):
    enrolled, never = _old_records(old_apps, org, member)
    apps = _migrate(AFTER)
    Participant = apps.get_model("care", "Participant")
    Participant.objects.filter(pk=never.pk).update(race_ethnicity=["asian", "white"])
    Participant.objects.filter(pk=enrolled.pk).update(
        race_ethnicity=["middle_eastern_north_african"]
    )
    apps = _migrate(BEFORE)
    Participant = apps.get_model("care", "Participant")
    Encounter = apps.get_model("care", "Encounter")
    rows = {p.preferred_name: (p.race_ethnicity, p.medicaid_id) for p in Participant.objects.all()}
    assert rows == {
        "Ana (sample)": ("another", "NH-0001"),
        "Bo (sample)": ("multiple", "NH-0002"),
        "Cy (sample)": ("", ""),
    }
    assert list(Encounter.objects.values_list("service_category", flat=True)) == ["advocacy"]
