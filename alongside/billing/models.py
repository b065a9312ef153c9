"""Payers and their rules (data, shared by every organization), an organization's billing
identity, and the runs that turn signed encounters into lines, claims, files and payments.

Money is integer cents in the database; the API shows dollars with two decimals.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.core.models import OrgScopedModel
from alongside.workforce.models import validate_npi

PEER_SPECIALIST_TAXONOMY = "175T00000X"


class Rounding(models.TextChoices):
    CMS_8_MINUTE = "cms_8_minute", _("8-minute rule (a unit from 8 minutes past the last)")
    WHOLE_UNITS = "whole_units", _("Whole units only")


class Requirement(models.TextChoices):
    CREDENTIAL_ACTIVE = "credential_active", _("The specialist's credential is active")
    PLAN_CURRENT = "plan_current", _("A recovery plan is current")
    DIAGNOSIS_ON_FILE = "diagnosis_on_file", _("A diagnosis is on file")
    CONSENT_FOR_PAYMENT = "consent_for_payment", _("Consent covers payment (Part 2 records)")
    SIGNED_NOTE = "signed_note", _("The note is signed")


class Payer(models.Model):
    """One payer's rules, as its YAML file states them (``billing.loader``)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    # Blank where the payer's 837 id could not be confirmed: such a payer cannot file claims.
    payer_id = models.CharField(_("payer id"), max_length=80, blank=True)
    claim_filing_indicator = models.CharField(max_length=2)
    unit_minutes = models.PositiveSmallIntegerField(default=15)
    rounding = models.CharField(max_length=20, choices=Rounding.choices)
    daily_cap_units = models.PositiveSmallIntegerField(null=True, blank=True)
    # [{"code": "H0038", "modifiers": ["HQ"], "rate_cents": 1234 or None}]
    services = models.JSONField(default=list, blank=True)
    requires = models.JSONField(default=list, blank=True)
    timely_filing_days = models.PositiveIntegerField(null=True, blank=True)
    verified = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    sources = models.JSONField(default=list, blank=True)
    data = models.JSONField(default=dict, blank=True)
    source_file = models.CharField(max_length=300, blank=True)
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def service(self, code: str, modifiers: tuple[str, ...]) -> dict[str, Any] | None:
        for service in self.services:
            if service["code"] == code and tuple(service["modifiers"]) == modifiers:
                return dict(service)
        return None


tax_id_validator = RegexValidator(r"^\d{9}$", _("A tax id (EIN) is 9 digits, without the dash."))
taxonomy_validator = RegexValidator(
    r"^[0-9A-Z]{9}X$", _("A taxonomy code is 10 characters ending in X, e.g. 175T00000X.")
)


class BillingIdentity(OrgScopedModel):
    """Who the organization is on a claim: the billing provider (loop 2010AA)."""

    legal_name = models.CharField(_("legal name"), max_length=60)
    npi = models.CharField(_("NPI"), max_length=10, validators=[validate_npi])
    tax_id = models.CharField(_("tax id (EIN)"), max_length=9, validators=[tax_id_validator])
    taxonomy = models.CharField(
        _("taxonomy"),
        max_length=10,
        default=PEER_SPECIALIST_TAXONOMY,
        validators=[taxonomy_validator],
        help_text=_("175T00000X is Peer Specialist."),
    )
    address_line1 = models.CharField(_("street address"), max_length=55)
    address_line2 = models.CharField(_("address, line 2"), max_length=55, blank=True)
    city = models.CharField(_("city"), max_length=30)
    state = models.CharField(_("state"), max_length=2)
    postal_code = models.CharField(
        _("ZIP+4"),
        max_length=9,
        validators=[RegexValidator(r"^\d{9}$", _("Nine digits: the ZIP code and its +4."))],
    )
    contact_phone = models.CharField(
        _("billing contact phone"),
        max_length=10,
        validators=[RegexValidator(r"^\d{10}$", _("Ten digits."))],
    )
    submitter_id = models.CharField(
        _("submitter id"),
        max_length=15,
        blank=True,
        help_text=_("The id the clearinghouse or state gave you; the NPI if left empty."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="billing_identity_one_per_org")
        ]

    def __str__(self) -> str:
        return self.legal_name

    def clean(self) -> None:
        self.state = (self.state or "").upper()
        if self.state and (len(self.state) != 2 or not self.state.isalpha()):
            raise ValidationError({"state": _("Use the two-letter state code, e.g. NH.")})


class BillingModel(OrgScopedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class Batch(BillingModel):
    """One billing run: a payer, a range of dates of service, its lines and claims, its file."""

    class Status(models.TextChoices):
        BUILT = "built", _("Built")
        SUBMITTED = "submitted", _("File downloaded (submitted)")

    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.BUILT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    control_number = models.PositiveIntegerField(null=True, blank=True)
    # The 837P as written, once it passed validation; ``file_errors`` when it did not.
    file_text = models.TextField(blank=True)
    file_errors = models.JSONField(default=list, blank=True)
    file_checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.payer.code} {self.starts_on}–{self.ends_on}"

    @property
    def file_ready(self) -> bool:
        return bool(self.file_text) and not self.file_errors


class Claim(BillingModel):
    """One participant's lines for one payer in one batch (CLM); ``claim_id`` is CLM01."""

    class Frequency(models.TextChoices):
        ORIGINAL = "1", _("Original")
        REPLACEMENT = "7", _("Replacement")
        VOID = "8", _("Void")

    class Status(models.TextChoices):
        BUILT = "built", _("Built, not sent")
        SUBMITTED = "submitted", _("Submitted")
        PAID = "paid", _("Paid")
        PARTIAL = "partial", _("Partly paid")
        DENIED = "denied", _("Denied")
        REVERSED = "reversed", _("Reversed by the payer")
        REPLACED = "replaced", _("Replaced")
        VOIDED = "voided", _("Voided")

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="claims")
    participant = models.ForeignKey("care.Participant", on_delete=models.PROTECT, related_name="+")
    claim_id = models.CharField(max_length=20, unique=True)
    frequency = models.CharField(max_length=1, choices=Frequency.choices, default="1")
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.BUILT)
    charge_cents = models.PositiveIntegerField(default=0)
    paid_cents = models.IntegerField(default=0)
    payer_claim_number = models.CharField(max_length=50, blank=True)
    # Set when a note on this claim was amended after it went out: someone should look.
    needs_review = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["created_at", "claim_id"]

    def __str__(self) -> str:
        return self.claim_id


class Line(BillingModel):
    """One encounter's service line in a batch, billable or held with its reasons."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="lines")
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="lines"
    )
    encounter = models.ForeignKey("care.Encounter", on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey("care.Participant", on_delete=models.PROTECT, related_name="+")
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField()
    start_time = models.TimeField()
    code = models.CharField(max_length=10)
    modifiers = models.JSONField(default=list, blank=True)
    minutes = models.PositiveIntegerField()
    units = models.PositiveIntegerField()
    amount_cents = models.PositiveIntegerField()
    # Empty when billable; else every reason that applies, in words.
    reasons = models.JSONField(default=list, blank=True)
    line_id = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["date", "start_time", "id"]
        indexes = [models.Index(fields=["encounter"])]

    def __str__(self) -> str:
        return f"{self.code} {self.date}"

    @property
    def held(self) -> bool:
        return bool(self.reasons)


class Remittance(BillingModel):
    """One imported 835: its trace number and payer make it unique."""

    trace_number = models.CharField(max_length=50)
    payer_identifier = models.CharField(max_length=80)
    payer_name = models.CharField(max_length=200, blank=True)
    payment_cents = models.BigIntegerField(default=0)
    payment_date = models.DateField(null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # What the import did, as the API returns it: each matched claim, and what did not match.
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "trace_number", "payer_identifier"],
                name="billing_remittance_once",
            )
        ]

    def __str__(self) -> str:
        return self.trace_number


class ClaimPayment(BillingModel):
    """What one remittance said about one of our claims (CLP)."""

    remittance = models.ForeignKey(Remittance, on_delete=models.CASCADE, related_name="payments")
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="payments")
    status_code = models.CharField(max_length=3)
    status = models.CharField(max_length=20, choices=Claim.Status.choices)
    charge_cents = models.IntegerField(default=0)
    paid_cents = models.IntegerField(default=0)
    patient_responsibility_cents = models.IntegerField(default=0)
    payer_claim_number = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.status}"


class Adjustment(BillingModel):
    """A CAS adjustment: group, reason code and amount, for a claim or one of its lines."""

    payment = models.ForeignKey(ClaimPayment, on_delete=models.CASCADE, related_name="adjustments")
    group = models.CharField(max_length=2)
    reason = models.CharField(max_length=5)
    amount_cents = models.IntegerField()
    line_id = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["created_at", "group", "reason"]

    def __str__(self) -> str:
        return f"{self.group}-{self.reason}"
