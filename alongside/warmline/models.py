"""The warm line: a line, its contacts (chat or text), their messages and short records.

Transcripts (messages, notes, a texter's number) are encrypted at rest and deleted after
``WARMLINE_RETENTION_DAYS``; the contact and its record (topics, how it ended) stay for reports.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alongside.core.models import OrgScopedModel
from alongside.lib.crypto import EncryptedTextField


class Line(OrgScopedModel):
    """A warm line an organization runs; its hours are its directory listing's."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    # A directory listing, by id (another app: no foreign key across apps' tables). Its hours
    # and its "open now" are the line's; without one the line is never open.
    listing_id = models.UUIDField(_("directory listing"), null=True, blank=True)
    # The number texts arrive at, as the SMS provider writes it (+16035550100).
    sms_number = models.CharField(_("text number"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Told first of a transfer to 988 or a hard contact; unset: every supervisor.
    on_duty_supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("supervisor on duty"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.name


class Topic(OrgScopedModel):
    """A topic a contact's record can name; the organization keeps its own list."""

    name = models.CharField(_("topic"), max_length=80)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="warmline_topic_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Contact(OrgScopedModel):
    """One conversation with one person, by chat or text, from the queue to its end."""

    class Channel(models.TextChoices):
        CHAT = "chat", _("Chat")
        SMS = "sms", _("Text message")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        ACTIVE = "active", _("Talking")
        ENDED = "ended", _("Ended")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    line = models.ForeignKey(Line, on_delete=models.PROTECT, related_name="contacts")
    channel = models.CharField(_("channel"), max_length=4, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=6, choices=Status.choices, default=Status.QUEUED
    )
    # A first name or nickname, if the person gave one.
    display_name = EncryptedTextField(_("name they gave"), blank=True)
    # A SHA-256 of the secret the visitor's page holds to reconnect; never the secret.
    resume_digest = models.CharField(max_length=64, blank=True)
    # A SHA-256 of the random id the page gave its ``start``: a start sent again after a
    # dropped connection finds this conversation instead of queueing a second one.
    start_digest = models.CharField(max_length=64, blank=True, db_index=True)
    # A keyed hash (HMAC) of a texter's number or a visitor's chosen code: how a return is
    # recognized, and only when the person chose it. Blank: a stranger each time. A texter's
    # is also how their next text finds the open conversation; it is blanked when the
    # conversation ends unless they texted REMEMBER (``remembered``).
    return_key = models.CharField(max_length=64, blank=True, db_index=True)
    remembered = models.BooleanField(default=False)
    # The texter's number, kept only while the conversation is open.
    sms_from = EncryptedTextField(blank=True)
    responder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    queued_at = models.DateTimeField(auto_now_add=True, db_index=True)
    taken_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The last message's sequence number; the next message takes the one after.
    last_seq = models.PositiveIntegerField(default=0)
    transcript_deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["queued_at"]
        indexes = [models.Index(fields=["organization", "status", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} contact {str(self.pk)[:8]}"

    @property
    def wait_seconds(self) -> int | None:
        if self.taken_at is None:
            return None
        return int((self.taken_at - self.queued_at).total_seconds())


class Message(OrgScopedModel):
    """One message, stored before anyone is told it arrived; ``seq`` orders and dedups it."""

    class Sender(models.TextChoices):
        VISITOR = "visitor", _("Person")
        RESPONDER = "responder", _("Responder")
        SYSTEM = "system", _("Alongside")

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        LINK = "link", _("Shared link")
        CRISIS = "crisis", _("988 links")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveIntegerField()
    # The sender's own id for it: a message sent again after a lost answer is stored once.
    client_id = models.CharField(max_length=64, blank=True)
    sender = models.CharField(max_length=9, choices=Sender.choices)
    kind = models.CharField(max_length=6, choices=Kind.choices, default=Kind.TEXT)
    body = EncryptedTextField()
    # A shared link's address (our own pages only).
    url = models.CharField(max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contact", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["contact", "seq"], name="warmline_message_seq"),
            models.UniqueConstraint(
                fields=["contact", "client_id"],
                condition=~Q(client_id=""),
                name="warmline_message_client_id",
            ),
        ]

    def __str__(self) -> str:
        return f"message {self.seq} of {self.contact_id}"


class ContactRecord(OrgScopedModel):
    """The responder's short record of a contact: kept after its transcript is deleted."""

    class Ending(models.TextChoices):
        SUPPORTED = "supported", _("Talked it through")
        REFERRED = "referred", _("Referred to another service")
        CRISIS_TRANSFER = "crisis_transfer", _("Connected to 988 or a crisis line")
        PERSON_LEFT = "person_left", _("The person left")
        OTHER = "other", _("Other")

    contact = models.OneToOneField(Contact, on_delete=models.CASCADE, related_name="record")
    topics = models.ManyToManyField(Topic, blank=True, related_name="+", verbose_name=_("topics"))
    # [{"title": …, "url": …}] of what was shared in the conversation.
    resources_shared = models.JSONField(_("resources shared"), default=list, blank=True)
    referrals = models.CharField(
        _("referrals"),
        max_length=300,
        blank=True,
        help_text=_("Services suggested, by name. No details about the person."),
    )
    ending = models.CharField(_("how it ended"), max_length=16, choices=Ending.choices)
    hard = models.BooleanField(
        _("this was a hard contact"),
        default=False,
        help_text=_("Your supervisor is told, so that they can check in with you."),
    )
    # Deleted with the transcript.
    notes = EncryptedTextField(_("notes"), blank=True)
    responder = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"record of {self.contact_id}"


class ContactEvent(OrgScopedModel):
    """Something that happened in a contact that a supervisor or a report needs to see."""

    class Kind(models.TextChoices):
        CRISIS_TRANSFER = "crisis_transfer", _("Connect to 988")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.kind} in {self.contact_id}"


class SmsOptOut(OrgScopedModel):
    """A number that texted STOP to a line: it gets nothing more until it texts START."""

    line = models.ForeignKey(Line, on_delete=models.CASCADE, related_name="+")
    # The keyed hash of the number, as ``Contact.return_key``; never the number.
    number_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["line", "number_key"], name="warmline_sms_opt_out")
        ]

    def __str__(self) -> str:
        return f"opted out of {self.line_id}"
