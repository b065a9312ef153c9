"""Referrals to other services and appointments."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from alongside.care.models.base import CareModel
from alongside.care.models.participants import Participant


class Referral(CareModel):
    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested")
        MADE = "made", _("Referral made")
        CONNECTED = "connected", _("Connected")
        DECLINED = "declined", _("Declined")
        CLOSED = "closed", _("Closed")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="referrals")
    # A directory service, by id (the directory is another app: no foreign key across apps'
    # lifecycles), with its name kept as it was when the referral was made.
    directory_service_id = models.UUIDField(null=True, blank=True)
    provider_name = models.CharField(_("provider"), max_length=300)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUGGESTED
    )
    warm_handoff_note = models.TextField(_("warm hand-off"), blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.provider_name


class Appointment(CareModel):
    class Transportation(models.TextChoices):
        NONE = "none", _("No help needed")
        NEEDS_RIDE = "needs_ride", _("Needs a ride")
        BUS_PASS = "bus_pass", _("Needs a bus pass")

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="appointments"
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("where"), max_length=200)
    transportation = models.CharField(
        _("transportation"),
        max_length=12,
        choices=Transportation.choices,
        default=Transportation.NONE,
    )
    transportation_arranged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Who else arranges it (a relative, the Medicaid ride broker) and when the pick-up is.
    transportation_note = models.CharField(_("transportation details"), max_length=200, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["organization", "starts_at"])]

    def __str__(self) -> str:
        return f"appointment {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def transportation_unarranged(self) -> bool:
        return (
            self.transportation != self.Transportation.NONE
            and self.transportation_arranged_by_id is None
            and not self.transportation_note
        )

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The end must come after the start.")
        if errors:
            raise ValidationError(errors)


class CalendarFeed(CareModel):
    """A specialist's private iCalendar feed. Only a SHA-256 digest of the token is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_digest = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"], name="care_calendarfeed_one_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"calendar feed of {self.user_id}"

    @staticmethod
    def digest(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
