"""The demo's sample measures: BARC-10 several times over a year, loaded once."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_scopes import scopes_disabled

from alongside.outcomes.models import Administration

pytestmark = pytest.mark.django_db


def test_sample_measures_load_once_over_a_year():
    call_command("demo_seed", stdout=StringIO())
    call_command("load_care_sample_data", stdout=StringIO())
    call_command("load_outcomes_sample_data", stdout=StringIO())
    call_command("load_outcomes_sample_data", stdout=StringIO())
    with scopes_disabled():
        measures = Administration.objects.all()
        people = {a.participant_id for a in measures}
        assert len(people) >= 4 and measures.count() >= 3 * len(people)
        days = sorted(a.completed_on for a in measures)
        assert (days[-1] - days[0]).days >= 300
        assert measures.filter(declined=True).exists()
        assert measures.filter(supersedes__isnull=False).exists()
        assert measures.filter(total__isnull=True, declined=False).exists()
        assert all(a.participant.preferred_name.endswith("(sample)") for a in measures)


def test_sample_measures_need_the_demo_organizations():
    with pytest.raises(CommandError, match="demo_seed"):
        call_command("load_outcomes_sample_data", stdout=StringIO())
