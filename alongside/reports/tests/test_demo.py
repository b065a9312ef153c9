"""The demo organization's quarterly report, checked against a count made one person at a time
(docs/reports.md, "Checking the demo by hand")."""

from collections import Counter

import pytest
from django.core.management import call_command

from alongside.care.models import Encounter, Participant
from alongside.core.models import Organization
from alongside.core.tenancy import organization_scope
from alongside.reports.models import GpraEpisode

from .conftest import cell, metric, period, run

pytestmark = pytest.mark.django_db
ATTEMPTS = {"no_answer", "left_message", "no_show"}


@pytest.fixture
def demo():
    call_command("demo_seed", verbosity=0)
    call_command("load_care_sample_data", verbosity=0)
    return Organization.objects.get(slug="granite-peer")


def test_the_demo_quarter_matches_a_count_by_hand(demo):
    start, end = period()
    served, genders, by_type = set(), Counter(), Counter()
    with organization_scope(demo):
        for person in Participant.objects.all():
            for encounter in Encounter.objects.filter(participant=person):
                if start <= encounter.date <= end and encounter.contact not in ATTEMPTS:
                    served.add(person.pk)
                    by_type[encounter.type] += 1
            if person.pk in served:
                genders[person.gender or "not_recorded"] += 1
    result = run(demo, start=start, end=end)
    assert served, "the sample data has encounters in the last 90 days"
    assert metric(result, "participants_served").value == len(served)
    for gender, count in genders.items():
        assert cell(result, "participants_served", "gender", gender, "participants") == count
    for kind, count in by_type.items():
        assert cell(result, "encounters_by_type", "type", kind, "encounters") == count


def test_the_demo_gpra_dates_load_once(demo):
    call_command("load_reports_sample_data", verbosity=0)
    call_command("load_reports_sample_data", verbosity=0)
    with organization_scope(demo):
        assert GpraEpisode.objects.count() == 12
