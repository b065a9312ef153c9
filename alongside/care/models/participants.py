"""Participants, their enrollments and pathway, and the organization's care settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from alongside.care.models.base import CareModel
from alongside.core.models import OrgScopedManager, OrgScopedModel, OrgScopedQuerySet
from alongside.lib.crypto import EncryptedTextField

PREFER_NOT = ("prefer_not_to_say", _("Prefer not to say"))


class CareSettings(OrgScopedModel):
    """One row per organization; missing means the defaults."""

    own_caseload_only = models.BooleanField(
        _("specialists see only their own caseload"),
        default=False,
        help_text=_("Supervisors and admins still see everyone."),
    )
    not_seen_days = models.PositiveSmallIntegerField(
        _("flag people not seen for this many days"), default=30
    )
    safety_protocol = models.TextField(
        _("what our staff do when someone may not be safe"),
        blank=True,
        help_text=_(
            "Shown with the crisis lines whenever someone records a safety concern: who to "
            "call, in what order, and how to reach the on-call supervisor."
        ),
    )
    require_cosign = models.BooleanField(
        _("signed notes need a supervisor's co-signature"),
        default=False,
        help_text=_(
            "Some payers ask for it. Supervisors then see signed notes waiting for their "
            "co-signature on the caseload page."
        ),
    )
    plan_review_days = models.PositiveSmallIntegerField(
        _("review recovery plans after this many days"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text=_("A newly agreed plan's review-by date, unless the form gives another."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="care_settings_one_per_org")
        ]

    def __str__(self) -> str:
        return f"care settings ({self.organization_id})"


class Focus(models.TextChoices):
    MENTAL_HEALTH = "mental_health", _("Mental health")
    SUBSTANCE_USE = "substance_use", _("Substance use")
    CO_OCCURRING = "co_occurring", _("Both (co-occurring)")


class Pathway(models.TextChoices):
    BRIEF = "brief", _("Brief support")
    ONGOING = "ongoing", _("Ongoing support")


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NONBINARY = "nonbinary", _("Nonbinary")
    ANOTHER = "another", _("Another gender")
    PREFER_NOT_TO_SAY = PREFER_NOT


class RaceEthnicity(models.TextChoices):
    """The seven minimum categories of OMB's SPD 15 (2024 revision), asked as one question
    with as many answers as the person gives; "Another" for someone who finds none of them."""

    AMERICAN_INDIAN = "american_indian_alaska_native", _("American Indian or Alaska Native")
    ASIAN = "asian", _("Asian")
    BLACK = "black", _("Black or African American")
    HISPANIC = "hispanic_latino", _("Hispanic or Latino")
    MIDDLE_EASTERN = "middle_eastern_north_african", _("Middle Eastern or North African")
    PACIFIC_ISLANDER = "pacific_islander", _("Native Hawaiian or Pacific Islander")
    WHITE = "white", _("White")
    ANOTHER = "another", _("Another race or ethnicity")
    PREFER_NOT_TO_SAY = PREFER_NOT


def validate_race_ethnicity(value: Any) -> None:
    if not isinstance(value, list) or not set(value) <= set(RaceEthnicity.values):
        raise ValidationError(_("Choose from the listed answers."))
    if RaceEthnicity.PREFER_NOT_TO_SAY in value and len(set(value)) > 1:
        raise ValidationError(
            _("“Prefer not to say” cannot go with other answers: untick it, or untick the others.")
        )


class Veteran(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    PREFER_NOT_TO_SAY = PREFER_NOT


class ParticipantQuerySet(OrgScopedQuerySet):
    def search(self, text: str) -> ParticipantQuerySet:
        text = " ".join(text.split())
        if not text:
            return self
        return self.filter(
            models.Q(preferred_name__icontains=text) | models.Q(legal_name__icontains=text)
        )

    def enrolled(self) -> ParticipantQuerySet:
        """People with an open enrollment."""
        return self.filter(
            models.Exists(
                Enrollment.objects.filter(
                    participant=models.OuterRef("pk"), discharged_on__isnull=True
                )
            )
        )


ParticipantManager = OrgScopedManager.from_queryset(ParticipantQuerySet)


class Participant(CareModel):
    preferred_name = models.CharField(_("preferred name"), max_length=120)
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.TextField(_("address"), blank=True)
    ok_to_call = models.BooleanField(_("OK to call"), default=False)
    ok_to_text = models.BooleanField(_("OK to text"), default=False)
    ok_to_leave_message = models.BooleanField(_("OK to leave a message"), default=False)
    preferred_language = models.CharField(_("preferred language"), max_length=60, blank=True)
    focus = models.CharField(_("focus of support"), max_length=20, choices=Focus.choices)
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True)
    # SPD 15 (2024): one question, every answer that applies; empty when not asked yet.
    race_ethnicity = models.JSONField(
        _("race and ethnicity"), default=list, blank=True, validators=[validate_race_ethnicity]
    )
    veteran = models.CharField(_("veteran"), max_length=20, choices=Veteran.choices, blank=True)
    emergency_contact_name = models.CharField(
        _("emergency contact name"), max_length=200, blank=True
    )
    emergency_contact_phone = models.CharField(
        _("emergency contact phone"), max_length=40, blank=True
    )
    emergency_contact_relationship = models.CharField(
        _("emergency contact relationship"), max_length=80, blank=True
    )
    specialists = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned specialists"),
        related_name="care_caseload",
        blank=True,
    )
    pathway = models.CharField(
        _("pathway"), max_length=10, choices=Pathway.choices, default=Pathway.ONGOING
    )
    received_from_part2 = models.BooleanField(
        _("records received from a Part 2 program"),
        default=False,
        help_text=_("Records came from a program covered by 42 CFR Part 2."),
    )

    objects = ParticipantManager()  # type: ignore[misc]

    class Meta:
        ordering = ["preferred_name", "id"]
        indexes = [models.Index(fields=["organization", "preferred_name"])]

    def __str__(self) -> str:
        return self.preferred_name

    @property
    def race_ethnicity_labels(self) -> list[str]:
        return [str(RaceEthnicity(value).label) for value in self.race_ethnicity]


class Enrollment(CareModel):
    class AgreementHow(models.TextChoices):
        SIGNED_PAPER = "signed_paper", _("Signed on paper")
        SIGNED_ELECTRONIC = "signed_electronic", _("Signed electronically")
        VERBAL = "verbal", _("Agreed out loud (noted by staff)")

    class DischargeReason(models.TextChoices):
        GOALS_MET = "goals_met", _("Reached their goals")
        CHOSE_TO_STOP = "chose_to_stop", _("Chose to stop")
        MOVED = "moved", _("Moved away")
        LOST_CONTACT = "lost_contact", _("Lost contact")
        OTHER = "other", _("Other")

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="enrollments"
    )
    enrolled_on = models.DateField(_("enrolled on"))
    agreement_recorded_on = models.DateField(_("agreement recorded on"))
    agreement_how = models.CharField(
        _("how they agreed"), max_length=20, choices=AgreementHow.choices
    )
    discharged_on = models.DateField(_("discharged on"), null=True, blank=True)
    discharge_reason = models.CharField(
        _("discharge reason"), max_length=20, choices=DischargeReason.choices, blank=True
    )
    discharge_note = EncryptedTextField(_("discharge note"), blank=True)

    class Meta:
        ordering = ["-enrolled_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant"],
                condition=models.Q(discharged_on__isnull=True),
                name="care_one_open_enrollment",
            )
        ]

    def __str__(self) -> str:
        return f"enrollment {self.enrolled_on}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.discharged_on and self.discharged_on < self.enrolled_on:
            errors["discharged_on"] = _("Discharge cannot come before enrollment.")
        if self.discharged_on and not self.discharge_reason:
            errors["discharge_reason"] = _("Choose a reason.")
        if errors:
            raise ValidationError(errors)


class PathwayChange(CareModel):
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="pathway_changes"
    )
    from_pathway = models.CharField(max_length=10, choices=Pathway.choices)
    to_pathway = models.CharField(max_length=10, choices=Pathway.choices)
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.from_pathway} → {self.to_pathway}"


class BreakGlass(CareModel):
    """Emergency access to a record outside one's caseload, for a short time, reviewed after."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="break_glass"
    )
    reason = models.TextField(_("reason"))
    opened_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"break-glass {self.opened_at:%Y-%m-%d %H:%M}"
