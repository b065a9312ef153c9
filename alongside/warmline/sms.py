"""Text messages: a provider interface, its Twilio adapter, and what an incoming text does.

Rules (carriers' rules for business texting):
- STOP (or STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT) opts a number out: it is told once that it
  will get nothing more, and then gets nothing, whatever anyone sends, until it texts START
  (or YES, UNSTOP). HELP (or INFO) always answers with who we are, the hours and 988.
- Outside the line's hours a text gets the hours and 988 in reply, and nothing is queued.
- Every text we send goes through ``sms_send``, which refuses an opted-out number.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alongside.core.tenancy import organization_scope
from alongside.warmline import selectors, services
from alongside.warmline.models import Contact, Line, Message, SmsOptOut

if TYPE_CHECKING:
    from django.http import HttpRequest

logger = logging.getLogger(__name__)

STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"}
START_WORDS = {"START", "YES", "UNSTOP"}
HELP_WORDS = {"HELP", "INFO"}
# A texter who wants to be known next time ("has contacted 3 times before") says so.
REMEMBER_WORDS = {"REMEMBER"}


class OptedOut(Exception):
    """The number texted STOP: nothing may be sent to it."""


@dataclass(frozen=True)
class InboundSms:
    sender: str
    to: str
    body: str


class SmsProvider(Protocol):
    """What the warm line needs of an SMS provider."""

    def is_authentic(self, request: HttpRequest) -> bool:
        """Whether a webhook request really comes from the provider (its signature)."""

    def inbound(self, request: HttpRequest) -> InboundSms:
        """The text a webhook request carries."""

    def send(self, *, to: str, sender: str, body: str) -> str:
        """Send one text; returns the provider's id for it."""

    def webhook_answer(self) -> tuple[str, str]:
        """The body and content type that tell the provider the text was received."""


class TwilioProvider:
    """Twilio's Programmable Messaging: ``RequestValidator`` for webhooks, its client to send."""

    def __init__(self, account_sid: str, auth_token: str, base_url: str) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.base_url = base_url.rstrip("/")

    def _webhook_url(self, request: HttpRequest) -> str:
        # Twilio signs the address it posted to; behind a proxy, the configured public one.
        return settings.WARMLINE_SMS_WEBHOOK_URL or request.build_absolute_uri()

    def is_authentic(self, request: HttpRequest) -> bool:
        from twilio.request_validator import RequestValidator

        signature = request.headers.get("X-Twilio-Signature", "")
        if not signature or not self.auth_token:
            return False
        params = {key: request.POST.get(key) for key in request.POST}
        return bool(
            RequestValidator(self.auth_token).validate(
                self._webhook_url(request), params, signature
            )
        )

    def inbound(self, request: HttpRequest) -> InboundSms:
        return InboundSms(
            sender=request.POST.get("From", ""),
            to=request.POST.get("To", ""),
            body=request.POST.get("Body", ""),
        )

    def send(self, *, to: str, sender: str, body: str) -> str:
        from twilio.rest import Client

        # An empty environment: region and edge come from settings, never a stray variable.
        client = Client(self.account_sid, self.auth_token, environment={})
        client.api.base_url = self.base_url
        message = client.messages.create(to=to, from_=sender, body=body)
        return str(message.sid)

    def webhook_answer(self) -> tuple[str, str]:
        # Replies go out through the API like every other text; the answer is empty TwiML.
        return '<?xml version="1.0" encoding="UTF-8"?><Response></Response>', "text/xml"


def provider() -> SmsProvider | None:
    """The configured provider (``WARMLINE_SMS_PROVIDER``), or None when texts are off."""
    if settings.WARMLINE_SMS_PROVIDER == "twilio":
        return TwilioProvider(
            settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, settings.TWILIO_BASE_URL
        )
    return None


def is_opted_out(line: Line, number: str) -> bool:
    key = services.return_key(number)
    return SmsOptOut.objects.filter(line=line, number_key=key).exists()


def sms_send(*, line: Line, to: str, body: str, allow_opted_out: bool = False) -> str:
    """Send one text from ``line``; refuses (``OptedOut``) a number that texted STOP."""
    if not allow_opted_out and is_opted_out(line, to):
        raise OptedOut
    sender = provider()
    if sender is None:
        raise RuntimeError("No SMS provider is configured (WARMLINE_SMS_PROVIDER).")
    return sender.send(to=to, sender=line.sms_number, body=body)


def _send_after_commit(line: Line, to: str, body: str, allow_opted_out: bool = False) -> None:
    organization = line.organization

    def send() -> None:
        with organization_scope(organization):
            try:
                sms_send(line=line, to=to, body=body, allow_opted_out=allow_opted_out)
            except OptedOut:
                logger.info("Text not sent: the number opted out.")
            except Exception as exc:
                # The kind of error only: the provider's message may hold the number.
                logger.warning("Text not sent: %s", type(exc).__name__)

    transaction.on_commit(send)


def deliver_on_commit(contact: Contact, message: Message) -> None:
    """A responder's message to a texter, sent once it is stored."""
    if not contact.sms_from:
        return
    body = f"{message.body} {message.url}".strip()
    _send_after_commit(contact.line, contact.sms_from, body)


def hours_text(line: Line) -> str:
    return _(
        "%(line)s is a warm line for everyday support, not a crisis line. We are closed now."
    ) % {"line": line.name}


def after_hours_reply(line: Line) -> str:
    hours = selectors.line_hours(line)
    opening = ""
    if hours.next_open is not None:
        opening = " " + _("We open again %(when)s.") % {
            "when": date_format(timezone.localtime(hours.next_open), "l g:i A")
        }
    return f"{hours_text(line)}{opening} {_crisis_sentence()}"


def _crisis_sentence() -> str:
    return _("In a crisis, call or text 988 any time.") + " " + services.crisis_links_text()


def help_reply(line: Line) -> str:
    return _(
        "%(line)s: peer support by text. Not a crisis line: in a crisis call or text 988. "
        "Text STOP to stop getting messages."
    ) % {"line": line.name}


def _open_contact(line: Line, key: str) -> Contact | None:
    return (
        Contact.objects.filter(line=line, channel=Contact.Channel.SMS, return_key=key)
        .exclude(status=Contact.Status.ENDED)
        .select_related("line", "organization")
        .first()
    )


@transaction.atomic
def sms_receive(*, line: Line, inbound: InboundSms) -> str:
    """What an incoming text does; returns what happened ("queued", "stop", "closed"…)."""
    key = services.return_key(inbound.sender)
    word = inbound.body.strip().upper()
    open_contact = _open_contact(line, key)
    if word in STOP_WORDS:
        _send_after_commit(
            line,
            inbound.sender,
            _("You will get no more messages from %(line)s. Text START to start again.")
            % {"line": line.name},
            allow_opted_out=True,
        )
        SmsOptOut.objects.get_or_create(organization=line.organization, line=line, number_key=key)
        if open_contact is not None:
            services.contact_end(contact=open_contact)
        return "stop"
    if word in START_WORDS:
        SmsOptOut.objects.filter(line=line, number_key=key).delete()
        _send_after_commit(
            line,
            inbound.sender,
            _("You can text %(line)s again. Send us a message any time we are open.")
            % {"line": line.name},
        )
        return "start"
    if word in HELP_WORDS:
        _send_after_commit(line, inbound.sender, help_reply(line), allow_opted_out=True)
        return "help"
    if SmsOptOut.objects.filter(line=line, number_key=key).exists():
        return "opted_out"
    if word in REMEMBER_WORDS and open_contact is not None:
        services.contact_remember(contact=open_contact)
        _send_after_commit(
            line,
            inbound.sender,
            _("Thanks. Next time you text %(line)s, we will know you have texted before.")
            % {"line": line.name},
        )
        return "remember"
    if open_contact is not None:
        services.message_store(
            contact=open_contact, sender=Message.Sender.VISITOR, body=inbound.body
        )
        return "message"
    if not selectors.line_is_open(line):
        _send_after_commit(line, inbound.sender, after_hours_reply(line))
        return "closed"
    contact, _token = services.contact_start(
        line=line, channel=Contact.Channel.SMS, is_open=True, sms_from=inbound.sender
    )
    services.message_store(contact=contact, sender=Message.Sender.VISITOR, body=inbound.body)
    _send_after_commit(
        line,
        inbound.sender,
        _(
            "Thanks for texting %(line)s. A peer will text you back soon. This is not a crisis "
            "line: in a crisis call or text 988. Text REMEMBER if you would like us to know "
            "you next time."
        )
        % {"line": line.name},
    )
    return "queued"


def receive_webhook(request: HttpRequest) -> tuple[int, str, str]:
    """Answer a provider's webhook: (status, body, content type)."""
    sender = provider()
    if sender is None:
        return 404, "", "text/plain"
    if not sender.is_authentic(request):
        return 403, "", "text/plain"
    inbound = sender.inbound(request)
    line = selectors.line_for_number(inbound.to)
    if line is not None and inbound.sender:
        with organization_scope(line.organization):
            sms_receive(line=line, inbound=inbound)
    body, content_type = sender.webhook_answer()
    return 200, body, content_type
