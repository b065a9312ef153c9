"""What changes in a person's life and is kept with its dates: housing, work, and coverage.

Housing and employment are histories: each row says how things stood from ``since`` on, and
the one in effect on a day is the latest that started by then. Coverage is a payer and member
id with the period it holds; a person may have more than one at a time.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.care.models.base import CareModel
from alongside.care.models.participants import PREFER_NOT, Participant
from alongside.lib.crypto import EncryptedTextField


class Housing(models.TextChoices):
    HOME = "home", _("Own or rented home")
    FAMILY_FRIENDS = "family_friends", _("Staying with family or friends")
    RECOVERY_HOUSING = "recovery_housing", _("Recovery housing")
    SHELTER = "shelter", _("Shelter")
    NO_STABLE_PLACE = "no_stable_place", _("No stable place to stay")
    INSTITUTION = "institution", _("Institution (hospital, jail, treatment)")
    OTHER = "other", _("Other")
    PREFER_NOT_TO_SAY = PREFER_NOT


class Employment(models.TextChoices):
    FULL_TIME = "full_time", _("Working full-time")
    PART_TIME = "part_time", _("Working part-time")
    LOOKING = "looking", _("Looking for work")
    NOT_LOOKING = "not_looking", _("Not looking for work")
    STUDENT = "student", _("Student")
    RETIRED = "retired", _("Retired")
    UNABLE = "unable", _("Unable to work")
    PREFER_NOT_TO_SAY = PREFER_NOT


class StatusSince(CareModel):
    """How something stood from a day on, until a later row says otherwise."""

    participant: models.ForeignKey[Participant, Participant]
    status: models.CharField[str, str]
    since = models.DateField(_("since"))

    class Meta:
        abstract = True
        ordering = ["-since", "-created_at"]

    def __str__(self) -> str:
        return f"{self.status} since {self.since}"

    def clean(self) -> None:
        # The organization's today is the server's time zone, as for notes.
        if self.since and self.since > timezone.localdate():
            raise ValidationError({"since": _("The date cannot be in the future.")})


class HousingStatus(StatusSince):
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="housing_statuses"
    )
    status = models.CharField(_("where they live"), max_length=20, choices=Housing.choices)

    class Meta(StatusSince.Meta):
        indexes = [models.Index(fields=["participant", "since"])]


class EmploymentStatus(StatusSince):
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="employment_statuses"
    )
    status = models.CharField(_("work"), max_length=20, choices=Employment.choices)

    class Meta(StatusSince.Meta):
        indexes = [models.Index(fields=["participant", "since"])]


# ICD-10-CM: a letter, a digit, a digit or letter, then up to four more after an optional dot.
ICD10 = re.compile(r"^[A-TV-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?$")


def diagnosis_code_list(value: str) -> list[str]:
    """The codes in a diagnosis field, upper-case, in the order written."""
    return [code for code in re.split(r"[\s,;]+", (value or "").upper()) if code]


def validate_diagnosis_codes(value: str) -> None:
    wrong = [code for code in diagnosis_code_list(value) if not ICD10.match(code)]
    if wrong:
        raise ValidationError(
            _("Not an ICD-10 code: %(codes)s. Copy the codes from the referral, e.g. F33.1."),
            params={"codes": ", ".join(wrong)},
        )


class Coverage(CareModel):
    """A health plan that pays for the person's care: Medicaid, a managed-care plan, Medicare."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="coverages")
    payer_name = models.CharField(_("payer"), max_length=120)
    # Billing will give payers their own records; until then a code is free text.
    payer_code = models.CharField(
        _("payer code"),
        max_length=40,
        blank=True,
        help_text=_("The payer's id for claims, if you know it."),
    )
    member_id = EncryptedTextField(
        _("member id"),
        validators=[MaxLengthValidator(60)],
        help_text=_("As on their card. Kept encrypted."),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    diagnosis_codes = models.CharField(
        _("diagnosis codes (ICD-10)"),
        max_length=200,
        blank=True,
        validators=[validate_diagnosis_codes],
        help_text=_(
            "As the referring clinician recorded them, e.g. F33.1; separate codes with spaces. "
            "Peers do not diagnose: copy the codes from the referral or the clinician."
        ),
    )

    class Meta:
        ordering = ["-starts_on", "-created_at"]
        indexes = [models.Index(fields=["participant", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="care_coverage_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.payer_name} from {self.starts_on}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("Coverage cannot end before it starts.")
        if self.diagnosis_codes:
            self.diagnosis_codes = " ".join(diagnosis_code_list(self.diagnosis_codes))
        if self.member_id and not self.member_id.strip():
            errors["member_id"] = _("Type the member id from their card.")
        if errors:
            raise ValidationError(errors)

    @property
    def diagnosis_list(self) -> list[str]:
        return diagnosis_code_list(self.diagnosis_codes)

    def in_force_on(self, day: Any) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)
