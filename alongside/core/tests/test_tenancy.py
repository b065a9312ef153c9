import pytest
from django.test import Client

from alongside.core.audit import Action, audit_record
from alongside.core.models import AuditEvent
from alongside.core.services import membership_set_roles
from alongside.core.tenancy import get_for_org_or_404


def test_getter_answers_404_for_another_organizations_record(org, other_org, outsider):
    from django.http import Http404

    theirs = audit_record(action=Action.VIEW, organization=other_org, object_type="t")
    assert get_for_org_or_404(AuditEvent, other_org, pk=theirs.pk) == theirs
    with pytest.raises(Http404):
        get_for_org_or_404(AuditEvent, org, pk=theirs.pk)


def test_switching_to_an_organization_you_are_not_in_is_404(member, other_org, sign_in):
    client = sign_in(member)
    response = client.post("/staff/organization/", {"organization": str(other_org.pk)})
    assert response.status_code == 404


def test_member_of_two_organizations_switches(member, org, other_org, sign_in):
    membership_set_roles(user=member, organization=other_org, roles=["peer_specialist"])
    client = sign_in(member)
    assert org.name in client.get("/staff/").content.decode()
    switched = client.post("/staff/organization/", {"organization": str(other_org.pk)})
    assert switched.url == "/staff/start/"  # on to the work of the role held there
    assert "Working in <strong>Elsewhere Recovery" in client.get("/staff/").content.decode()


def test_user_without_membership_is_told_so(db, make_user):
    user = make_user("nomad", None, [])
    client = Client()
    client.force_login(user)
    response = client.get("/staff/", follow=True)
    assert response.status_code == 403
    assert "No organization yet" in response.content.decode()


def test_anonymous_staff_page_redirects_to_login(db):
    response = Client().get("/staff/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
