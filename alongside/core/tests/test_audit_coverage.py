"""What the audit trail records beyond the services: changes made in the Django admin, password
resets, and wrong second-factor codes."""

import re

import pytest
from django.core import mail
from django.test import Client

from alongside.conftest import PASSWORD
from alongside.core.models import AuditEvent, Membership
from alongside.core.roles import Role
from alongside.core.services_account import two_factor_enrolment_issue

NEW_PASSWORD = "a whole new sentence 77"


@pytest.fixture
def operator(make_user, sign_in):
    """A superuser, the only kind of person the admin lets in."""
    user = make_user("olive", None, [])
    user.is_superuser = user.is_staff = True
    user.save()
    return sign_in(user)


def _admin_save(client, url, **changes):
    """POST the admin's change form as it stands, with ``changes``; False leaves a box unticked."""
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data.update(changes)
    data = {k: "on" if v is True else v for k, v in data.items() if v not in (None, False)}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def test_admin_role_change_is_audited(operator, member, org):
    membership = Membership.objects.get(user=member, organization=org)
    url = f"/admin/core/membership/{membership.pk}/change/"
    _admin_save(operator, url, roles=f'["{Role.SUPERVISOR}"]')
    event = AuditEvent.objects.get(object_type="core.membership", actor_username="olive")
    assert event.action == "permission_change" and event.changed_fields == ["roles"]
    assert event.actor_username == "olive" and event.organization_id == org.pk


def test_admin_deactivation_is_audited(operator, member, org):
    membership = Membership.objects.get(user=member, organization=org)
    url = f"/admin/core/membership/{membership.pk}/change/"
    _admin_save(operator, url, is_active=False)
    event = AuditEvent.objects.get(object_type="core.membership", actor_username="olive")
    assert event.changed_fields == ["is_active"]


def test_admin_removal_of_a_membership_is_audited(operator, member, org):
    membership = Membership.objects.get(user=member, organization=org)
    operator.post(f"/admin/core/membership/{membership.pk}/delete/", {"post": "yes"})
    assert not Membership.objects.filter(pk=membership.pk).exists()
    event = AuditEvent.objects.get(object_type="core.membership", action="delete")
    assert event.object_id == str(membership.pk) and event.organization_id == org.pk


def test_admin_part2_flag_change_is_audited(operator, org):
    url = f"/admin/core/organization/{org.pk}/change/"
    _admin_save(operator, url, is_part2_program=True)
    org.refresh_from_db()
    assert org.is_part2_program
    event = AuditEvent.objects.get(object_type="core.organization", action="update")
    assert event.changed_fields == ["is_part2_program"] and event.organization_id == org.pk


def test_admin_save_without_change_writes_nothing(operator, member, org):
    membership = Membership.objects.get(user=member, organization=org)
    url = f"/admin/core/membership/{membership.pk}/change/"
    _admin_save(operator, url)
    assert not AuditEvent.objects.filter(actor_username="olive", object_type="core.membership")


def _reset(address):
    return Client().post("/accounts/password-reset/", {"email": address})


def test_reset_request_names_the_account_not_the_address(member):
    _reset("bob@example.org")
    event = AuditEvent.objects.get(object_type="core.password_reset")
    assert event.action == "create" and event.object_id == str(member.pk)
    assert event.ip_address == "127.0.0.1"


def test_reset_request_for_an_unknown_address_records_no_address(db):
    _reset("stranger@example.org")
    event = AuditEvent.objects.get(object_type="core.password_reset")
    assert event.object_id == "" and event.actor_username == ""
    assert "stranger" not in str(event.chained_content())


def test_limited_reset_request_is_audited_as_limited(member, settings):
    settings.ALONGSIDE_PASSWORD_RESETS_PER_ADDRESS = 1
    _reset("bob@example.org")
    _reset("bob@example.org")
    events = AuditEvent.objects.filter(object_type="core.password_reset").order_by("id")
    assert [e.changed_fields for e in events] == [[], ["rate_limited"]]


def test_reset_completion_is_audited(member):
    _reset("bob@example.org")
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body)[1]
    client = Client()
    form_page = client.get(link, follow=True)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    event = AuditEvent.objects.get(object_type="core.password_reset", action="update")
    assert event.actor_id == member.pk and event.changed_fields == ["password"]
    assert NEW_PASSWORD not in str(event.chained_content())


def test_wrong_second_factor_code_is_audited(member):
    client = Client()
    client.post("/accounts/login/", {"username": "bob", "password": PASSWORD})
    client.get(two_factor_enrolment_issue(user=member, actor=None))
    client.get("/accounts/two-factor/")
    client.post("/accounts/two-factor/", {"token": "000000"})
    event = AuditEvent.objects.get(action="login_failed")
    assert event.actor_id == member.pk and event.object_type == "otp_totp.totpdevice"
    assert event.changed_fields == ["totp"] and "000000" not in str(event.chained_content())
