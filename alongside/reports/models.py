"""What reports keep of their own: the dates of each participant's GPRA interviews.

GPRA is tracked here, not administered: the federal instrument lives in SAMHSA's system. A
row is one episode (from one intake interview), with the 6-month follow-up and discharge
interviews once they happen. The follow-up window is worked out from the intake date by
``reports.gpra``; it is never stored, so a change of rule cannot leave stale windows behind.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from alongside.core.models import OrgScopedModel


class GpraEpisode(OrgScopedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    participant = models.ForeignKey(
        "care.Participant", on_delete=models.CASCADE, related_name="gpra_episodes"
    )
    intake_on = models.DateField(_("intake interview on"))
    followup_on = models.DateField(_("6-month follow-up interview on"), null=True, blank=True)
    discharge_on = models.DateField(_("discharge interview on"), null=True, blank=True)

    class Meta:
        ordering = ["intake_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "intake_on"], name="reports_gpra_one_intake_a_day"
            )
        ]
        indexes = [models.Index(fields=["organization", "intake_on"])]

    def __str__(self) -> str:
        return f"GPRA episode from {self.intake_on}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        for field in ("followup_on", "discharge_on"):
            value = getattr(self, field)
            if value and self.intake_on and value < self.intake_on:
                errors[field] = _("This interview cannot come before the intake interview.")
        if errors:
            raise ValidationError(errors)
