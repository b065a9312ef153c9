import time

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from alongside.conftest import PASSWORD
from alongside.core.middleware import LAST_SEEN_KEY, STARTED_KEY
from alongside.core.models import AuditEvent
from alongside.core.services import user_create
from alongside.core.services_account import two_factor_enrolment_issue


def _login(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def test_login_rotates_session_and_is_audited(member):
    client = Client()
    client.get("/accounts/login/")
    client.cookies["sessionid"] = "attacker-chosen"
    response = _login(client, "bob")
    assert response.status_code == 302
    assert client.cookies["sessionid"].value != "attacker-chosen"
    assert AuditEvent.objects.filter(action="login", actor=member).count() == 1


def test_failed_login_is_audited_with_username_only(member):
    _login(Client(), "bob", "wrong password here")
    event = AuditEvent.objects.get(action="login_failed")
    assert event.actor_username == "bob"
    assert "wrong password" not in str(event.chained_content())


def test_logout_is_audited(member, sign_in):
    client = sign_in(member)
    client.post("/accounts/logout/")
    assert AuditEvent.objects.filter(action="logout", actor=member).exists()


def test_lockout_after_repeated_failures_keyed_on_username_and_ip(member, settings):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(attacker, "bob", "not the password", REMOTE_ADDR="203.0.113.9")
    locked = _login(attacker, "bob", REMOTE_ADDR="203.0.113.9")
    assert locked.status_code == 429
    assert "Sign-in paused" in locked.content.decode()
    # The real user, from their own address, still signs in.
    assert _login(Client(), "bob", REMOTE_ADDR="198.51.100.7").status_code == 302


@pytest.mark.django_db
def test_password_needs_twelve_characters_and_not_common():
    with pytest.raises(ValidationError, match="at least 12"):
        user_create(username="eve", email="e@example.org", password="short1!")
    with pytest.raises(ValidationError, match="too common"):
        user_create(username="eve", email="e@example.org", password="qwerty123456")


def test_two_factor_required_for_participant_roles(member):
    client = Client()
    _login(client, "bob")
    response = client.get("/staff/")
    assert response.status_code == 302 and response.url == "/accounts/two-factor/"


def test_two_factor_enrolment_then_access(member):
    client = Client()
    _login(client, "bob")
    client.get(two_factor_enrolment_issue(user=member, actor=None))  # the one-time set-up link
    page = client.get("/accounts/two-factor/")
    assert "Scan this code" in page.content.decode()
    device = TOTPDevice.objects.get(user=member)
    code = f"{totp(device.bin_key):06d}"
    response = client.post("/accounts/two-factor/", {"token": code, "next": "/staff/"})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/staff/").status_code == 200


def test_wrong_two_factor_code_is_refused(member):
    client = Client()
    _login(client, "bob")
    client.get(two_factor_enrolment_issue(user=member, actor=None))
    client.get("/accounts/two-factor/")
    response = client.post("/accounts/two-factor/", {"token": "000000"})
    assert response.status_code == 200
    assert "did not match" in response.content.decode()
    assert client.get("/staff/").status_code == 302


def test_role_without_participant_data_needs_no_second_factor(member_without_role):
    client = Client()
    _login(client, "carol")
    assert client.get("/staff/").status_code == 200


def test_two_factor_can_be_switched_off(member, settings):
    settings.ALONGSIDE_REQUIRE_2FA = False
    client = Client()
    _login(client, "bob")
    assert client.get("/staff/").status_code == 200
    assert "Two-factor sign-in is switched off" in Client().get("/accounts/login/").content.decode()


def test_idle_timeout_signs_out(member, sign_in, settings):
    client = sign_in(member)
    assert client.get("/staff/").status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - settings.SESSION_IDLE_TIMEOUT - 1
    session.save()
    response = client.get("/staff/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert client.get("/staff/").status_code == 302


def test_absolute_lifetime_signs_out_even_when_active(member, sign_in, settings):
    client = sign_in(member)
    client.get("/staff/")
    session = client.session
    session[STARTED_KEY] = time.time() - settings.SESSION_ABSOLUTE_LIFETIME - 1
    session.save()
    assert client.get("/staff/").status_code == 302


def test_admin_is_for_superusers_only(admin, sign_in):
    admin.is_staff = True
    admin.save()
    client = sign_in(admin)
    assert client.get("/admin/").status_code == 302


def test_password_reset_sends_mail(member, mailoutbox):
    response = Client().post("/accounts/password-reset/", {"email": "bob@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and "/accounts/reset/" in mailoutbox[0].body
    assert settings.ALONGSIDE_SITE_NAME in mailoutbox[0].subject
    assert "testserver" not in mailoutbox[0].subject
