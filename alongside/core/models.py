from __future__ import annotations

import copy
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import get_scope
from django_scopes.manager import DisabledQuerySet

from alongside.core.roles import Role
from alongside.lib.crypto import EncryptedTextField


class Organization(models.Model):
    class Kind(models.TextChoices):
        PEER_SUPPORT_AGENCY = "peer_support_agency", _("Peer support agency")
        RECOVERY_COMMUNITY_ORGANIZATION = (
            "recovery_community_organization",
            _("Recovery community organization"),
        )
        COMMUNITY_MENTAL_HEALTH_CENTER = (
            "community_mental_health_center",
            _("Community mental health center"),
        )
        WARM_LINE = "warm_line", _("Warm line")
        OTHER = "other", _("Other")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    state = models.CharField(
        _("state"), max_length=2, help_text=_("Two-letter US state code, e.g. NH.")
    )
    kind = models.CharField(
        _("kind"), max_length=40, choices=Kind.choices, default=Kind.PEER_SUPPORT_AGENCY
    )
    is_part2_program = models.BooleanField(
        _("42 CFR Part 2 program"),
        default=False,
        help_text=_("Holds substance-use records protected by 42 CFR Part 2."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.state and (len(self.state) != 2 or not self.state.isalpha()):
            raise ValidationError({"state": _("Use the two-letter state code, e.g. NH.")})
        self.state = (self.state or "").upper()


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    roles = models.JSONField(_("roles"), default=list)
    # Per organization, not the account: a person may still work for another organization.
    # An inactive membership can neither be chosen for a session nor back an API token.
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="membership_unique")
        ]
        ordering = ["organization__name"]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization}"

    def clean(self) -> None:
        unknown = sorted(set(self.roles) - set(Role.values))
        if unknown:
            raise ValidationError({"roles": _("Unknown role(s): %s") % ", ".join(unknown)})
        self.roles = sorted(set(self.roles))

    def has_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)


class OrgScopedQuerySet(models.QuerySet):
    """Base of an organization-owned model's own queryset methods (see ``OrgScopedModel``)."""


class OrgScopedManager(models.Manager):
    """Raises outside an organization scope, and sees only that organization inside one.

    django-scopes' ``ScopedManager`` with its one dimension, ``organization``, written as a
    class so that type checkers and ``from_queryset`` see it.
    """

    scopes_disabled = False

    def get_queryset(self) -> Any:
        scope = get_scope()
        if self.scopes_disabled or not scope.get("_enabled", True):
            return super().get_queryset()
        if "organization" not in scope:
            return DisabledQuerySet(self.model, using=self._db, missing_scopes={"organization"})
        return super().get_queryset().filter(organization=scope["organization"])

    def with_scopes_disabled(self) -> Any:
        """This manager across every organization, for the code that must say so."""
        manager = copy.copy(self)
        manager.scopes_disabled = True
        return manager


class OrgScopedModel(models.Model):
    """Base for every record that belongs to one organization (see ``core.tenancy``)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")

    objects = OrgScopedManager()

    class Meta:
        abstract = True


class ApiToken(models.Model):
    """A personal API token; only a SHA-256 digest of the secret is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    prefix = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # After this a token no longer works (ALONGSIDE_API_TOKEN_DAYS after it was made).
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class KeyCheck(models.Model):
    """A known text encrypted with FIELD_ENCRYPTION_KEY, so that a deployment can tell whether
    its key still opens the data it stored (``core.checks``). One row, written by ``migrate``;
    ``rotate_field_key`` re-encrypts it with everything else."""

    KNOWN = "Alongside field encryption key check"

    sealed = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"key check of {self.created_at:%Y-%m-%d}"


class TwoFactorEnrolment(models.Model):
    """A one-time link that lets a person set up their authenticator app.

    A password alone does not let anyone add an authenticator: an admin's "reset two-factor",
    an invitation or ``alongside two_factor_link`` issues this link, which is good once, for
    ``ALONGSIDE_ENROLMENT_HOURS``. Only a SHA-256 digest of its secret is stored.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="two_factor_enrolments"
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"two-factor set-up link for {self.user}"


class AuditEvent(models.Model):
    """One entry of the append-only, hash-chained audit trail."""

    class Action(models.TextChoices):
        VIEW = "view", _("View")
        CREATE = "create", _("Create")
        UPDATE = "update", _("Update")
        DELETE = "delete", _("Delete")
        EXPORT = "export", _("Export")
        DISCLOSE = "disclose", _("Disclose")
        LOGIN = "login", _("Log in")
        LOGIN_FAILED = "login_failed", _("Failed log-in")
        LOGOUT = "logout", _("Log out")
        PERMISSION_CHANGE = "permission_change", _("Permission change")
        BREAK_GLASS = "break_glass", _("Break glass")

    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    # Kept as text so the trail still reads after an account is removed.
    actor_username = models.CharField(max_length=150, blank=True)
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    action = models.CharField(max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    participant_id = models.CharField(max_length=64, blank=True, db_index=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    # Names of the fields a change touched; never their values.
    changed_fields = models.JSONField(default=list, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["organization", "occurred_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def chained_content(self) -> dict[str, Any]:
        """The fields the HMAC covers, in a form that survives a database round trip."""
        return {
            "occurred_at": self.occurred_at.isoformat(),
            "actor": self.actor_id,
            "actor_username": self.actor_username,
            "organization": str(self.organization_id) if self.organization_id else None,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "participant_id": self.participant_id,
            "request_id": self.request_id,
            "ip_address": self.ip_address,
            "user_agent": self.user_agent,
            "changed_fields": list(self.changed_fields),
        }


class SearchDocument(models.Model):
    """Text of one searchable thing (an article, a service), indexed for full-text search.

    The index itself lives beside this table: an FTS5 table on SQLite, a generated
    ``tsvector`` column with a GIN index on PostgreSQL (see ``alongside/core/search.py``).
    """

    kind = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    title = models.TextField()
    body = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="searchdocument_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


class Notification(OrgScopedModel):
    """Something one person should know: shown in their list, and e-mailed if they chose so.

    The title and link carry no participant's name or data (a link holds opaque ids only), so
    the list can be shown and the e-mail sent without revealing who a record is about.
    """

    class Email(models.TextChoices):
        OFF = "off", _("E-mail is off for this kind")
        NO_ADDRESS = "no_address", _("No e-mail address on file")
        PENDING = "pending", _("E-mail waiting to be sent")
        SENT = "sent", _("E-mailed")
        FAILED = "failed", _("The e-mail could not be sent")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # A code from the registry in ``core.notifications``.
    kind = models.CharField(_("kind"), max_length=40)
    # What it is about (a record's id), so that one person is told of one thing once.
    key = models.CharField(max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=200)
    link = models.CharField(_("link"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email = models.CharField(max_length=12, choices=Email.choices, default=Email.OFF)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The header's unread count, and the newest-first list, on every staff page.
            models.Index(fields=["recipient", "organization", "read_at"]),
            models.Index(fields=["kind", "key"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(OrgScopedModel):
    """A person's choice, in one organization, to get e-mail for one kind of notification.

    No row means the kind's default (``core.notifications``).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=40)
    email = models.BooleanField(_("e-mail me"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user", "kind"], name="notificationpreference_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {'e-mail' if self.email else 'no e-mail'}"


class SearchSynonym(models.Model):
    """One synonym group: words people type, what search looks for as well, and the
    directory filters that answer them.

    Shared by the whole deployment (the library's search and the directory's), loaded from
    ``content/synonyms.yaml`` and edited by the operator's directory editors.
    """

    key = models.SlugField(
        _("short name"),
        max_length=60,
        unique=True,
        help_text=_("Lower-case letters, digits and hyphens, e.g. alcohol."),
    )
    terms = models.JSONField(
        _("when someone types"),
        default=list,
        help_text=_("Words or short phrases, one per line."),
    )
    expansions = models.JSONField(
        _("also search for"),
        default=list,
        help_text=_("Words or short phrases, one per line."),
    )
    # The directory's filters that answer these words ("focus:substance_use"): a directory
    # search reads the words as these filters (``core.synonyms.read_query``).
    codes = models.JSONField(
        _("directory filters"),
        default=list,
        blank=True,
        help_text=_("Filter codes, one per line, e.g. focus:substance_use."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("search synonym group")
        verbose_name_plural = _("search synonym groups")

    def __str__(self) -> str:
        return self.key

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        for name in ("terms", "expansions"):
            value = getattr(self, name)
            if (
                not isinstance(value, list)
                or not value
                or not all(isinstance(item, str) and item.strip() for item in value)
            ):
                errors[name] = _("Give at least one word or phrase, one per line.")
            elif any(len(item) > 80 for item in value):
                errors[name] = _("Keep each word or phrase under 80 characters.")
        if not isinstance(self.codes, list) or not all(isinstance(c, str) for c in self.codes):
            errors["codes"] = _("Give filter codes, one per line, e.g. focus:substance_use.")
        else:
            from alongside.core.synonyms import unknown_codes  # it reads this model

            if unknown := unknown_codes(self.codes):
                errors["codes"] = _("“%(code)s” is not a filter code of the directory.") % {
                    "code": unknown[0]
                }
        if errors:
            raise ValidationError(errors)
