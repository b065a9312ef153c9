"""Writes of the warm line: starting, taking and ending contacts, messages, records, transfers.

Every write happens here, inside a transaction; the live events that tell the people in a
conversation leave once it has committed (``events.publish_on_commit``). A message is stored
before anyone is told of it, so an answer the sender receives means it is safe in the database.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.core.audit import Action, audit_record
from alongside.core.crisis import crisis_lines
from alongside.core.notifications import members_with_role, notify
from alongside.core.records import record_create, record_update
from alongside.core.roles import Role
from alongside.directory.selectors import listing_name
from alongside.warmline import notifications
from alongside.warmline.events import (
    contact_group,
    publish_on_commit,
    queue_group,
    waiting_group,
)
from alongside.warmline.models import (
    Contact,
    ContactEvent,
    ContactRecord,
    Line,
    Message,
    Topic,
)

Status = Contact.Status
Sender = Message.Sender
LONGEST_MESSAGE = 2000


class LineClosed(Exception):
    """The line is not open now: nothing is queued."""


def return_key(value: str) -> str:
    """The keyed hash that recognizes a returning person (a number or a chosen code)."""
    normalized = "".join(value.split()).lower()
    key = settings.WARMLINE_RETURN_KEY.encode()
    return hmac.new(key, normalized.encode(), hashlib.sha256).hexdigest()


def resume_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def message_event(message: Message) -> dict[str, Any]:
    """What a page is told of a message (also what a reconnecting page is sent again)."""
    return {
        "type": "message",
        "contact": str(message.contact_id),
        "seq": message.seq,
        "id": message.client_id,
        "sender": message.sender,
        "kind": message.kind,
        "body": message.body,
        "url": message.url,
        "at": message.created_at.isoformat(),
    }


def queue_entry(contact: Contact) -> dict[str, Any]:
    """What a console shows of a waiting contact."""
    return {
        "contact": str(contact.pk),
        "channel": contact.channel,
        "channel_label": str(contact.get_channel_display()),
        "name": contact.display_name,
        "since": contact.queued_at.isoformat(),
        "returning": bool(contact.return_key),
    }


def _queue_changed(contact: Contact, *, joined: bool) -> None:
    """Once committed, tell the consoles who joined or left the queue, and those waiting on
    the line that someone ahead may have left. Small events, read from nothing: a console
    keeps its own list (and asks for the whole queue when it connects), and a waiting page's
    socket reads its own place again."""
    if joined:
        publish_on_commit(
            queue_group(contact.organization_id),
            {"type": "queue_add", "entry": queue_entry(contact)},
        )
        return
    publish_on_commit(
        queue_group(contact.organization_id),
        {"type": "queue_remove", "contact": str(contact.pk)},
    )
    publish_on_commit(waiting_group(contact.line_id), {"type": "queue_left"})


@transaction.atomic
def contact_start(
    *,
    line: Line,
    channel: str,
    is_open: bool,
    display_name: str = "",
    return_code: str = "",
    sms_from: str = "",
    start_id: str = "",
) -> tuple[Contact, str]:
    """Queue a new contact on an open line; returns it and the secret its page resumes with.

    ``start_id`` is the page's random id for this start: the same start sent again (its
    answer was lost with the connection) gets the conversation it began, with a new secret.
    """
    token = secrets.token_urlsafe(24)
    start_digest = resume_digest(start_id) if start_id else ""
    if start_digest:
        again = (
            Contact.objects.select_for_update(of=("self",))
            .select_related("organization", "line")
            .filter(line=line, start_digest=start_digest)
            .exclude(status=Status.ENDED)
            .first()
        )
        if again is not None:
            again.resume_digest = resume_digest(token)
            again.save(update_fields=["resume_digest"])
            return again, token
    if not is_open:
        raise LineClosed
    contact = Contact(
        organization=line.organization,
        line=line,
        channel=channel,
        display_name=display_name.strip()[:40],
        resume_digest=resume_digest(token) if channel == Contact.Channel.CHAT else "",
        start_digest=start_digest,
        return_key=return_key(return_code or sms_from) if (return_code or sms_from) else "",
        sms_from=sms_from,
    )
    record_create(
        contact,
        actor=None,
        fields=["line", "channel", "display_name", "return_key", "sms_from"],
    )
    _queue_changed(contact, joined=True)
    return contact, token


def contact_take(*, contact: Contact, responder: Any) -> bool:
    """Give a waiting contact to ``responder``; False when someone else took it first."""
    with transaction.atomic():
        now = timezone.now()
        taken = Contact.objects.filter(pk=contact.pk, status=Status.QUEUED).update(
            status=Status.ACTIVE, responder=responder, taken_at=now
        )
        if not taken:
            return False
        contact.refresh_from_db()
        audit_record(
            action=Action.UPDATE,
            actor=responder,
            organization=contact.organization,
            obj=contact,
            changed_fields=["status", "responder", "taken_at"],
        )
        name = responder.first_name or _("A responder")
        message_store(
            contact=contact,
            sender=Sender.SYSTEM,
            body=_("%(name)s from the warm line has joined.") % {"name": name},
        )
        publish_on_commit(contact_group(contact.pk), {"type": "taken", "contact": str(contact.pk)})
        _queue_changed(contact, joined=False)
    return True


def message_store(
    *,
    contact: Contact,
    sender: str,
    body: str,
    client_id: str = "",
    author: Any = None,
    kind: str = Message.Kind.TEXT,
    url: str = "",
) -> tuple[Message, bool]:
    """Store a message (once per ``client_id``) and tell the conversation after commit.

    A message sent again with the same ``client_id`` is not stored twice; it is announced
    again, since the first announcement may have been lost with the worker that made it.
    Returns the message and whether it is new.
    """
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write a message first."))
    if len(body) > LONGEST_MESSAGE:
        raise ValidationError(_("A message can be at most %d characters.") % LONGEST_MESSAGE)
    client_id = (client_id or "")[:64]
    try:
        with transaction.atomic():
            seq = _next_seq(contact, ended_too=sender == Sender.SYSTEM)
            if seq is None:
                if client_id and (sent := _sent_before(contact, client_id)) is not None:
                    return sent, False
                raise ValidationError(_("This conversation has ended."))
            message = Message(
                organization_id=contact.organization_id,
                contact=contact,
                seq=seq,
                client_id=client_id,
                sender=sender,
                kind=kind,
                body=body,
                url=url,
                author=author,
            )
            message.save(force_insert=True)
            publish_on_commit(contact_group(contact.pk), message_event(message))
            if contact.channel == Contact.Channel.SMS and sender != Sender.VISITOR:
                from alongside.warmline.sms import deliver_on_commit

                deliver_on_commit(contact, message)
    except IntegrityError:
        # The same client id, stored before: a retry, or a second worker a moment ago. (Its
        # number taken above is given back with the rollback.)
        sent = _sent_before(contact, client_id) if client_id else None
        if sent is None:
            raise
        return sent, False
    return message, True


def _next_seq(contact: Contact, *, ended_too: bool) -> int | None:
    """Take the conversation's next message number, in one statement; None when it has
    ended (unless ``ended_too``: the system's own closing words)."""
    table = Contact._meta.db_table
    condition = "" if ended_too else " AND status <> %s"
    params = [Contact._meta.pk.get_db_prep_value(contact.pk, connection)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_seq = last_seq + 1 WHERE id = %s{condition} "  # noqa: S608
            "RETURNING last_seq",
            params if ended_too else [*params, Status.ENDED],
        )
        row = cursor.fetchone()
    return None if row is None else row[0]


def _sent_before(contact: Contact, client_id: str) -> Message | None:
    """The message stored under this client id, announced again: the first announcement may
    have been lost with the worker that made it."""
    sent = Message.objects.filter(contact=contact, client_id=client_id).first()
    if sent is not None:
        publish_on_commit(contact_group(contact.pk), message_event(sent))
    return sent


def typing_event(contact_id: Any, sender: str) -> dict[str, Any]:
    return {"type": "typing", "contact": str(contact_id), "sender": sender}


def contact_remember(*, contact: Contact) -> Contact:
    """The texter asked to be recognized when they text again: keep their number's hash."""
    record_update(contact, actor=None, fields=["remembered"], data={"remembered": True})
    return contact


@transaction.atomic
def contact_end(*, contact: Contact, actor: Any = None) -> Contact:
    """End a conversation; a texter's number is forgotten now, and its hash too unless they
    texted REMEMBER."""
    contact.refresh_from_db()
    if contact.status == Status.ENDED:
        return contact
    was_queued = contact.status == Status.QUEUED
    data = {"status": Status.ENDED, "ended_at": timezone.now(), "sms_from": "", "resume_digest": ""}
    if contact.channel == Contact.Channel.SMS and not contact.remembered:
        data["return_key"] = ""  # a texter is recognized next time only if they asked
    record_update(contact, actor=actor, fields=list(data), data=data)
    publish_on_commit(contact_group(contact.pk), {"type": "ended", "contact": str(contact.pk)})
    if was_queued:
        _queue_changed(contact, joined=False)
    return contact


@transaction.atomic
def contact_record_save(
    *,
    contact: Contact,
    actor: Any,
    topics: Iterable[Topic],
    ending: str,
    referrals: str = "",
    hard: bool = False,
    notes: str = "",
) -> ContactRecord:
    """End the contact if it is still open and keep its short record; a hard one tells the
    supervisor."""
    contact_end(contact=contact, actor=actor)
    shared = [
        {"title": m.body, "url": m.url}
        for m in contact.messages.filter(kind=Message.Kind.LINK).order_by("seq")
    ]
    record = ContactRecord.objects.filter(contact=contact).first()
    data = {
        "ending": ending,
        "referrals": referrals,
        "hard": hard,
        "notes": notes,
        "resources_shared": shared,
    }
    if record is None:
        record = ContactRecord(organization=contact.organization, contact=contact, responder=actor)
        record_create(record, actor=actor, fields=list(data), data=data, many={"topics": topics})
    else:
        record_update(record, actor=actor, fields=list(data), data=data, many={"topics": topics})
    if hard:
        _tell_supervisors(
            contact,
            actor,
            notifications.HARD_CONTACT,
            _("A warm line contact was hard for the responder"),
            f"hard:{contact.pk}",
        )
    return record


def _supervisors(line: Line, actor: Any) -> list[Any]:
    if line.on_duty_supervisor_id and line.on_duty_supervisor_id != getattr(actor, "pk", None):
        return [line.on_duty_supervisor]
    members = members_with_role(line.organization, Role.SUPERVISOR)
    return [m.user for m in members if m.user_id != getattr(actor, "pk", None)]


def _tell_supervisors(contact: Contact, actor: Any, kind: str, title: str, key: str) -> None:
    notify(
        _supervisors(contact.line, actor),
        kind,
        title,
        reverse("warmline_staff:contact", args=[contact.pk]),
        organization=contact.organization,
        actor=actor,
        key=key,
    )


def crisis_links_text() -> str:
    """988's call, text and chat, and the region's lines, as a message the person can use."""
    parts = []
    for line in crisis_lines():
        ways = []
        if line.can_call:
            ways.append(_("call %(n)s") % {"n": line.number})
        if line.can_text:
            ways.append(_("text %(n)s") % {"n": line.number})
        if line.can_chat:
            ways.append(_("chat at %(url)s") % {"url": settings.ALONGSIDE_CRISIS_CHAT_URL})
        parts.append(f"{line.label}: {', '.join(ways)}.")
    return " ".join(parts)


WARM_TRANSFER_STEPS = (
    "Tell the person you want to connect them with 988 now, and why, in plain words.",
    "Ask them to stay with you while you connect; 988's links are in the conversation.",
    "Call 988 yourself if they agree to a three-way call, or stay while they call or text.",
    "Stay until someone at 988 has them. Call 911 only for immediate danger.",
    "Tell your supervisor (they have been notified) and end with a short record.",
)


@transaction.atomic
def crisis_transfer(*, contact: Contact, actor: Any) -> ContactEvent:
    """Connect to 988: give the person 988's links, record the event, tell the supervisor."""
    contact.refresh_from_db()
    if contact.status == Status.ENDED:
        raise ValidationError(_("This conversation has ended."))
    message_store(
        contact=contact,
        sender=Sender.SYSTEM,
        kind=Message.Kind.CRISIS,
        author=actor,
        body=_("You can reach 988 any time, day or night. %(links)s")
        % {"links": crisis_links_text()},
    )
    event = ContactEvent(
        organization=contact.organization,
        contact=contact,
        kind=ContactEvent.Kind.CRISIS_TRANSFER,
        actor=actor,
    )
    event.full_clean()
    event.save()
    audit_record(
        action=Action.CREATE,
        actor=actor,
        organization=contact.organization,
        object_type="warmline.crisis_transfer",
        object_id=str(contact.pk),
    )
    _tell_supervisors(
        contact,
        actor,
        notifications.CRISIS_TRANSFER,
        _("A warm line responder is connecting someone to 988"),
        f"transfer:{event.pk}",
    )
    return event


@transaction.atomic
def resource_share(*, contact: Contact, actor: Any, title: str, url: str) -> Message:
    """Share one of our own pages (a library article, a directory listing) as a link."""
    if not url.startswith("/") or url.startswith("//"):
        raise ValidationError(_("Only pages of this site can be shared."))
    base = settings.ALONGSIDE_SITE_URL.rstrip("/")
    message, _created = message_store(
        contact=contact,
        sender=Sender.RESPONDER,
        kind=Message.Kind.LINK,
        author=actor,
        body=title,
        url=base + url,
    )
    return message


@transaction.atomic
def transcript_delete(*, contact: Contact, actor: Any = None) -> int:
    """Delete a contact's words (messages, notes, name, number); its record's facts stay."""
    deleted, _by_model = contact.messages.all().delete()
    Contact.objects.filter(pk=contact.pk).update(
        display_name="", sms_from="", resume_digest="", transcript_deleted_at=timezone.now()
    )
    ContactRecord.objects.filter(contact=contact).update(notes="")
    audit_record(
        action=Action.DELETE,
        actor=actor,
        organization=contact.organization,
        object_type="warmline.transcript",
        object_id=str(contact.pk),
        changed_fields=["messages", "notes", "display_name", "sms_from"],
    )
    return deleted


def line_set_on_duty(*, line: Line, actor: Any, supervisor: Any) -> Line:
    record_update(
        line, actor=actor, fields=["on_duty_supervisor"], data={"on_duty_supervisor": supervisor}
    )
    return line


def topic_create(*, organization: Any, actor: Any, name: str) -> Topic:
    return record_create(
        Topic(organization=organization), actor=actor, fields=["name"], data={"name": name}
    )


def topic_set_offered(*, topic: Topic, actor: Any, offered: bool) -> Topic:
    record_update(topic, actor=actor, fields=["is_active"], data={"is_active": offered})
    return topic


# What an admin sets on a line (the form's fields too); the rest is the console's.
LINE_FIELDS = ("name", "slug", "listing_id", "sms_number", "is_active")
# E.164, as SMS providers write a number: a plus sign, the country code, up to 15 digits.
E164 = re.compile(r"\+[1-9][0-9]{1,14}")


def _line_check(line: Line, values: dict[str, Any]) -> None:
    """What ``full_clean`` cannot see: a real listing, the text number's form, and the short
    name and text number unique across every organization (``public_line`` and
    ``line_for_number`` read every organization's lines)."""
    every_line = Line.objects.with_scopes_disabled().exclude(pk=line.pk)
    errors: dict[str, str] = {}
    if every_line.filter(slug=values["slug"]).exists():
        errors["slug"] = _("Another line already has this short name. Choose another one.")
    if values["listing_id"] and listing_name(values["listing_id"]) is None:
        errors["listing_id"] = _("Choose a listing of the directory: this one is not there.")
    number = values["sms_number"]
    if number and not E164.fullmatch(number):
        errors["sms_number"] = _(
            "Write the text number with a plus sign and the country code, and no spaces or "
            "dashes, like +16035550150."
        )
    elif (
        number
        and values["is_active"]
        and every_line.filter(is_active=True, sms_number=number).exists()
    ):
        errors["sms_number"] = _("Another active line already receives texts at this number.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def line_create(
    *,
    organization: Any,
    actor: Any,
    name: str,
    slug: str,
    listing_id: Any,
    sms_number: str = "",
    is_active: bool = True,
) -> Line:
    """Create a warm line; its hours are its directory listing's."""
    data = {
        "name": name,
        "slug": slug,
        "listing_id": listing_id,
        "sms_number": sms_number,
        "is_active": is_active,
    }
    line = Line(organization=organization)
    _line_check(line, data)
    return record_create(line, actor=actor, fields=LINE_FIELDS, data=data)


@transaction.atomic
def line_update(
    *,
    line: Line,
    actor: Any,
    name: str | None = None,
    slug: str | None = None,
    listing_id: Any = None,
    sms_number: str | None = None,
    is_active: bool | None = None,
) -> Line:
    """Change a line's name, short name, listing (its hours), text number or whether it is
    active; an argument left out (None) keeps its value."""
    given = {
        "name": name,
        "slug": slug,
        "listing_id": listing_id,
        "sms_number": sms_number,
        "is_active": is_active,
    }
    data = {field: value for field, value in given.items() if value is not None}
    _line_check(line, {field: data.get(field, getattr(line, field)) for field in LINE_FIELDS})
    record_update(line, actor=actor, fields=LINE_FIELDS, data=data)
    return line
