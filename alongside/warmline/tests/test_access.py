"""Who may see and do what on the staff side; the audited transcript; another org's 404."""

from __future__ import annotations

from io import StringIO

import pytest
from django.urls import reverse

from alongside.core.models import AuditEvent, Notification
from alongside.core.roles import Role
from alongside.core.tenancy import organization_scope
from alongside.warmline.models import Contact, ContactEvent, ContactRecord, Message
from alongside.warmline.notifications import CRISIS_TRANSFER, HARD_CONTACT

pytestmark = pytest.mark.django_db


def test_console_lists_the_queue_oldest_first(
    sign_in, responder, line, django_assert_max_num_queries
):
    from alongside.warmline.tests.conftest import start_chat

    first = start_chat(line, display_name="Jo")[0]
    start_chat(line, display_name="Kit")
    client = sign_in(responder)
    client.get(reverse("warmline_staff:console"))
    with django_assert_max_num_queries(12):
        page = client.get(reverse("warmline_staff:console")).content.decode()
    assert page.index("Jo") < page.index("Kit")
    assert reverse("warmline_staff:take", args=[first.pk]) in page
    assert "This is not a crisis line" in page


@pytest.mark.parametrize("roles", [[Role.PEER_SPECIALIST], [Role.BILLING], [Role.DIRECTORY_EDITOR]])
def test_care_roles_without_the_responder_role_get_403(sign_in, make_user, org, waiting, roles):
    client = sign_in(make_user("pat", org, roles))
    assert client.get(reverse("warmline_staff:console")).status_code == 403
    assert client.get(reverse("warmline_staff:contact", args=[waiting.pk])).status_code == 403
    take = client.post(reverse("warmline_staff:take", args=[waiting.pk]))
    assert take.status_code == 403


def test_outsider_gets_404_on_every_page_that_takes_an_id(sign_in, make_user, other_org, talking):
    client = sign_in(make_user("otto", other_org, [Role.WARMLINE_RESPONDER, Role.SUPERVISOR]))
    for name in ("contact", "end"):
        assert client.get(reverse(f"warmline_staff:{name}", args=[talking.pk])).status_code == 404
    for name in ("take", "send", "share", "transfer", "transcript_delete"):
        response = client.post(reverse(f"warmline_staff:{name}", args=[talking.pk]), {"body": "x"})
        assert response.status_code == 404, name
    with organization_scope(talking.organization):
        line = talking.line
    assert client.post(reverse("warmline_staff:on_duty", args=[line.pk])).status_code == 404


def test_opening_a_transcript_is_audited(sign_in, responder, talking):
    sign_in(responder).get(reverse("warmline_staff:contact", args=[talking.pk]))
    event = AuditEvent.objects.filter(object_type="warmline.contact").last()
    assert event.action == "view" and event.object_id == str(talking.pk)
    assert event.actor == responder


def test_take_then_send_without_javascript(sign_in, responder, waiting):
    client = sign_in(responder)
    response = client.post(reverse("warmline_staff:take", args=[waiting.pk]))
    assert response.url == reverse("warmline_staff:contact", args=[waiting.pk])
    client.post(reverse("warmline_staff:send", args=[waiting.pk]), {"body": "Hi, I'm here."})
    with organization_scope(waiting.organization):
        waiting.refresh_from_db()
        assert waiting.status == Contact.Status.ACTIVE and waiting.responder == responder
        assert waiting.messages.last().body == "Hi, I'm here."


def test_a_second_responder_cannot_take_a_taken_contact(sign_in, second_responder, talking):
    client = sign_in(second_responder)
    assert client.post(reverse("warmline_staff:take", args=[talking.pk])).status_code == 302
    assert (
        client.post(reverse("warmline_staff:send", args=[talking.pk]), {"body": "x"}).status_code
        == 404
    )


def test_share_a_library_article_in_one_step(sign_in, responder, talking):
    from django.core.management import call_command

    from alongside.library.models import Article

    call_command("load_library", stdout=StringIO())
    article = Article.objects.order_by("slug").first()
    sign_in(responder).post(
        reverse("warmline_staff:share", args=[talking.pk]), {"article": article.slug}
    )
    with organization_scope(talking.organization):
        shared = talking.messages.get(kind=Message.Kind.LINK)
    assert shared.body == article.title and shared.url.endswith(f"/library/{article.slug}/")


def test_share_a_directory_listing_in_one_step(sign_in, responder, talking):
    with organization_scope(talking.organization):
        listing_id = talking.line.listing_id
    sign_in(responder).post(
        reverse("warmline_staff:share", args=[talking.pk]), {"listing": str(listing_id)}
    )
    with organization_scope(talking.organization):
        shared = talking.messages.get(kind=Message.Kind.LINK)
    assert shared.url.endswith(f"/find/{listing_id}/")


def test_connect_to_988_gives_links_records_the_event_and_notifies_the_supervisor(
    sign_in, responder, supervisor, talking
):
    client = sign_in(responder)
    response = client.post(reverse("warmline_staff:transfer", args=[talking.pk]), follow=True)
    page = response.content.decode()
    assert "Stay until someone at 988 has them" in page  # the warm transfer's steps
    with organization_scope(talking.organization):
        links = talking.messages.get(kind=Message.Kind.CRISIS).body
        assert "call 988" in links and "text 988" in links and "988lifeline.org/chat" in links
        assert ContactEvent.objects.get().kind == "crisis_transfer"
        note = Notification.objects.get(kind=CRISIS_TRANSFER)
    assert note.recipient == supervisor
    assert AuditEvent.objects.filter(object_type="warmline.crisis_transfer").exists()


def test_the_on_duty_supervisor_is_the_one_told(
    sign_in, make_user, org, responder, supervisor, talking
):
    other = make_user("ola", org, [Role.SUPERVISOR])
    with organization_scope(org):
        line = talking.line
    sign_in(supervisor).post(reverse("warmline_staff:on_duty", args=[line.pk]))
    sign_in(responder).post(reverse("warmline_staff:transfer", args=[talking.pk]))
    with organization_scope(org):
        assert [n.recipient for n in Notification.objects.filter(kind=CRISIS_TRANSFER)] == [
            supervisor
        ]
        assert not Notification.objects.filter(recipient=other).exists()


def test_ending_with_a_hard_record_suggests_a_break_and_tells_the_supervisor(
    sign_in, responder, supervisor, talking, topic
):
    client = sign_in(responder)
    response = client.post(
        reverse("warmline_staff:end", args=[talking.pk]),
        {"topics": [topic.pk], "ending": "supported", "hard": "on", "notes": "Long talk."},
    )
    assert response.url == reverse("warmline_staff:take_a_break")
    assert "short break" in client.get(response.url).content.decode()
    with organization_scope(talking.organization):
        record = ContactRecord.objects.get()
        assert record.hard and list(record.topics.all()) == [topic]
        assert record.contact.status == Contact.Status.ENDED
        assert Notification.objects.get(kind=HARD_CONTACT).recipient == supervisor


def test_supervisor_sees_the_queue_active_contacts_and_counts(
    sign_in, supervisor, waiting, talking, django_assert_max_num_queries
):
    client = sign_in(supervisor)
    client.get(reverse("warmline_staff:supervisor"))
    with django_assert_max_num_queries(14):
        page = client.get(reverse("warmline_staff:supervisor")).content.decode()
    assert "1 person waiting" in page
    assert reverse("warmline_staff:contact", args=[talking.pk]) in page
    assert "Contacts per hour today" in page
    # Read-only: the conversation opens without a way to write in it.
    conversation = client.get(reverse("warmline_staff:contact", args=[talking.pk])).content
    assert b'id="warmline-send"' not in conversation


def test_a_returning_person_is_recognized_only_by_their_code(sign_in, responder, line, topic):
    from alongside.warmline import services
    from alongside.warmline.tests.conftest import start_chat

    for _n in range(4):
        earlier = start_chat(line, return_code="blue heron 7")[0]
        with organization_scope(line.organization):
            services.contact_take(contact=earlier, responder=responder)
            services.contact_record_save(
                contact=earlier, actor=responder, topics=[topic], ending="supported"
            )
    stranger = start_chat(line)[0]
    again = start_chat(line, return_code="Blue Heron 7")[0]
    client = sign_in(responder)
    page = client.get(reverse("warmline_staff:contact", args=[again.pk])).content.decode()
    assert "Has contacted 4 times before" in page and "Loneliness" in page
    page = client.get(reverse("warmline_staff:contact", args=[stranger.pk])).content.decode()
    assert "contacted" not in page


def test_deleting_a_transcript_is_audited_and_keeps_the_record(
    sign_in, responder, supervisor, talking, topic
):
    sign_in(responder).post(
        reverse("warmline_staff:end", args=[talking.pk]), {"ending": "supported", "notes": "x"}
    )
    sign_in(supervisor).post(reverse("warmline_staff:transcript_delete", args=[talking.pk]))
    with organization_scope(talking.organization):
        assert not Message.objects.filter(contact=talking).exists()
        assert ContactRecord.objects.get().notes == ""
    assert AuditEvent.objects.filter(object_type="warmline.transcript", action="delete").exists()


def test_topics_are_the_organizations_own(sign_in, supervisor, responder):
    client = sign_in(supervisor)
    client.post(reverse("warmline_staff:topics"), {"name": "Housing worries"})
    assert "Housing worries" in client.get(reverse("warmline_staff:topics")).content.decode()
    assert sign_in(responder).get(reverse("warmline_staff:topics")).status_code == 403
