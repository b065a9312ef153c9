from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.billing.models import BillingIdentity, Payer
from alongside.billing.services import IDENTITY_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BatchForm(forms.Form):
    payer = forms.ModelChoiceField(
        label=_("Payer"), queryset=Payer.objects.order_by("name"), to_field_name="code"
    )
    starts_on = forms.DateField(label=_("Dates of service from"), widget=DATE)
    ends_on = forms.DateField(label=_("to"), widget=DATE)


class IdentityForm(forms.ModelForm):
    class Meta:
        model = BillingIdentity
        fields = list(IDENTITY_FIELDS)


class CorrectionForm(forms.Form):
    payer_claim_number = forms.CharField(
        label=_("Payer's claim number"),
        max_length=50,
        required=False,
        help_text=_("From the remittance; already filled in when the payer sent one."),
    )


class RemittanceForm(forms.Form):
    file = forms.FileField(
        label=_("835 remittance file"),
        help_text=_("The electronic remittance advice the payer or clearinghouse sent (X12 835)."),
    )
