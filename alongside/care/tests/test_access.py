import datetime

import pytest
from django.utils import timezone

from alongside.care import services
from alongside.care.access import participants_visible_to
from alongside.care.models import CareSettings
from alongside.core.models import Membership

from .conftest import make_participant

# Service calls and ORM reads in these tests act within the organization's scope.
pytestmark = pytest.mark.usefixtures("in_org")


def _membership(user):
    return Membership.objects.select_related("organization").get(user=user)


def test_other_organizations_participants_are_invisible(participant, foreign_participant, member):
    visible = participants_visible_to(_membership(member))
    assert participant in visible
    assert foreign_participant not in visible


def test_billing_and_directory_roles_see_no_participants(
    participant, billing_user, member_without_role
):
    assert not participants_visible_to(_membership(billing_user)).exists()
    assert not participants_visible_to(_membership(member_without_role)).exists()


def test_caseload_restriction_hides_others_from_specialists_only(org, member, supervisor):
    mine = make_participant(org, member, name="Mine (sample)", specialists=[member])
    theirs = make_participant(org, supervisor, name="Theirs (sample)", specialists=[supervisor])
    CareSettings.objects.create(organization=org, own_caseload_only=True)
    assert list(participants_visible_to(_membership(member))) == [mine]
    assert set(participants_visible_to(_membership(supervisor))) == {mine, theirs}


def test_break_glass_opens_a_record_until_it_expires(org, member, supervisor):
    theirs = make_participant(org, supervisor, name="Theirs (sample)", specialists=[supervisor])
    CareSettings.objects.create(organization=org, own_caseload_only=True)
    opened = timezone.now()
    services.break_glass_open(
        participant=theirs, actor=member, reason="Covering a crisis call", at=opened
    )
    membership = _membership(member)
    assert theirs in participants_visible_to(membership, at=opened + datetime.timedelta(hours=1))
    assert theirs not in participants_visible_to(
        membership, at=opened + datetime.timedelta(hours=5)
    )
