"""Forms of the workforce pages. Field names are the services' writable lists."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from alongside.core.documents import ALLOWED_TYPES
from alongside.core.models import Membership, Organization
from alongside.core.people import display_name
from alongside.workforce.access import supervisors_in
from alongside.workforce.models import CredentialType, SupervisionSession

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class CredentialTypeField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.jurisdiction})"


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return display_name(obj.user)


class CredentialForm(forms.Form):
    type = CredentialTypeField(label=_("Credential"), queryset=CredentialType.objects.all())
    number = forms.CharField(label=_("Certificate number"), max_length=60)
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE)
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=DATE,
        help_text=_("Leave it empty to count it from the issue date and the renewal cycle."),
    )


class TrainingForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    hours = forms.DecimalField(
        label=_("Hours"),
        max_digits=4,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}),
    )
    topic = forms.CharField(
        label=_("Topic"),
        max_length=60,
        help_text=_("One word or two, as your board names it: ethics, advocacy, mentoring…"),
    )
    title = forms.CharField(label=_("Title of the training"), max_length=200)
    provider = forms.CharField(label=_("Who gave it"), max_length=200, required=False)
    certificate = forms.FileField(
        label=_("Certificate"),
        required=False,
        help_text=_("A PDF, PNG or JPEG file. Boards ask to see certificates for six years."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join([".pdf", ".png", ".jpg", ".jpeg", *ALLOWED_TYPES])}
        ),
    )

    def clean_topic(self) -> str:
        topic = self.cleaned_data["topic"].strip().lower().replace(" ", "_")
        if not SLUG.match(topic):
            raise ValidationError(_("Use letters, digits and spaces only."))
        return topic


class OtherWorkForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    hours = forms.DecimalField(label=_("Hours"), max_digits=4, decimal_places=2)
    description = forms.CharField(label=_("What the work was"), max_length=200)


class GoalForm(forms.Form):
    type = CredentialTypeField(label=_("Credential"), queryset=CredentialType.objects.all())
    exam_passed_on = forms.DateField(
        label=_("Exam passed on"), required=False, widget=DATE,
        help_text=_("Leave it empty until the exam is passed."),
    )  # fmt: skip


class _SupervisorForm(forms.Form):
    supervisor = MemberChoiceField(label=_("Supervisor"), queryset=Membership.objects.none())

    def __init__(
        self, *args: Any, organization: Organization, exclude_user: Any = None, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        choices = supervisors_in(organization)
        if exclude_user is not None:
            choices = choices.exclude(user_id=exclude_user)
        self.fields["supervisor"].queryset = choices  # type: ignore[attr-defined]


class AgreementForm(_SupervisorForm):
    approved_on = forms.DateField(
        label=_("Approved on"), required=False, widget=DATE,
        help_text=_("Leave it empty while the board has not approved it yet."),
    )  # fmt: skip
    approved_by = forms.CharField(
        label=_("Approved by"), max_length=200, required=False,
        help_text=_("The board, or who signed for the organization."),
    )  # fmt: skip
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DATE)


class SupervisionForm(_SupervisorForm):
    date = forms.DateField(label=_("Date"), widget=DATE)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=24 * 60)
    format = forms.ChoiceField(
        label=_("Format"), choices=SupervisionSession.Format.choices, widget=forms.RadioSelect
    )
    topics = forms.CharField(
        label=_("Topics"),
        required=False,
        max_length=300,
        help_text=_("Separate them with commas: ethics, boundaries."),
    )
    note = forms.CharField(
        label=_("Short note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("No participant's name: write what the supervision covered."),
    )

    def clean_topics(self) -> list[str]:
        topics = []
        for part in self.cleaned_data["topics"].split(","):
            topic = part.strip().lower().replace(" ", "_")
            if not topic:
                continue
            if not SLUG.match(topic):
                raise ValidationError(_("Use letters, digits and spaces in each topic."))
            topics.append(topic)
        return topics


class NpiForm(forms.Form):
    npi = forms.CharField(
        label=_("NPI"),
        required=False,
        max_length=10,
        help_text=_("Your 10-digit National Provider Identifier, if you bill Medicaid."),
    )


class ReportForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To"), widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end date is before the start date."))
        return data


class ApprovalForm(forms.Form):
    approved_on = forms.DateField(label=_("Approved on"), widget=DATE)
    approved_by = forms.CharField(
        label=_("Approved by"),
        max_length=200,
        help_text=_("The board, or who signed for the organization."),
    )
