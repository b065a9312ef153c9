from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_scopes import scopes_disabled

from alongside.care.models import Encounter, Participant


def test_sample_data_loads_once_and_is_labelled(db):
    call_command("demo_seed", stdout=StringIO())
    call_command("load_care_sample_data", stdout=StringIO())
    # The sample spans the demo's organizations; the test reads it as the command wrote it.
    with scopes_disabled():
        _sample_is_labelled()
    call_command("load_care_sample_data", stdout=StringIO())
    with scopes_disabled():
        assert Participant.objects.count() == 40


def _sample_is_labelled():
    participants = Participant.objects.all()
    assert participants.count() == 40
    assert all(p.preferred_name.endswith("(sample)") for p in participants)
    assert all(p.phone.startswith("603-555-01") for p in participants)
    assert Encounter.objects.count() > 40 * 10
    assert Participant.objects.filter(specialists__isnull=True).count() == 2


def test_sample_data_needs_the_demo_organizations(db):
    with pytest.raises(CommandError, match="demo_seed"):
        call_command("load_care_sample_data", stdout=StringIO())
