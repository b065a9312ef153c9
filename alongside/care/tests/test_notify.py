"""Care's notifications: safety concerns (and what the page says), returned notes, referrals,
consents about to expire, break-glass, and closing a concern with its follow-up."""

import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from alongside.care import services
from alongside.care.models import SafetyConcern
from alongside.core.models import Membership, Notification
from alongside.core.notifications import notification_preferences_set, time_words
from alongside.core.roles import Role
from alongside.core.tenancy import organization_scope

from .conftest import make_participant

NOTE = {"actions": ["called_988_together"], "note": "Hard night; we called 988 together"}


@pytest.fixture
def sam(make_user, org):
    """The supervisor, with a name to be told by."""
    user = make_user("sam", org, [Role.SUPERVISOR])
    user.first_name, user.last_name = "Sam", "Rivera"
    user.save()
    return user


def _raise(participant, actor):
    return services.safety_concern_raise(participant=participant, actor=actor, **NOTE)


def _messages(client, response):
    return [str(m) for m in client.get(response.url).context["messages"]]


def test_safety_concern_emails_the_supervisor_without_the_persons_name(
    participant, member, sam, in_org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        concern = _raise(participant, member)
    [sent] = mail.outbox
    assert sent.to == [sam.email]
    assert "A safety concern was raised for someone on your caseload." in sent.body
    for text in (sent.subject, sent.body):
        assert "Jordan" not in text and "988" not in text
    [row] = Notification.objects.filter(recipient=sam)
    assert (row.kind, row.key, row.email) == ("safety_concern", str(concern.pk), "sent")
    assert row.link == reverse("care:participant", args=[participant.pk]) + "#safety"
    assert "Jordan" not in row.title


@pytest.mark.django_db(transaction=True)
def test_the_page_says_who_was_emailed_and_when(sign_in, participant, member, sam):
    # Committed for real: the page is written after the e-mail went, as in production.
    client = sign_in(member)
    response = client.post(reverse("care:safety_create", args=[participant.pk]), NOTE)
    with organization_scope(participant.organization):
        row = Notification.objects.get(recipient=sam)
    assert row.email == "sent" and len(mail.outbox) == 1
    assert _messages(client, response) == [
        f"Recorded. Sam Rivera, your supervisor, was notified by e-mail at "
        f"{time_words(row.emailed_at)}."
    ]


def test_with_email_off_the_page_says_so(sign_in, participant, member, sam, in_org):
    notification_preferences_set(
        user=sam, organization=participant.organization, email={"safety_concern": False}, actor=sam
    )
    client = sign_in(member)
    response = client.post(reverse("care:safety_create", args=[participant.pk]), NOTE)
    row = Notification.objects.get(recipient=sam)
    assert (row.email, mail.outbox) == ("off", [])
    assert _messages(client, response) == [
        f"Recorded. Sam Rivera, your supervisor, was notified in Alongside at "
        f"{time_words(row.created_at)} (e-mail is off for them). Nobody was e-mailed: if it "
        f"cannot wait until they sign in, call them."
    ]


def test_an_admin_is_told_as_an_admin(participant, member, admin, in_org):
    concern = _raise(participant, member)
    [row] = Notification.objects.filter(key=str(concern.pk))
    assert row.recipient == admin
    # alice is an admin and a supervisor: she is named as the supervisor.
    assert "alice, your supervisor," in services.safety_told_message(concern)
    Membership.objects.filter(user=admin).update(roles=[Role.ORG_ADMIN])
    assert "alice, an organization admin," in services.safety_told_message(concern)


def test_when_nobody_can_be_told_the_page_says_so(sign_in, participant, member, sam, in_org):
    # The only supervisor raises it: nobody else is there to tell.
    Membership.objects.filter(user=sam).update(roles=[Role.SUPERVISOR, Role.PEER_SPECIALIST])
    client = sign_in(sam)
    response = client.post(reverse("care:safety_create", args=[participant.pk]), NOTE)
    concern = SafetyConcern.objects.get()
    assert concern.supervisor_notified is False
    assert not Notification.objects.exists()
    assert _messages(client, response) == [
        "Recorded, but there is no supervisor or organization admin in Alongside to tell. "
        "Call your supervisor now and tell them what happened."
    ]


def test_a_deactivated_supervisor_is_not_told(participant, member, sam, in_org):
    Membership.objects.filter(user=sam).update(is_active=False)
    concern = _raise(participant, member)
    assert concern.supervisor_notified is False
    assert not Notification.objects.exists()


# --- Other kinds ---------------------------------------------------------------------------


def test_a_returned_note_tells_its_author(encounter, member, sam, in_org):
    services.encounter_return(encounter=encounter, actor=sam, comment="Add the next steps")
    [row] = Notification.objects.filter(kind="note_returned")
    assert row.recipient == member
    assert row.title == "Sam Rivera returned a note of yours with a comment"
    assert row.link == reverse("care:encounter", args=[encounter.participant_id, encounter.pk])


def test_a_referral_status_change_tells_its_maker_and_specialists_not_the_actor(
    org, participant, member, sam, make_user, in_org
):
    other = make_user("oli", org, [Role.PEER_SPECIALIST])
    participant.specialists.add(other)
    referral = services.referral_create(participant=participant, actor=member, provider_name="A")
    services.referral_update(referral=referral, actor=other, data={"warm_handoff_note": "Called"})
    assert not Notification.objects.exists()
    services.referral_update(referral=referral, actor=other, data={"status": "connected"})
    [row] = Notification.objects.filter(kind="referral_updated")
    assert row.recipient == member
    assert row.title == "A referral was moved to “Connected” by oli"


def test_the_referral_status_page_tells_them(sign_in, participant, member, sam, in_org):
    referral = services.referral_create(participant=participant, actor=member, provider_name="A")
    sign_in(sam).post(
        reverse("care:referral_status", args=[participant.pk, referral.pk]), {"status": "made"}
    )
    assert Notification.objects.get(kind="referral_updated").recipient == member


def _consent(participant, actor, expires_on):
    return services.consent_create(
        participant=participant,
        actor=actor,
        data={
            "discloser": "Granite",
            "recipients": "Harbor Housing",
            "information": "Contact dates",
            "information_categories": ["encounter_dates"],
            "purposes": ["benefits"],
            "expires_on": expires_on,
            "signature_name": "Jordan",
            "signed_on": datetime.date(2026, 1, 5),
        },
    )


def test_consents_expiring_are_told_once(
    org, participant, member, in_org, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    soon = _consent(participant, member, today + datetime.timedelta(days=30))
    _consent(participant, member, today + datetime.timedelta(days=31))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notify_consents_expiring", stdout=io.StringIO())
        call_command("notify_consents_expiring", stdout=io.StringIO())
    [row] = Notification.objects.filter(kind="consent_expiring")
    assert (row.recipient, row.key) == (member, str(soon.pk))
    assert row.link == reverse("care:participant", args=[participant.pk]) + "#consents"
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "Jordan" not in mail.outbox[0].body


def test_a_consent_of_someone_unassigned_goes_to_the_supervisors(org, member, sam, in_org):
    nobodys = make_participant(org, member, name="Unassigned (sample)")
    _consent(nobodys, member, timezone.localdate() + datetime.timedelta(days=3))
    call_command("notify_consents_expiring", stdout=io.StringIO())
    assert [n.recipient for n in Notification.objects.all()] == [sam]


def test_break_glass_tells_the_supervisors_and_review_settles_it(org, member, sam, in_org):
    theirs = make_participant(org, sam, name="Someone Else (sample)", specialists=[sam])
    other = make_participant(org, sam, name="Not Mine (sample)")
    grant = services.break_glass_open(participant=other, actor=member, reason="Crisis call")
    [row] = Notification.objects.filter(kind="break_glass")
    assert row.recipient == sam and "Not Mine" not in row.title
    assert theirs.pk  # a participant of sam's own, untouched
    services.break_glass_review(grant=grant, actor=sam)
    row.refresh_from_db()
    assert row.read_at is not None


# --- Closing a concern ---------------------------------------------------------------------


def test_closing_needs_the_follow_up(participant, member, sam, in_org):
    concern = _raise(participant, member)
    with pytest.raises(ValidationError) as refused:
        services.safety_concern_resolve(concern=concern, actor=sam, follow_up="  ")
    assert "follow_up" in refused.value.message_dict
    concern.refresh_from_db()
    assert concern.resolved_at is None


def test_the_close_page_records_the_follow_up_and_settles_the_notifications(
    sign_in, participant, member, sam, in_org
):
    concern = _raise(participant, member)
    client = sign_in(sam)
    url = reverse("care:safety_resolve", args=[participant.pk, concern.pk])
    assert b"Hard night" in client.get(url).content
    refused = client.post(url, {"follow_up": ""})
    assert refused.status_code == 400
    assert "This field is required." in refused.content.decode()
    response = client.post(
        url, {"follow_up": "Called the next morning; safe at home", "follow_up_on": "2026-03-03"}
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert (concern.resolved_by, concern.follow_up_on) == (sam, datetime.date(2026, 3, 3))
    assert concern.follow_up == "Called the next morning; safe at home"
    assert Notification.objects.get(key=str(concern.pk)).read_at is not None
    page = client.get(response.url).content.decode()
    assert "Called the next morning; safe at home" in page
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT follow_up FROM care_safetyconcern WHERE follow_up <> ''",
        )
        [(raw,)] = cursor.fetchall()
    assert "next morning" not in raw


def test_a_specialist_cannot_close_a_concern(sign_in, participant, member, in_org):
    concern = _raise(participant, member)
    url = reverse("care:safety_resolve", args=[participant.pk, concern.pk])
    assert sign_in(member).get(url).status_code == 403


def test_another_organizations_concern_answers_404(sign_in, outsider, participant, member):
    with organization_scope(participant.organization):
        concern = _raise(participant, member)
    client = sign_in(outsider)
    url = reverse("care:safety_resolve", args=[participant.pk, concern.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"follow_up": "x"}).status_code == 404
