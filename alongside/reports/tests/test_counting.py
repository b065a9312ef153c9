"""What the quarterly report's metrics count, on records written through the services."""

from datetime import timedelta

import pytest

from alongside.care import services as care_services
from alongside.core.tenancy import organization_scope
from alongside.groups import attendance
from alongside.groups import services as group_services
from alongside.groups.tests.staff.conftest import make_group

from .conftest import cell, make_encounter, make_person, metric, period, run

pytestmark = pytest.mark.django_db


def test_a_person_is_counted_once_across_one_to_one_and_group_support(org, writer):
    start, end = period()
    robin = make_person(org, writer, name="Robin (sample)")
    make_encounter(robin, writer, end - timedelta(days=3))
    make_encounter(robin, writer, end - timedelta(days=2), type="in_person")
    group = make_group(org, writer)
    with organization_scope(org):
        session = group_services.session_get_or_create(
            group=group, scheduled_date=end - timedelta(days=7), actor=writer
        )
        attendance.attendance_take(session=session, actor=writer, present=[robin], walk_ins=2)
    result = run(org)
    assert metric(result, "participants_served").value == 1
    assert cell(result, "group_activity", "total", "all", "attendances") == 1
    assert cell(result, "group_activity", "total", "all", "walk_ins") == 2
    assert metric(result, "encounters_by_type").value == 3


def test_two_people_in_different_pathways_and_focus_count_twice(org, writer):
    _start, end = period()
    for name, focus in [("Ash (sample)", "mental_health"), ("Bo (sample)", "substance_use")]:
        make_encounter(make_person(org, writer, name=name, focus=focus), writer, end)
    assert metric(run(org), "participants_served").value == 2


def test_an_attempt_that_reached_nobody_is_not_a_service(org, writer):
    _start, end = period()
    make_encounter(make_person(org, writer), writer, end, contact="no_answer")
    result = run(org)
    assert metric(result, "participants_served").value == 0
    assert metric(result, "encounters_by_type").value == 0


def test_a_participant_enrolled_twice_in_the_period_is_one_person(org, writer):
    start, end = period()
    person = make_person(org, writer)
    with organization_scope(org):
        common = {"participant": person, "actor": writer}
        care_services.participant_discharge(
            **common, discharged_on=start + timedelta(days=1), reason="moved"
        )
        care_services.participant_enroll(
            **common, enrolled_on=start + timedelta(days=2), agreement_how="verbal"
        )
        care_services.participant_discharge(
            **common, discharged_on=start + timedelta(days=3), reason="chose_to_stop"
        )
        care_services.participant_enroll(
            **common, enrolled_on=start + timedelta(days=4), agreement_how="verbal"
        )
    result = run(org)
    assert metric(result, "enrollments_new").value == 1
    assert cell(result, "enrollments_new", "total", "all", "enrollments") == 2
    assert metric(result, "discharges_by_reason").value == 2
    assert cell(result, "discharges_by_reason", "reason", "moved", "discharges") == 1
    assert cell(result, "discharges_by_reason", "gender", "not_recorded", "participants") == 1


@pytest.mark.parametrize("dimension", ["race_ethnicity", "gender", "age_band", "veteran"])
def test_each_split_counts_a_blank_answer_as_not_recorded(org, writer, dimension):
    _start, end = period()
    make_encounter(make_person(org, writer), writer, end)
    result = run(org)
    assert cell(result, "participants_served", dimension, "not_recorded", "participants") == 1
    assert cell(result, "participants_served", dimension, "prefer_not_to_say", "participants") == 0


def test_each_split_counts_prefer_not_to_say_on_its_own_row(org, writer):
    _start, end = period()
    person = make_person(
        org,
        writer,
        gender="prefer_not_to_say",
        veteran="prefer_not_to_say",
        race_ethnicity=["prefer_not_to_say"],
    )
    make_encounter(person, writer, end)
    result = run(org)
    for dimension in ("race_ethnicity", "gender", "veteran"):
        assert cell(result, "participants_served", dimension, "prefer_not_to_say", "participants")
        assert cell(result, "participants_served", dimension, "not_recorded", "participants") == 0


def test_race_and_ethnicity_counts_every_answer_and_more_than_one(org, writer):
    _start, end = period()
    person = make_person(org, writer, race_ethnicity=["black", "hispanic_latino"])
    make_encounter(person, writer, end)
    result = run(org)
    for category in ("black", "hispanic_latino", "more_than_one"):
        assert cell(result, "participants_served", "race_ethnicity", category, "participants") == 1
    assert cell(result, "participants_served", "race_ethnicity", "white", "participants") == 0


def test_age_band_is_the_age_on_the_last_day_of_the_period(org, writer):
    _start, end = period()
    born = end.replace(year=end.year - 25)
    make_encounter(make_person(org, writer, date_of_birth=born), writer, end)
    result = run(org)
    assert cell(result, "participants_served", "age_band", "25_34", "participants") == 1


def test_service_categories_and_hours(org, writer):
    _start, end = period()
    person = make_person(org, writer)
    make_encounter(person, writer, end, minutes=90, service_categories=["planning", "advocacy"])
    make_encounter(person, writer, end, minutes=30, service_categories=["advocacy"])
    result = run(org)
    name = "encounters_by_service_category"
    assert cell(result, name, "service_category", "advocacy", "encounters") == 2
    assert str(cell(result, name, "service_category", "advocacy", "hours")) == "2.00"
    assert cell(result, name, "service_category", "planning", "encounters") == 1
    assert metric(result, name).value == 2


def test_referrals_made_and_connected(org, writer):
    _start, end = period()
    person = make_person(org, writer)
    with organization_scope(org):
        common = {"participant": person, "actor": writer}
        care_services.referral_create(**common, provider_name="Harbor (sample)")
        care_services.referral_create(**common, provider_name="Dock (sample)", status="made")
        care_services.referral_create(**common, provider_name="Pier (sample)", status="connected")
    result = run(org)
    assert metric(result, "referrals").value == 2
    assert cell(result, "referrals", "total", "all", "referrals_connected") == 1


def test_outcomes_and_warm_line_metrics_compute_now(org):
    result = run(org)
    for name in ("recovery_measures", "warmline_contacts", "warmline_median_wait"):
        assert metric(result, name).available is True


def test_another_organizations_records_are_not_counted(org, other_org, writer, outsider):
    _start, end = period()
    make_encounter(make_person(org, writer), writer, end)
    make_encounter(make_person(other_org, outsider), outsider, end)
    make_encounter(make_person(other_org, outsider, name="Kit (sample)"), outsider, end)
    assert metric(run(org), "participants_served").value == 1
    assert metric(run(other_org), "participants_served").value == 2
