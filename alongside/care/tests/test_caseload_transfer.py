"""Moving one specialist's caseload to another: the service and its page."""

import pytest
from django.core.exceptions import ValidationError

from alongside.care.services.participants import caseload_transfer
from alongside.care.tests.conftest import make_participant
from alongside.core.models import AuditEvent, Membership
from alongside.core.roles import Role

URL = "/staff/care/caseload/transfer/"


@pytest.fixture
def sam(make_user, org):
    return make_user("sam", org, [Role.PEER_SPECIALIST])


@pytest.fixture
def jordan(org, member, supervisor):
    return make_participant(org, member, name="Jordan (sample)", specialists=[member, supervisor])


@pytest.fixture
def riley(org, member):
    return make_participant(org, member, name="Riley (sample)", specialists=[member])


def test_transfer_moves_assignments_and_keeps_the_others(
    org, admin, member, sam, supervisor, jordan, riley, in_org
):
    moved = caseload_transfer(organization=org, from_user=member, to_user=sam, actor=admin)
    assert {p.pk for p in moved} == {jordan.pk, riley.pk}
    assert set(jordan.specialists.all()) == {supervisor, sam}
    assert list(riley.specialists.all()) == [sam]
    events = AuditEvent.objects.filter(action="update", changed_fields=["specialists"])
    assert {e.participant_id for e in events if e.participant_id} == {
        str(jordan.pk),
        str(riley.pk),
    }
    assert events.filter(object_type="care.caseload_transfer").get().object_id == (
        f"{member.pk}:{sam.pk}"
    )


def test_transfer_of_some_participants_leaves_the_rest(
    org, admin, member, sam, jordan, riley, in_org
):
    caseload_transfer(
        organization=org, from_user=member, to_user=sam, actor=admin, participants=[riley]
    )
    assert member in jordan.specialists.all()
    assert list(riley.specialists.all()) == [sam]


def test_transfer_to_a_deactivated_member_is_refused(org, admin, member, sam, riley, in_org):
    Membership.objects.filter(user=sam, organization=org).update(is_active=False)
    with pytest.raises(ValidationError):
        caseload_transfer(organization=org, from_user=member, to_user=sam, actor=admin)
    assert list(riley.specialists.all()) == [member]


def test_page_moves_the_ticked_participants(admin, member, sam, riley, sign_in, in_org):
    client = sign_in(admin)
    page = client.get(URL, {"from": member.pk}).content.decode()
    assert "Riley (sample)" in page
    response = client.post(
        f"{URL}?from={member.pk}", {"to_user": sam.pk, "participants": [riley.pk]}
    )
    assert response.status_code == 302
    assert list(riley.specialists.all()) == [sam]


def test_peer_specialist_is_refused(member, sign_in):
    assert sign_in(member).get(URL).status_code == 403


def test_outsider_gets_404_for_a_specialist_of_another_organization(outsider, member, sign_in):
    assert sign_in(outsider).get(URL, {"from": member.pk}).status_code == 404


def test_another_organizations_people_cannot_be_moved_or_receive(
    admin, member, outsider, foreign_participant, riley, sign_in, in_org
):
    client = sign_in(admin)
    assert client.get(URL, {"from": outsider.pk}).status_code == 404
    response = client.post(
        f"{URL}?from={member.pk}", {"to_user": outsider.pk, "participants": [riley.pk]}
    )
    assert response.status_code == 400
    response = client.post(
        f"{URL}?from={member.pk}", {"to_user": admin.pk, "participants": [foreign_participant.pk]}
    )
    assert response.status_code == 400
    assert list(riley.specialists.all()) == [member]


def test_the_team_dashboard_links_each_caseload_to_its_transfer(supervisor, member, riley, sign_in):
    page = sign_in(supervisor).get("/staff/care/").content.decode()
    assert f"{URL}?from={member.pk}" in page
