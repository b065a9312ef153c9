"""Recovery plans in the person's own words, their agreed versions, goals and progress."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from alongside.care.models.base import CareModel
from alongside.care.models.participants import Participant
from alongside.lib.crypto import EncryptedTextField


class ServiceCategory(models.TextChoices):
    PLANNING = "planning", _("Planning")
    RESOURCES = "resources", _("Resources")
    ADVOCACY = "advocacy", _("Advocacy")
    ILLNESS_MANAGEMENT = "illness_management", _("Illness management")
    EMPLOYMENT_HOUSING = "employment_housing", _("Employment and housing")
    EDUCATION = "education", _("Education")


class Chime(models.TextChoices):
    CONNECTEDNESS = "connectedness", _("Connectedness")
    HOPE = "hope", _("Hope")
    IDENTITY = "identity", _("Identity")
    MEANING = "meaning", _("Meaning")
    EMPOWERMENT = "empowerment", _("Empowerment")


def validate_chime(value: Any) -> None:
    if not isinstance(value, list) or not set(value) <= set(Chime.values):
        raise ValidationError(_("Choose from the CHIME processes."))


class RecoveryPlan(CareModel):
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="recovery_plans"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant"], name="care_one_plan_per_participant")
        ]

    def __str__(self) -> str:
        return "recovery plan"


class PlanVersion(CareModel):
    class AgreedHow(models.TextChoices):
        SIGNED = "signed", _("Signed")
        OUT_LOUD = "out_loud", _("Agreed out loud (noted by staff)")
        ELECTRONIC = "electronic", _("Agreed electronically")

    plan = models.ForeignKey(RecoveryPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    summary = models.TextField(_("the plan in their words"), blank=True)
    agreed_on = models.DateField(_("agreed on"))
    agreed_how = models.CharField(_("agreed how"), max_length=20, choices=AgreedHow.choices)
    # Past this date the plan is no longer current (``plan_selectors.plan_current_on``).
    review_by = models.DateField(_("review by"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="care_plan_version_unique")
        ]

    def __str__(self) -> str:
        return f"version {self.number}"

    def clean(self) -> None:
        if self.review_by and self.agreed_on and self.review_by <= self.agreed_on:
            raise ValidationError(
                {"review_by": _("The review date must come after the day the plan was agreed.")}
            )


class Goal(CareModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Working on it")
        ACHIEVED = "achieved", _("Achieved")
        PAUSED = "paused", _("Paused")
        LET_GO = "let_go", _("Let go")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="goals")
    plan = models.ForeignKey(RecoveryPlan, on_delete=models.CASCADE, related_name="goals")
    text = models.TextField(_("the goal, in their own words"))
    service_category = models.CharField(
        _("service category"), max_length=30, choices=ServiceCategory.choices
    )
    chime = models.JSONField(
        _("CHIME processes"), default=list, blank=True, validators=[validate_chime]
    )
    strengths = models.TextField(_("strengths they bring"), blank=True)
    steps = models.TextField(_("steps"), blank=True)
    who_helps = models.TextField(_("who helps"), blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )

    class Meta:
        ordering = ["status", "target_date", "created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class GoalProgress(CareModel):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="progress")
    note = EncryptedTextField(_("progress"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"progress {self.created_at:%Y-%m-%d}"


class PlanVersionGoal(CareModel):
    """A goal as it stood when a plan version was agreed; later edits leave it as it was."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="goal_rows")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="version_rows")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("the goal, in their own words"))
    service_category = models.CharField(
        _("service category"), max_length=30, choices=ServiceCategory.choices
    )
    chime = models.JSONField(_("CHIME processes"), default=list, blank=True)
    strengths = models.TextField(_("strengths they bring"), blank=True)
    steps = models.TextField(_("steps"), blank=True)
    who_helps = models.TextField(_("who helps"), blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Goal.Status.choices)

    # The goal's fields a version keeps, in the order the goal's form shows them.
    KEPT = ("text", "service_category", "chime", "strengths", "steps", "who_helps", "target_date")

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "goal"], name="care_version_goal_once")
        ]

    def __str__(self) -> str:
        return self.text[:60]

    def same_as(self, other: PlanVersionGoal) -> bool:
        """Whether ``other`` (the goal in an earlier version) reads the same."""
        return all(getattr(self, n) == getattr(other, n) for n in (*self.KEPT, "status"))
