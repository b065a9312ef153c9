"""Recording a measure: focus suitability, declining, and corrections that keep both."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from alongside.core.models import AuditEvent
from alongside.outcomes import services
from alongside.outcomes.models import Administration
from alongside.outcomes.selectors import measures_for

from .conftest import all_fives, record

pytestmark = pytest.mark.django_db


def test_a_measure_is_recorded_scored_and_audited(barc, person, member, in_org):
    administration = record(person, barc, member)
    assert administration.total == 50 and administration.missing == []
    event = AuditEvent.objects.filter(object_id=str(administration.pk)).get()
    assert event.participant_id == str(person.pk) and "answers" in event.changed_fields


def test_a_measure_that_does_not_suit_the_focus_is_refused(barc, mh_person, member, in_org):
    with pytest.raises(services.Unsuitable):
        record(mh_person, barc, member)
    assert not Administration.objects.exists()


def test_i_d_rather_not_is_recorded_without_a_score(barc, person, member, in_org):
    administration = record(person, barc, member, declined=True)
    assert administration.declined and administration.total is None
    assert administration.answers == {} and administration.missing == []


def test_a_correction_supersedes_and_both_are_kept(barc, person, member, in_org):
    wrong = record(person, barc, member, answers={**all_fives(), "10": 1})
    right = record(person, barc, member, supersedes=wrong)
    assert Administration.objects.count() == 2
    wrong.refresh_from_db()
    assert wrong.total == 46 and right.supersedes == wrong
    series = measures_for(person).series[0]
    assert series.points == [(right.completed_on, 50)]


def test_an_answer_is_corrected_once_then_the_newer_one_is(barc, person, member, in_org):
    wrong = record(person, barc, member)
    record(person, barc, member, supersedes=wrong)
    with pytest.raises(ValidationError):
        record(person, barc, member, supersedes=wrong)


def test_a_day_in_the_future_is_refused(barc, person, member, in_org):
    with pytest.raises(ValidationError):
        record(person, barc, member, day=datetime.date.today() + datetime.timedelta(days=2))


def test_change_since_the_first_and_the_last(barc, person, member, in_org):
    for day, value in ((5, 2), (6, 3), (7, 5)):
        record(person, barc, member, answers={str(n): value for n in range(1, 11)},
               day=datetime.date(2026, 1, day))  # fmt: skip
    series = measures_for(person).series[0]
    assert series.change_since_first == 30 and series.change_since_last == 20
