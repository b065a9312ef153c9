"""Staff credentials and the state rules behind them, training and CE, and supervision.

A credential type (``CredentialType``) is data loaded from a YAML file (``alongside
credentials_load``), shared by every organization. Everything a person holds or logs belongs
to their organization, through their staff profile (one per membership).
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from alongside.core.models import Membership, OrgScopedModel
from alongside.lib.crypto import EncryptedTextField

MAX_HOURS_A_DAY = Decimal(24)


def validate_npi(value: str) -> None:
    """A National Provider Identifier: 10 digits whose last is the Luhn check digit of the
    others with the prefix 80840 (CMS, "Requirements for NPI check digit")."""
    if not value.isdigit() or len(value) != 10:
        raise ValidationError(_("An NPI is 10 digits."))
    total = 0
    for index, digit in enumerate(reversed("80840" + value)):
        number = int(digit)
        if index % 2 == 1:
            number = number * 2 - 9 if number > 4 else number * 2
        total += number
    if total % 10:
        raise ValidationError(_("This NPI's last digit does not match the others: check it."))


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRING = "expiring", _("Expiring soon")
    GRACE = "grace", _("In grace period")
    LAPSED = "lapsed", _("Lapsed")
    RETRAINING_REQUIRED = "retraining_required", _("Lapsed: retraining required")


class AfterGrace(models.TextChoices):
    LAPSED = "lapsed", _("Lapsed")
    RETRAINING_REQUIRED = "retraining_required", _("Retraining required")


class CredentialType(models.Model):
    """One credential's rules, as its YAML file states them (``workforce.loader``)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    jurisdiction = models.CharField(_("state"), max_length=2, db_index=True)
    board = models.CharField(_("board"), max_length=300)
    focus = models.JSONField(default=list)
    verified = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    sources = models.JSONField(default=list)
    # None: any topic slug; else the only topics a training may have for this type.
    topics = models.JSONField(null=True, blank=True)
    # None where the rule gives no figure (the file says so in ``note``/``unverified``).
    training_hours = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    training_by_topic = models.JSONField(default=dict)
    experience_hours = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    supervised_hours = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    exam = models.CharField(max_length=300, blank=True)
    cycle_months = models.PositiveSmallIntegerField(null=True)
    ce_hours = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    ce_by_topic = models.JSONField(default=dict)
    grace_days = models.PositiveSmallIntegerField(default=0)
    after_grace = models.CharField(max_length=30, choices=AfterGrace.choices)
    unverified = models.JSONField(default=list)
    # The whole file as loaded, for the public page's extra keys (initial requirements text).
    data = models.JSONField(default=dict)
    source_file = models.CharField(max_length=300, blank=True)
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["jurisdiction", "name"]

    def __str__(self) -> str:
        return self.name


class WorkforceModel(OrgScopedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class StaffProfile(WorkforceModel):
    """A member's working record: what they hold, what they learned, how they are supervised."""

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="staff_profile"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    npi = models.CharField(
        _("NPI"),
        max_length=10,
        blank=True,
        validators=[validate_npi],
        help_text=_("National Provider Identifier, for those who bill Medicaid."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="staff_profile_unique")
        ]

    def __str__(self) -> str:
        return str(self.user)


class Credential(WorkforceModel):
    profile = models.ForeignKey(StaffProfile, on_delete=models.CASCADE, related_name="credentials")
    type = models.ForeignKey(
        CredentialType, on_delete=models.PROTECT, related_name="+", verbose_name=_("credential")
    )
    number = models.CharField(_("certificate number"), max_length=60)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(
        _("expires on"),
        help_text=_("Leave empty to count it from the issue date and the renewal cycle."),
    )

    class Meta:
        ordering = ["expires_on"]

    def __str__(self) -> str:
        return f"{self.type} {self.number}"

    def clean(self) -> None:
        if self.issued_on and self.expires_on and self.expires_on <= self.issued_on:
            raise ValidationError(
                {"expires_on": _("The expiry date must come after the issue date.")}
            )
        if self.issued_on and self.issued_on > timezone.localdate():
            raise ValidationError({"issued_on": _("The issue date cannot be in the future.")})


class CredentialStatusChange(WorkforceModel):
    """A credential's status history: recorded when it is added, renewed, or found changed."""

    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(max_length=30, choices=Status.choices)
    on = models.DateField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["on", "created_at"]


def _check_hours(value: Decimal | None, field: str, errors: dict[str, Any]) -> None:
    if value is not None and not (Decimal(0) < value <= MAX_HOURS_A_DAY):
        errors[field] = _("Hours must be more than 0 and at most 24 in one day.")


def _check_day_total(
    record: models.Model, owner: str, amount: str, limit: Decimal | int, errors: dict[str, Any]
) -> None:
    """One person's records of a kind on one day cannot add up to more than the day holds."""
    value, owner_id, day = getattr(record, amount), getattr(record, f"{owner}_id"), record.date  # type: ignore[attr-defined]
    if amount in errors or value is None or owner_id is None or day is None:
        return
    with scopes_disabled():  # one person's rows: the owner is in one organization
        others = type(record)._default_manager.filter(**{f"{owner}_id": owner_id, "date": day})
        total = others.exclude(pk=record.pk).aggregate(total=models.Sum(amount))["total"] or 0
    if total + value > limit:
        errors[amount] = _(
            "With what is already recorded for %(date)s, this would be more than 24 hours "
            "in one day."
        ) % {"date": day.isoformat()}


def _check_not_future(value: Any, field: str, errors: dict[str, Any]) -> None:
    if value and value > timezone.localdate():
        errors.setdefault(field, _("The date cannot be in the future."))


class Training(WorkforceModel):
    """Training toward a credential, or continuing education (CE) to renew one."""

    profile = models.ForeignKey(StaffProfile, on_delete=models.CASCADE, related_name="trainings")
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2)
    topic = models.SlugField(
        _("topic"), max_length=60, help_text=_("A short name such as ethics or advocacy.")
    )
    title = models.CharField(_("title"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    certificate_key = models.CharField(max_length=80, blank=True, editable=False)
    certificate_type = models.CharField(max_length=40, blank=True, editable=False)
    certificate_name = models.CharField(max_length=120, blank=True, editable=False)

    class Meta:
        ordering = ["-date"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        _check_hours(self.hours, "hours", errors)
        _check_not_future(self.date, "date", errors)
        _check_day_total(self, "profile", "hours", MAX_HOURS_A_DAY, errors)
        if errors:
            raise ValidationError(errors)


class OtherWork(WorkforceModel):
    """Peer support work that is not in the care records (a shift at a drop-in centre, say)."""

    profile = models.ForeignKey(StaffProfile, on_delete=models.CASCADE, related_name="other_work")
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2)
    description = models.CharField(_("what the work was"), max_length=200)

    class Meta:
        ordering = ["-date"]

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        _check_hours(self.hours, "hours", errors)
        _check_not_future(self.date, "date", errors)
        _check_day_total(self, "profile", "hours", MAX_HOURS_A_DAY, errors)
        if errors:
            raise ValidationError(errors)


class CertificationGoal(WorkforceModel):
    """A person working toward a credential, and when they passed its exam."""

    profile = models.ForeignKey(StaffProfile, on_delete=models.CASCADE, related_name="goals")
    type = models.ForeignKey(
        CredentialType, on_delete=models.PROTECT, related_name="+", verbose_name=_("credential")
    )
    exam_passed_on = models.DateField(_("exam passed on"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "type"], name="certification_goal_unique")
        ]

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        _check_not_future(self.exam_passed_on, "exam_passed_on", errors)
        if errors:
            raise ValidationError(errors)


class SupervisoryAgreement(WorkforceModel):
    """Who supervises whom. Supervised hours count toward certification only once approved."""

    supervisor = models.ForeignKey(
        StaffProfile, on_delete=models.CASCADE, related_name="agreements_as_supervisor"
    )
    supervisee = models.ForeignKey(
        StaffProfile, on_delete=models.CASCADE, related_name="agreements_as_supervisee"
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_by = models.CharField(
        _("approved by"),
        max_length=200,
        blank=True,
        help_text=_("Who approved it: the board, or the person who signed for the organization."),
    )
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        ordering = ["-approved_on"]

    @property
    def is_approved(self) -> bool:
        return self.approved_on is not None

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.supervisor_id and self.supervisor_id == self.supervisee_id:
            errors["supervisor"] = _("A person cannot supervise themselves.")
        _check_not_future(self.approved_on, "approved_on", errors)
        if self.approved_on and not self.approved_by:
            errors["approved_by"] = _("Say who approved the agreement.")
        if self.approved_on and self.ends_on and self.ends_on < self.approved_on:
            errors["ends_on"] = _("The agreement cannot end before it was approved.")
        if errors:
            raise ValidationError(errors)


class SupervisionSession(WorkforceModel):
    class Format(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        GROUP = "group", _("Group")

    supervisee = models.ForeignKey(
        StaffProfile, on_delete=models.CASCADE, related_name="supervision_received"
    )
    supervisor = models.ForeignKey(
        StaffProfile, on_delete=models.CASCADE, related_name="supervision_given"
    )
    date = models.DateField(_("date"))
    minutes = models.PositiveIntegerField(
        _("minutes"), validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    format = models.CharField(_("format"), max_length=12, choices=Format.choices)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    # Supervision can touch on the people served: kept encrypted like every other note.
    note = EncryptedTextField(_("short note"), blank=True)

    class Meta:
        ordering = ["-date"]

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        _check_not_future(self.date, "date", errors)
        if self.minutes is not None and not (0 < self.minutes <= 24 * 60):
            errors["minutes"] = _("Minutes must be more than 0 and at most 1440 (24 hours).")
        _check_day_total(self, "supervisee", "minutes", 24 * 60, errors)
        if self.supervisor_id and self.supervisor_id == self.supervisee_id:
            errors["supervisor"] = _("A person cannot supervise themselves.")
        if errors:
            raise ValidationError(errors)


class ReminderSent(WorkforceModel):
    """A reminder already e-mailed, so ``credentials_remind`` sends each one once."""

    class Kind(models.TextChoices):
        DAYS_90 = "90", _("90 days before expiry")
        DAYS_60 = "60", _("60 days before expiry")
        DAYS_30 = "30", _("30 days before expiry")
        LAPSED = "lapsed", _("On lapse")

    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # A renewed credential has a new expiry, and its reminders start again.
    expires_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["credential", "kind", "expires_on"], name="reminder_sent_once"
            )
        ]
