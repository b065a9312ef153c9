"""The demo's sample groups: in person and online, a few weeks of sessions with attendance."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_scopes import scopes_disabled

from alongside.care.models import Encounter
from alongside.groups.models import Attendance, Group, Session

pytestmark = pytest.mark.django_db


def test_sample_groups_load_once_with_sessions_and_attendance():
    call_command("demo_seed", stdout=StringIO())
    call_command("load_care_sample_data", stdout=StringIO())
    call_command("load_groups_sample_data", stdout=StringIO())
    call_command("load_groups_sample_data", stdout=StringIO())
    # The sample spans the demo's organizations; the test reads it as the command wrote it.
    with scopes_disabled():
        groups = Group.objects.all()
        assert groups.count() == 4
        assert all(g.name.endswith("(sample)") for g in groups)
        assert {g.format for g in groups} == {"in_person", "online", "hybrid"}
        assert Session.objects.filter(attendance_taken_at__isnull=False).count() >= 4 * 3
        assert Session.objects.filter(cancelled=True).exists()
        present = Attendance.objects.filter(status="present")
        assert present.count() == Encounter.objects.filter(type="group").count() > 0


def test_sample_groups_need_the_demo_organizations():
    with pytest.raises(CommandError, match="demo_seed"):
        call_command("load_groups_sample_data", stdout=StringIO())
