"""Encounters and their notes, amendments, and safety concerns."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.care.models.base import CareModel
from alongside.care.models.participants import Participant
from alongside.care.models.plans import Goal, ServiceCategory
from alongside.lib.crypto import EncryptedTextField


def validate_service_categories(value: Any) -> None:
    if not isinstance(value, list) or not set(value) <= set(ServiceCategory.values):
        raise ValidationError(_("Choose from the six service categories."))


class Encounter(CareModel):
    class Type(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("Phone")
        VIDEO = "video", _("Video")
        TEXT = "text", _("Text messages")
        OUTREACH = "outreach", _("Outreach")
        HOME_VISIT = "home_visit", _("Home visit")
        HOSPITAL_VISIT = "hospital_visit", _("Hospital visit")
        GROUP = "group", _("Group")
        WARMLINE_FOLLOWUP = "warmline_followup", _("Warm line follow-up")
        BRIEF_CHECKIN = "brief_checkin", _("Brief check-in")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed")

    class Contact(models.TextChoices):
        """Whom the work reached. ``type`` says how: an attempt by phone is still a phone call."""

        PERSON = "person", _("With the person")
        NO_ANSWER = "no_answer", _("Tried to reach them: no answer")
        LEFT_MESSAGE = "left_message", _("Tried to reach them: left a message")
        NO_SHOW = "no_show", _("They did not come (no-show)")
        FAMILY = "family", _("With their family or friends, about them")
        PROVIDER = "provider", _("With another provider, about them")

    ATTEMPTED = frozenset({Contact.NO_ANSWER, Contact.LEFT_MESSAGE, Contact.NO_SHOW})
    COLLATERAL = frozenset({Contact.FAMILY, Contact.PROVIDER})

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="encounters"
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    # Said out loud rather than read from an end before the start: a mistyped end time must
    # not turn a short call into a twenty-hour encounter.
    ends_next_day = models.BooleanField(
        _("ends the next day"),
        default=False,
        help_text=_("For an encounter that went past midnight (overnight respite, a late call)."),
    )
    contact = models.CharField(
        _("contact"), max_length=20, choices=Contact.choices, default=Contact.PERSON
    )
    duration_minutes = models.PositiveIntegerField(editable=False)
    setting = models.CharField(_("where"), max_length=120, blank=True)
    goals = models.ManyToManyField(
        Goal, verbose_name=_("goals worked on"), related_name="encounters", blank=True
    )
    # One encounter may touch more than one kind of peer service (a plan and a housing form).
    # Blank is refused in ``clean``, with words that say what to do.
    service_categories = models.JSONField(
        _("service categories"),
        default=list,
        blank=True,
        validators=[validate_service_categories],
    )
    worked_on = EncryptedTextField(_("what we worked on"), blank=True)
    response = EncryptedTextField(_("how it went, in their words where possible"), blank=True)
    next_steps = EncryptedTextField(_("next steps"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A supervisor's request to change a draft; it stays with the note as a record of review.
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_comment = EncryptedTextField(_("comment for the author"), blank=True)
    cosigned_at = models.DateTimeField(null=True, blank=True)
    cosigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-start_time"]
        indexes = [
            models.Index(fields=["participant", "date"]),
            # Unsigned notes are few among many: the dashboard finds them without a scan.
            models.Index(fields=["status", "date"]),
            # Reports read one organization's encounters in a period (billing a month's).
            models.Index(fields=["organization", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.date}"

    @property
    def is_signed(self) -> bool:
        return self.status == self.Status.SIGNED

    @property
    def service_category_labels(self) -> list[str]:
        return [str(ServiceCategory(value).label) for value in self.service_categories]

    @property
    def is_attempt(self) -> bool:
        return self.contact in self.ATTEMPTED

    @property
    def is_collateral(self) -> bool:
        return self.contact in self.COLLATERAL

    def is_author(self, user: Any) -> bool:
        return self.specialist_id is not None and self.specialist_id == getattr(user, "pk", None)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if not self.service_categories:
            errors["service_categories"] = _("Choose at least one service category.")
        # A note records what happened; the organization's today is the server's time zone.
        if self.date and self.date > timezone.localdate():
            errors["date"] = _("A note cannot be dated in the future.")
        if self.start_time and self.end_time:
            if self.ends_next_day and self.end_time >= self.start_time:
                errors["end_time"] = _(
                    "An encounter that ends the next day ends before its start time: "
                    "one note covers less than a day."
                )
            elif not self.ends_next_day and self.end_time <= self.start_time:
                errors["end_time"] = _(
                    "The end time must come after the start. If it ended after midnight, "
                    "tick “Ends the next day”."
                )
        if errors:
            raise ValidationError(errors)


class NoteAmendment(CareModel):
    """Text appended to a signed note; the signed note itself never changes."""

    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE, related_name="amendments")
    text = EncryptedTextField(_("amendment"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"amendment {self.created_at:%Y-%m-%d}"


class SafetyAction(models.TextChoices):
    CALLED_988_TOGETHER = "called_988_together", _("Called or texted 988 together")
    MOBILE_CRISIS = "mobile_crisis", _("Mobile crisis team came")
    EMERGENCY_DEPARTMENT = "emergency_department", _("Went to an emergency department")
    SAFETY_PLAN_REVIEWED = "safety_plan_reviewed", _("Went over their safety plan together")
    OTHER = "other", _("Something else (in the note)")


def validate_actions(value: Any) -> None:
    if not isinstance(value, list) or not set(value) <= set(SafetyAction.values):
        raise ValidationError(_("Choose from the listed actions."))


class SafetyConcern(CareModel):
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="safety_concerns"
    )
    encounter = models.ForeignKey(
        Encounter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actions = models.JSONField(_("what was done"), default=list, validators=[validate_actions])
    note = EncryptedTextField(_("what happened"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Whether anyone (a supervisor, an organization admin) could be told when it was raised.
    supervisor_notified = models.BooleanField(default=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What the supervisor who closed it saw was done afterwards: required to close it.
    follow_up = EncryptedTextField(_("what follow-up happened"), blank=True)
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"safety concern {self.created_at:%Y-%m-%d}"
