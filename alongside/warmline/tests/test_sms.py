"""Text messages through the Twilio adapter, against a local HTTP server that records what it
receives: a real HTTP exchange with the ``twilio`` package's own client."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.urls import reverse
from twilio.request_validator import RequestValidator

from alongside.core.tenancy import organization_scope
from alongside.warmline import sms
from alongside.warmline.models import Contact, Message, SmsOptOut

TOKEN = "test-auth-token-not-real"
SID = "ACtest00000000000000000000000000"
TEXTER = "+16035550199"
WEBHOOK = "http://testserver/warmline/sms/twilio/"


class Recorder(BaseHTTPRequestHandler):
    """Answers like Twilio's Messages resource, and keeps each request it gets."""

    received: list[dict[str, object]]

    def do_POST(self) -> None:  # noqa: N802 -- http.server's name
        length = int(self.headers.get("Content-Length", 0))
        form = parse_qs(self.rfile.read(length).decode())
        self.server.received.append(  # type: ignore[attr-defined]
            {"path": self.path, "form": {k: v[0] for k, v in form.items()}}
        )
        body = json.dumps({"sid": f"SM{len(self.server.received):032d}", "status": "queued"})  # type: ignore[attr-defined]
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def twilio(settings):
    """A recording server standing in for Twilio's API; the adapter is pointed at it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WARMLINE_SMS_PROVIDER = "twilio"
    settings.TWILIO_ACCOUNT_SID = SID
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.TWILIO_BASE_URL = f"http://127.0.0.1:{server.server_port}"
    yield server.received  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()


def text_in(client, body, *, to="+16035550142", sender=TEXTER, signature=None):
    params = {"From": sender, "To": to, "Body": body, "MessageSid": "SMin"}
    if signature is None:
        signature = RequestValidator(TOKEN).compute_signature(WEBHOOK, params)
    return client.post(
        reverse("warmline:sms_twilio"), params, headers={"X-Twilio-Signature": signature}
    )


def sent_texts(received):
    return [(r["form"]["To"], r["form"]["Body"]) for r in received]


def test_a_signed_text_joins_the_queue_and_is_answered_through_the_api(
    client, line, twilio, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = text_in(client, "Hi, can I talk to someone?")
    assert response.status_code == 200 and b"<Response>" in response.content
    with organization_scope(line.organization):
        contact = Contact.objects.get()
        assert contact.channel == Contact.Channel.SMS and contact.status == Contact.Status.QUEUED
        assert contact.messages.get().body == "Hi, can I talk to someone?"
        assert contact.sms_from == TEXTER and contact.return_key
    assert twilio[0]["path"] == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert twilio[0]["form"]["From"] == "+16035550142"
    assert [to for to, _body in sent_texts(twilio)] == [TEXTER]
    assert "not a crisis line" in twilio[0]["form"]["Body"]


def test_an_unsigned_or_forged_text_is_refused(client, line, twilio):
    assert text_in(client, "hello", signature="forged").status_code == 403
    assert text_in(client, "hello", signature="").status_code == 403
    with organization_scope(line.organization):
        assert not Contact.objects.exists()
    assert twilio == []


def test_a_responder_reply_goes_out_by_text(
    client, line, responder, twilio, django_capture_on_commit_callbacks
):
    from alongside.warmline import services

    with django_capture_on_commit_callbacks(execute=True):
        text_in(client, "Hello")
    with organization_scope(line.organization), django_capture_on_commit_callbacks(execute=True):
        contact = Contact.objects.get()
        services.contact_take(contact=contact, responder=responder)
        services.message_store(
            contact=contact,
            sender=Message.Sender.RESPONDER,
            body="Hi, I'm Rowan.",
            author=responder,
        )
    assert ("+16035550199", "Hi, I'm Rowan.") in sent_texts(twilio)


def test_stop_then_nothing_more_is_sent(
    client, line, responder, twilio, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        text_in(client, "Hello")
        text_in(client, "STOP")
    before = len(twilio)
    assert "no more messages" in twilio[-1]["form"]["Body"]
    with organization_scope(line.organization):
        assert SmsOptOut.objects.count() == 1
        contact = Contact.objects.get()
        assert contact.status == Contact.Status.ENDED and contact.sms_from == ""
        with pytest.raises(sms.OptedOut):
            sms.sms_send(line=line, to=TEXTER, body="Are you still there?")
    with django_capture_on_commit_callbacks(execute=True):
        text_in(client, "hello again")
    assert len(twilio) == before  # refused: no request reached the provider
    with organization_scope(line.organization):
        assert Contact.objects.count() == 1  # and nothing was queued


def test_start_lets_a_number_text_again(client, line, twilio, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        text_in(client, "stop")
        text_in(client, "START")
        text_in(client, "Hi")
    with organization_scope(line.organization):
        assert not SmsOptOut.objects.exists()
        assert Contact.objects.filter(status=Contact.Status.QUEUED).count() == 1


def test_help_answers_even_an_opted_out_number(
    client, line, twilio, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        text_in(client, "STOP")
        text_in(client, "HELP")
    body = twilio[-1]["form"]["Body"]
    assert "Not a crisis line" in body and "988" in body and "STOP" in body


def test_after_hours_a_text_gets_the_hours_and_988_and_is_not_queued(
    client, closed_line, twilio, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        text_in(client, "Anyone there?")
    with organization_scope(closed_line.organization):
        assert not Contact.objects.exists()
    [(to, body)] = sent_texts(twilio)
    assert to == TEXTER
    assert "closed now" in body and "988" in body and "not a crisis line" in body


def test_a_texter_is_known_next_time_only_after_texting_remember(
    client, line, twilio, django_capture_on_commit_callbacks
):
    from alongside.warmline import selectors, services

    def conversation(*bodies):
        with django_capture_on_commit_callbacks(execute=True):
            for body in bodies:
                text_in(client, body)
        with organization_scope(line.organization):
            contact = Contact.objects.exclude(status=Contact.Status.ENDED).get()
            earlier = selectors.earlier_contact_count(contact)
            services.contact_end(contact=contact)
            contact.refresh_from_db()
        return contact, earlier

    first, _earlier = conversation("Hi there")
    assert first.return_key == "" and not first.remembered  # forgotten: they did not ask
    second, earlier = conversation("Hello again", "remember")
    assert earlier == 0 and second.remembered and second.return_key
    third, earlier = conversation("It's me")
    assert earlier == 1  # the conversation they asked to be known by, not the first
    with organization_scope(line.organization):
        assert Message.objects.filter(contact=second).count() == 1  # REMEMBER is not a message
    assert any("Text REMEMBER" in body for _to, body in sent_texts(twilio))
