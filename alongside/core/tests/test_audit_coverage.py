"""What the audit trail records beyond the services: changes made in the Django admin, password
resets, and wrong second-factor codes."""

import re

import pytest
from django.contrib import admin
from django.core import mail
from django.forms import MultiWidget
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from alongside.conftest import PASSWORD
from alongside.core.admin import AuditedAdminMixin
from alongside.core.audit_words import event_phrase
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
    for name, field in form.fields.items():
        if isinstance(field.widget, MultiWidget):  # a date and a time: one box each
            parts = field.widget.decompress(data.pop(name))
            data |= {f"{name}_{i}": part for i, part in enumerate(parts)}
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


def test_second_factor_code_of_the_wrong_shape_is_audited(member):
    client = Client()
    client.post("/accounts/login/", {"username": "bob", "password": PASSWORD})
    client.get(two_factor_enrolment_issue(user=member, actor=None))
    client.post("/accounts/two-factor/", {"token": "12ab56"})
    event = AuditEvent.objects.get(action="login_failed")
    assert event.actor_id == member.pk and event.object_type == "otp_totp.totpdevice"


def test_every_admin_is_audited():
    unaudited = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, AuditedAdminMixin) and model is not AuditEvent
    ]
    assert unaudited == []


def test_admin_superuser_flag_change_is_audited(operator, member):
    _admin_save(operator, f"/admin/auth/user/{member.pk}/change/", is_superuser=True)
    event = AuditEvent.objects.get(object_type="auth.user", actor_username="olive")
    # (The admin's form also drops date_joined's microseconds, a change the trail names too.)
    assert event.action == "update" and "is_superuser" in event.changed_fields
    assert event.object_id == str(member.pk)


def test_admin_password_change_is_audited_without_the_password(operator, member):
    response = operator.post(
        f"/admin/auth/user/{member.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(object_type="auth.user", actor_username="olive")
    assert event.changed_fields == ["password"] and event.object_id == str(member.pk)
    assert NEW_PASSWORD not in str(event.chained_content())


def test_admin_removal_of_a_second_factor_is_audited(operator, member):
    device = TOTPDevice.objects.create(user=member, name="phone", confirmed=True)
    operator.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    event = AuditEvent.objects.get(object_type="otp_totp.totpdevice", action="delete")
    assert event.object_id == str(device.pk) and event.actor_username == "olive"
    assert event_phrase(event) == "removed a two-factor device"


def test_admin_bulk_removal_audits_each_membership(operator, member, make_user, org):
    other = make_user("dana", org, [Role.PEER_SPECIALIST])
    ids = list(Membership.objects.filter(user__in=[member, other]).values_list("pk", flat=True))
    operator.post(
        "/admin/core/membership/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert not Membership.objects.filter(pk__in=ids).exists()
    deleted = AuditEvent.objects.filter(object_type="core.membership", action="delete")
    assert sorted(deleted.values_list("object_id", flat=True)) == sorted(str(i) for i in ids)
