"""Consent to disclose, the accounting of disclosures, and requested restrictions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from alongside.care.models.base import CareModel
from alongside.care.models.participants import Participant


class Purpose(models.TextChoices):
    TREATMENT = "treatment", _("Treatment and care coordination")
    PAYMENT = "payment", _("Payment")
    OPERATIONS = "health_care_operations", _("Health care operations")
    BENEFITS = "benefits", _("Applying for benefits or housing")
    FAMILY = "family", _("Keeping family or a support person informed")
    LEGAL = "legal", _("Court, probation or legal")
    OTHER = "other", _("Other (described)")


# The purposes a Part 2 "single consent" with a general designation may cover (§2.31(a)(4)).
TPO_PURPOSES = frozenset({Purpose.TREATMENT, Purpose.PAYMENT, Purpose.OPERATIONS})


def validate_purposes(value: Any) -> None:
    if not isinstance(value, list) or not value or not set(value) <= set(Purpose.values):
        raise ValidationError(_("Choose at least one purpose."))


class InformationCategory(models.TextChoices):
    """What information a consent lets us share: the "amount and kind" of 42 CFR § 2.31."""

    DEMOGRAPHICS = "demographics", _("Demographics")
    CONTACT_DETAILS = "contact_details", _("Contact details")
    COVERAGE = "coverage", _("Health coverage")
    RECOVERY_PLAN = "recovery_plan", _("Recovery plan and goals")
    ENCOUNTER_DATES = "encounter_dates", _("Encounter dates and types")
    ENCOUNTER_NOTES = "encounter_notes", _("Encounter notes")
    RECOVERY_MEASURES = "recovery_measures", _("Recovery measures")
    REFERRALS = "referrals", _("Referrals")
    # Consents recorded before the categories existed: only the free text says what is covered,
    # so a person reviewing each disclosure chooses what to release (docs/care.md).
    AS_DESCRIBED = "as_described", _("As described in words (an older consent)")


# What each category holds, for the form that records a consent.
CATEGORY_HINTS = {
    InformationCategory.DEMOGRAPHICS: _(
        "names, date of birth, gender, pronouns, race and ethnicity, language"
    ),
    InformationCategory.CONTACT_DETAILS: _("phone, e-mail, address, emergency contact"),
    InformationCategory.COVERAGE: _("payer, member number and dates"),
    InformationCategory.RECOVERY_PLAN: _("the plan in their words, goals and target dates"),
    InformationCategory.ENCOUNTER_DATES: _("when we met and what kind of contact it was"),
    InformationCategory.ENCOUNTER_NOTES: _("what was worked on, how it went, where, with whom"),
    InformationCategory.RECOVERY_MEASURES: _("the answers and scores of measures they filled in"),
    InformationCategory.REFERRALS: _("services we referred them to and what came of it"),
}


# The categories a new consent or a disclosure may name; ``AS_DESCRIBED`` is only for old ones.
CATEGORIES = tuple(c for c in InformationCategory if c != InformationCategory.AS_DESCRIBED)


def category_labels(codes: Any) -> list[str]:
    """The categories, in words and in the order of ``InformationCategory``."""
    return [str(c.label) for c in InformationCategory if c in set(codes or ())]


def validate_categories(value: Any) -> None:
    if (
        not isinstance(value, list)
        or not value
        or not set(value) <= set(InformationCategory.values)
    ):
        raise ValidationError(_("Choose at least one kind of information."))
    if InformationCategory.AS_DESCRIBED in value and len(value) > 1:
        raise ValidationError(_("'As described' stands alone; choose categories instead."))


class Consent(CareModel):
    class RevokedHow(models.TextChoices):
        IN_WRITING = "in_writing", _("In writing")
        OUT_LOUD = "out_loud", _("Out loud (noted by staff)")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="consents")
    discloser = models.CharField(
        _("who may share"), max_length=200, help_text=_("Usually this organization.")
    )
    recipients = models.TextField(
        _("who may receive"),
        blank=True,
        help_text=_("One name per line: a person or an organization."),
    )
    general_designation = models.BooleanField(
        _("general designation (Part 2 single consent)"),
        default=False,
        help_text=_(
            "Covers the person's treating providers, health plans and those who help run "
            "this program, for treatment, payment and health care operations only."
        ),
    )
    information = models.TextField(_("what may be shared, in words"))
    information_categories = models.JSONField(
        _("what may be shared"),
        default=list,
        validators=[validate_categories],
        help_text=_("Only these kinds of information are released under this consent."),
    )
    purposes = models.JSONField(_("purposes"), default=list, validators=[validate_purposes])
    purpose_detail = models.CharField(_("purpose, in words"), max_length=300, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    expiry_event = models.CharField(
        _("or expires when"),
        max_length=200,
        blank=True,
        help_text=_("An event, e.g. 'when I leave the program'."),
    )
    signature_name = models.CharField(_("signed (typed name)"), max_length=200, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    # The signed form's scan, if one was uploaded: a key of core.documents (private storage,
    # encrypted), read back only through the audited download view.
    signature_document = models.CharField(max_length=80, blank=True, editable=False)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoked_how = models.CharField(
        _("revoked how"), max_length=20, choices=RevokedHow.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-signed_on", "-created_at"]

    def __str__(self) -> str:
        return f"consent {self.signed_on}"

    @property
    def recipient_list(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]

    @property
    def purpose_labels(self) -> list[str]:
        """The purposes agreed, in words."""
        return [str(Purpose(code).label) for code in self.purposes if code in Purpose.values]

    @property
    def as_described(self) -> bool:
        """An older consent whose categories a person reviewing each disclosure chooses."""
        return InformationCategory.AS_DESCRIBED in (self.information_categories or [])

    @property
    def category_labels(self) -> list[str]:
        return category_labels(self.information_categories)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if not self.recipient_list and not self.general_designation:
            errors["recipients"] = _("Name who may receive it, or use the general designation.")
        if self.general_designation and not set(self.purposes or []) <= TPO_PURPOSES:
            errors["purposes"] = _(
                "A general designation covers treatment, payment and operations only."
            )
        if not self.expires_on and not self.expiry_event:
            errors["expires_on"] = _("Give an expiry date or an event that ends the consent.")
        if not self.signature_document and not (self.signature_name and self.signed_on):
            errors["signature_name"] = _("Type the signed name and date, or upload the form.")
        if self.expires_on and self.signed_on and self.expires_on < self.signed_on:
            errors["expires_on"] = _("The consent cannot expire before it was signed.")
        if errors:
            raise ValidationError(errors)


class Disclosure(CareModel):
    """One entry in the accounting of disclosures."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="disclosures"
    )
    disclosed_at = models.DateTimeField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recipient = models.CharField(max_length=200)
    purpose = models.CharField(max_length=30, choices=Purpose.choices)
    description = models.TextField()
    consent = models.ForeignKey(
        Consent, null=True, blank=True, on_delete=models.PROTECT, related_name="disclosures"
    )
    # What went out and what the consent (or the person reviewing an older one) kept back.
    released_categories = models.JSONField(default=list, blank=True)
    withheld_categories = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-disclosed_at"]

    def __str__(self) -> str:
        return f"disclosure {self.disclosed_at:%Y-%m-%d}"

    @property
    def released_labels(self) -> list[str]:
        return category_labels(self.released_categories)

    @property
    def withheld_labels(self) -> list[str]:
        return category_labels(self.withheld_categories)


class Restriction(CareModel):
    """The person asked that their information not be used or shared in some way."""

    class Use(models.TextChoices):
        BILLING_INSURANCE = "billing_insurance", _("Billing my insurance")
        FAMILY_CONTACT = "family_contact", _("Contacting my family")
        TEXT_MESSAGES = "text_messages", _("Text messages")
        OTHER = "other", _("Other (described)")

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="restrictions"
    )
    use = models.CharField(_("restricted use"), max_length=30, choices=Use.choices)
    detail = models.CharField(_("details"), max_length=300, blank=True)
    requested_on = models.DateField(_("requested on"))
    active = models.BooleanField(_("in effect"), default=True)

    class Meta:
        ordering = ["-requested_on"]

    def __str__(self) -> str:
        return self.use
