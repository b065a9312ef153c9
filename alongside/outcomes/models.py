"""Recovery measures: instruments as data, the administrations a person fills in, and the
one-time links that let them do it on their own phone.

An instrument is loaded from a YAML file (``loader``); it is shared by every organization
unless one loaded it under its own licence. An administration is never changed once
submitted: a mistake is corrected by a new one that supersedes it, and both are kept.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from alongside.core.models import Organization, OrgScopedModel


class Instrument(models.Model):
    """One language of one version of a measure, as its file describes it."""

    code = models.CharField(max_length=40)
    version = models.CharField(max_length=20)
    language = models.CharField(max_length=12, default="en")
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40)
    citation = models.TextField()
    licence = models.TextField()
    # Participant focus values (care's ``Focus``) the instrument suits.
    focus = models.JSONField(default=list)
    instructions = models.TextField(blank=True)
    # [{"key", "text", "options": [{"value", "label"}]}], in the order they are asked.
    items = models.JSONField(default=list)
    minimum = models.IntegerField()
    maximum = models.IntegerField()
    # [{"value", "label", "citation"}]: published figures shown as information, never a verdict.
    reference_points = models.JSONField(default=list, blank=True)
    # Null: shipped with Alongside for everyone; else loaded by one organization for itself.
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    source_file = models.CharField(max_length=200, blank=True)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code", "version", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version", "language"],
                condition=models.Q(organization__isnull=True),
                name="outcomes_instrument_shared_unique",
            ),
            models.UniqueConstraint(
                fields=["organization", "code", "version", "language"],
                name="outcomes_instrument_org_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.short_name} ({self.version}, {self.language})"

    @property
    def item_keys(self) -> list[str]:
        return [item["key"] for item in self.items]


class Via(models.TextChoices):
    STAFF = "staff", _("With the specialist")
    LINK = "link", _("On their own phone")
    API = "api", _("Through the API")


class Administration(OrgScopedModel):
    """One filling-in of an instrument by the person; immutable once submitted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey(
        "care.Participant", on_delete=models.CASCADE, related_name="measures"
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    completed_on = models.DateField(_("filled in on"))
    # {item key: value}; a skipped item is absent.
    answers = models.JSONField(default=dict, blank=True)
    # "I'd rather not" for the whole measure: recorded, no answers, no total, no penalty.
    declined = models.BooleanField(default=False)
    total = models.IntegerField(null=True, blank=True)
    missing = models.JSONField(default=list, blank=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    via = models.CharField(max_length=10, choices=Via.choices, default=Via.STAFF)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["completed_on", "created_at"]
        indexes = [models.Index(fields=["organization", "participant", "completed_on"])]

    def __str__(self) -> str:
        return f"administration {self.completed_on}"

    @property
    def complete(self) -> bool:
        return self.total is not None


class LinkKind(models.TextChoices):
    FILL = "fill", _("Fill in a measure")
    PROGRESS = "progress", _("See my progress")


class MeasureLink(OrgScopedModel):
    """A one-time link for the person's own phone; only a digest of its token is kept."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey(
        "care.Participant", on_delete=models.CASCADE, related_name="measure_links"
    )
    kind = models.CharField(max_length=10, choices=LinkKind.choices, default=LinkKind.FILL)
    instrument = models.ForeignKey(
        Instrument, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} link"
