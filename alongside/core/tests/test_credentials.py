"""Credentials: API tokens that expire and die with the password, password-reset limits,
e-mails about changes, one-time links to set up two-factor sign-in, and the key check."""

import re
from datetime import timedelta

from cryptography.fernet import Fernet
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from alongside.conftest import PASSWORD
from alongside.core.checks import field_key_opens_stored_data
from alongside.core.models import ApiToken, Membership, TwoFactorEnrolment
from alongside.core.services import api_token_create
from alongside.core.services_account import two_factor_enrolment_issue

NEW_PASSWORD = "a whole new sentence 77"


def _me(secret):
    return Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code


def test_tokens_expire_after_the_configured_days(member, org, settings):
    settings.ALONGSIDE_API_TOKEN_DAYS = 30
    secret = api_token_create(user=member, organization=org)
    token = ApiToken.objects.get(user=member)
    assert token.expires_at - token.created_at > timedelta(days=29, hours=23)
    assert _me(secret) == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _me(secret) == 401


def test_a_new_password_revokes_every_token(member, org):
    secret = api_token_create(user=member, organization=org)
    member.set_password(NEW_PASSWORD)
    member.save()
    assert _me(secret) == 401
    assert ApiToken.objects.get(user=member).revoked_at is not None


def _reset(address, client=None, **extra):
    return (client or Client()).post("/accounts/password-reset/", {"email": address}, **extra)


def _reset_link(message):
    return re.search(r"http://testserver(/accounts/reset/\S+)", message.body)[1]


def test_reset_by_link_revokes_tokens_and_tells_the_person(
    member, org, django_capture_on_commit_callbacks
):
    member.last_login = timezone.now()
    member.save(update_fields=["last_login"])
    secret = api_token_create(user=member, organization=org)
    _reset("bob@example.org")
    client = Client()
    form_page = client.get(_reset_link(mail.outbox[0]), follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            form_page.redirect_chain[-1][0],
            {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
    assert done.status_code == 302
    assert _me(secret) == 401
    notice = mail.outbox[-1]
    assert notice.to == ["bob@example.org"] and "password was changed" in notice.subject


def test_reset_mails_are_limited_per_address(member, settings):
    settings.ALONGSIDE_PASSWORD_RESETS_PER_ADDRESS = 2
    answers = [_reset("bob@example.org", REMOTE_ADDR=f"192.0.2.{n}") for n in range(3)]
    # The third gets the same answer, so the page tells nobody whether the address is known.
    assert [a.status_code for a in answers] == [302, 302, 302]
    assert len(mail.outbox) == 2


def test_reset_requests_are_limited_per_client(member, settings):
    settings.ALONGSIDE_PASSWORD_RESETS_PER_CLIENT = 2
    codes = [_reset(f"who{n}@example.org", REMOTE_ADDR="192.0.2.9").status_code for n in range(3)]
    assert codes == [302, 302, 429]
    assert _reset("bob@example.org", REMOTE_ADDR="198.51.100.7").status_code == 302


def _sign_in_with_password(username):
    client = Client()
    client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    return client


def test_a_password_alone_cannot_set_up_two_factor(member):
    client = _sign_in_with_password("bob")
    page = client.get("/accounts/two-factor/")
    assert page.status_code == 403 and "You need a set-up link" in page.content.decode()
    assert not TOTPDevice.objects.filter(user=member).exists()
    assert client.post("/accounts/two-factor/", {"token": "123456"}).status_code == 403


def test_reset_two_factor_mails_a_one_time_link_that_sets_it_up(
    admin, member, org, sign_in, django_capture_on_commit_callbacks
):
    bob_member = Membership.objects.get(user=member)
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(admin).post(f"/staff/team/{bob_member.pk}/two-factor/reset/")
    link = re.search(r"testserver(/accounts/two-factor/set-up/\S+/)", mail.outbox[-1].body)[1]
    bob = Client()
    assert bob.get(link).url == "/accounts/two-factor/"
    bob.post("/accounts/login/", {"username": "bob", "password": PASSWORD})
    assert "Scan this code" in bob.get("/accounts/two-factor/").content.decode()
    device = TOTPDevice.objects.get(user=member)
    with django_capture_on_commit_callbacks(execute=True):
        bob.post("/accounts/two-factor/", {"token": f"{totp(device.bin_key):06d}"})
    assert bob.get("/staff/").status_code == 200
    assert "authenticator app was set up" in mail.outbox[-1].subject
    # Good once: the link no longer opens anything.
    assert Client().get(link).status_code == 404


def test_an_expired_or_someone_elses_link_does_not_work(member, admin, settings):
    path = two_factor_enrolment_issue(user=member, actor=None)
    alice = _sign_in_with_password("alice")
    assert alice.get(path).status_code == 404
    TwoFactorEnrolment.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get(path).status_code == 404


def test_invitation_carries_a_set_up_link(admin, sign_in, django_capture_on_commit_callbacks):
    data = {"first_name": "Nia", "last_name": "Test", "email": "nia@example.org"}
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(admin).post("/staff/team/invite/", {**data, "roles": ["peer_specialist"]})
    assert "/accounts/two-factor/set-up/" in mail.outbox[-1].body


def test_two_factor_link_command_prints_a_working_link(member, capsys):
    call_command("two_factor_link", "--username", "bob", "--site", "https://example.org/")
    printed = capsys.readouterr().out.strip()
    assert printed.startswith("https://example.org/accounts/two-factor/set-up/")
    assert Client().get(printed.removeprefix("https://example.org")).status_code == 302


def test_key_check_fails_with_a_key_that_cannot_open_the_data(db, settings):
    assert field_key_opens_stored_data(None) == []
    old = settings.FIELD_ENCRYPTION_KEY
    new = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEY = new
    assert [m.id for m in field_key_opens_stored_data(None)] == ["alongside.E204"]
    settings.FIELD_ENCRYPTION_KEY = f"{new},{old}"  # while rotating: the old key still opens it
    assert field_key_opens_stored_data(None) == []


def test_the_audit_report_names_the_new_events_in_words(member, org):
    from alongside.core.audit_words import event_phrase
    from alongside.core.models import AuditEvent

    api_token_create(user=member, organization=org)
    member.set_password(NEW_PASSWORD)
    member.save()
    two_factor_enrolment_issue(user=member, actor=None)
    phrases = {event_phrase(e) for e in AuditEvent.objects.all()}
    assert {"changed their password", "issued a two-factor set-up link"} <= phrases
