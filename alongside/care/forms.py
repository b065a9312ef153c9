"""Forms of the care pages. They validate input; services make the change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.care.access import CARE_ROLES
from alongside.care.models import (
    Appointment,
    CareSettings,
    Chime,
    Consent,
    Coverage,
    EmploymentStatus,
    Encounter,
    Enrollment,
    Goal,
    HousingStatus,
    Participant,
    Pathway,
    PlanVersion,
    Purpose,
    RaceEthnicity,
    Referral,
    Restriction,
    SafetyAction,
    ServiceCategory,
    WellnessPlan,
)
from alongside.care.models.consent import CATEGORIES, CATEGORY_HINTS
from alongside.care.services import (
    CARE_SETTINGS_FIELDS,
    CONSENT_FIELDS,
    COVERAGE_FIELDS,
    ENCOUNTER_FIELDS,
    GOAL_FIELDS,
    PARTICIPANT_EDITABLE,
    STATUS_FIELDS,
    WELLNESS_FIELDS,
    plan_goals_by_default,
)
from alongside.core.documents import document_check
from alongside.core.models import Membership, Organization
from alongside.core.people import display_name

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def care_staff(organization: Organization) -> Any:
    """Users of ``organization`` who can be assigned participants."""
    user_ids = [
        m.user_id
        for m in Membership.objects.filter(organization=organization, is_active=True)
        if m.has_role(*CARE_ROLES)
    ]
    return (
        get_user_model()
        .objects.filter(pk__in=user_ids)
        .order_by("first_name", "last_name", "username")
    )


class ParticipantForm(forms.ModelForm):
    race_ethnicity = forms.MultipleChoiceField(
        label=_("Race and ethnicity"),
        choices=RaceEthnicity.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Tick every one that applies, as the person says it. “Prefer not to say” goes alone."
        ),
    )
    specialists = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Assigned specialists"),
    )

    class Meta:
        model = Participant
        fields = list(PARTICIPANT_EDITABLE)
        widgets = {"date_of_birth": DATE, "address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["specialists"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101
        field.queryset = care_staff(organization)
        field.label_from_instance = display_name  # type: ignore[method-assign,assignment]
        if not self.instance._state.adding:
            self.initial["specialists"] = list(self.instance.specialists.all())


class ParticipantCreateForm(ParticipantForm):
    pathway = forms.ChoiceField(label=_("Pathway"), choices=Pathway.choices, initial="ongoing")
    enrolled_on = forms.DateField(label=_("Enrolled on"), widget=DATE, initial=timezone.localdate)
    agreement_how = forms.ChoiceField(
        label=_("How they agreed to take part"), choices=Enrollment.AgreementHow.choices
    )


class EnrollForm(forms.Form):
    enrolled_on = forms.DateField(label=_("Enrolled on"), widget=DATE, initial=timezone.localdate)
    agreement_how = forms.ChoiceField(
        label=_("How they agreed to take part"), choices=Enrollment.AgreementHow.choices
    )


class DischargeForm(forms.Form):
    discharged_on = forms.DateField(
        label=_("Discharged on"), widget=DATE, initial=timezone.localdate
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=Enrollment.DischargeReason.choices)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PathwayForm(forms.Form):
    to_pathway = forms.ChoiceField(label=_("New pathway"), choices=Pathway.choices)
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}))


def _category_choices() -> list[tuple[str, str]]:
    return [(c.value, f"{c.label} ({CATEGORY_HINTS[c]})") for c in CATEGORIES]


def information_categories_field(
    label: Any, help_text: Any = "", *, required: bool = True
) -> forms.MultipleChoiceField:
    """Checkboxes for the kinds of information, "as described" never among them."""
    return forms.MultipleChoiceField(
        label=label,
        required=required,
        help_text=help_text,
        choices=_category_choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one kind of information."),
            "invalid_choice": _("Choose kinds of information from the list."),
        },
    )


class ConsentForm(forms.ModelForm):
    purposes = forms.MultipleChoiceField(
        label=_("Purposes"), choices=Purpose.choices, widget=forms.CheckboxSelectMultiple
    )
    information_categories = information_categories_field(
        _("What may be shared"),
        _("Only what is ticked is ever released under this consent."),
    )
    signature_file = forms.FileField(
        label=_("Signed form (upload)"),
        required=False,
        help_text=_("A PDF, PNG or JPEG scan, kept encrypted."),
    )

    class Meta:
        model = Consent
        fields = list(CONSENT_FIELDS)
        widgets = {
            "recipients": forms.Textarea(attrs={"rows": 3}),
            "information": forms.Textarea(attrs={"rows": 3}),
            "expires_on": DATE,
            "signed_on": DATE,
        }

    # Each of these may be left empty only when its partner is given (``Consent.clean``), so
    # the label names the partner instead of calling the field optional.
    EITHER_OR = {
        "recipients": _("(or use the general designation below)"),
        "expires_on": _("(or the event below)"),
        "expiry_event": _("(or the date above)"),
        "signature_name": _("(with the date below, or upload the signed form)"),
        "signed_on": _("(with the typed name above, or upload the signed form)"),
        "signature_file": _("(or type the name and date above)"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, partner in self.EITHER_OR.items():
            self.fields[name].either_or = partner  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload = cleaned.get("signature_file")
        if upload:
            try:
                document_check(upload, field="signature_file")
            except ValidationError as exc:
                self.add_error(None, exc)
            else:
                # The service stores the scan; until then this unsaved instance only needs to
                # know there is one, so the model's "signature or scan" rule holds.
                self.instance.signature_document = "pending"
        return cleaned


class DisclosureForm(forms.Form):
    recipient = forms.CharField(
        label=_("Shared with"),
        max_length=200,
        help_text=_("The person or organization, as the consent names them."),
    )
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    categories = information_categories_field(
        _("Kinds of information shared"),
        _(
            "The consent must cover each one; leave all unticked for everything it covers. "
            "For an older consent that says what it covers only in words, read it and tick "
            "what it allows."
        ),
        required=False,
    )
    description = forms.CharField(
        label=_("What was shared"), widget=forms.Textarea(attrs={"rows": 3})
    )


class RestrictionForm(forms.Form):
    use = forms.ChoiceField(label=_("They asked us not to"), choices=Restriction.Use.choices)
    detail = forms.CharField(label=_("Details"), max_length=300, required=False)
    requested_on = forms.DateField(label=_("Asked on"), widget=DATE, initial=timezone.localdate)


class PlanVersionForm(forms.Form):
    summary = forms.CharField(
        label=_("The plan, in their words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    agreed_on = forms.DateField(label=_("Agreed on"), widget=DATE, initial=timezone.localdate)
    agreed_how = forms.ChoiceField(label=_("Agreed how"), choices=PlanVersion.AgreedHow.choices)
    review_by = forms.DateField(label=_("Review by"), widget=DATE, required=False)
    goals = forms.ModelMultipleChoiceField(
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Goals this plan holds"),
        help_text=_("Each is kept as it reads today, even if it changes later."),
    )

    def __init__(self, *args: Any, participant: Participant, review_days: int, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["review_by"].help_text = _(
            "Leave empty for %(days)s days after the agreement (your organization's setting)."
        ) % {"days": review_days}
        field = self.fields["goals"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101
        field.queryset = Goal.objects.filter(participant=participant).order_by("created_at")
        field.label_from_instance = lambda goal: (  # type: ignore[method-assign,assignment]
            f"{goal.text} ({goal.get_status_display()})"
        )
        self.initial.setdefault("goals", plan_goals_by_default(participant))


class RevokeForm(forms.Form):
    revoked_on = forms.DateField(label=_("Revoked on"), widget=DATE, initial=timezone.localdate)
    revoked_how = forms.ChoiceField(label=_("How"), choices=Consent.RevokedHow.choices)


class GoalForm(forms.ModelForm):
    chime = forms.MultipleChoiceField(
        label=_("CHIME processes"),
        choices=Chime.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Goal
        fields = list(GOAL_FIELDS)
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "strengths": forms.Textarea(attrs={"rows": 2}),
            "steps": forms.Textarea(attrs={"rows": 3}),
            "who_helps": forms.Textarea(attrs={"rows": 2}),
            "target_date": DATE,
        }


class ProgressForm(forms.Form):
    note = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}))


class EncounterForm(forms.ModelForm):
    service_categories = forms.MultipleChoiceField(
        label=_("Service categories"),
        choices=ServiceCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every kind of peer service this encounter was about."),
        error_messages={"required": _("Choose at least one service category.")},
    )
    goals = forms.ModelMultipleChoiceField(
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Goals worked on"),
    )

    class Meta:
        model = Encounter
        fields = list(ENCOUNTER_FIELDS)
        widgets = {
            "date": DATE,
            "start_time": TIME,
            "end_time": TIME,
            "worked_on": forms.Textarea(attrs={"rows": 4}),
            "response": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, participant: Participant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["goals"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101
        field.queryset = Goal.objects.filter(participant=participant, status=Goal.Status.ACTIVE)
        field.label_from_instance = lambda goal: goal.text  # type: ignore[method-assign,assignment]
        if not self.instance._state.adding:
            self.initial["goals"] = list(self.instance.goals.all())
        elif not self.initial.get("date"):
            self.initial["date"] = timezone.localdate()

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        # With no category ticked, the field and the model's own check say the same: once.
        errors = self.errors.get("service_categories")
        if errors:
            once = list(dict.fromkeys(str(message) for message in errors))
            self.errors["service_categories"] = self.error_class(once)


class HousingStatusForm(forms.ModelForm):
    class Meta:
        model = HousingStatus
        fields = list(STATUS_FIELDS)
        widgets = {"since": DATE}
        labels = {"since": _("Since")}


class EmploymentStatusForm(forms.ModelForm):
    class Meta:
        model = EmploymentStatus
        fields = list(STATUS_FIELDS)
        widgets = {"since": DATE}
        labels = {"since": _("Since")}


class CoverageForm(forms.ModelForm):
    class Meta:
        model = Coverage
        fields = list(COVERAGE_FIELDS)
        widgets = {
            "member_id": forms.TextInput(attrs={"autocomplete": "off", "maxlength": 60}),
            "starts_on": DATE,
            "ends_on": DATE,
        }
        help_texts = {"payer_name": _("For example Medicaid, or the name of their health plan.")}


class AmendForm(forms.Form):
    text = forms.CharField(
        label=_("Amendment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The signed note stays as it was; this is added below it with your name."),
    )


class NoteReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the author"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The note goes back to them with this comment; only they change their words."),
    )


class SafetyConcernForm(forms.Form):
    actions = forms.MultipleChoiceField(
        label=_("What was done"),
        choices=SafetyAction.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you noticed and what you did together. A supervisor will be told."),
    )


class SafetyResolveForm(forms.Form):
    """Closing a safety concern: what follow-up happened (required), and when."""

    follow_up = forms.CharField(
        label=_("What follow-up happened"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Who checked in with the person, what was done, and what happens next. "
            "Kept encrypted with the concern."
        ),
    )
    follow_up_on = forms.DateField(
        label=_("Follow-up date"),
        required=False,
        widget=DATE,
        help_text=_("When the follow-up happened, or the next check-in if one is booked."),
    )


class ReferralForm(forms.ModelForm):
    directory_service_id = forms.UUIDField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Referral
        fields = ["provider_name", "status", "warm_handoff_note"]
        widgets = {"warm_handoff_note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider_name"].required = False
        self.fields["provider_name"].help_text = _(
            "A person or program, or leave empty when you chose a directory listing."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("provider_name") and not data.get("directory_service_id"):
            self.add_error("provider_name", _("Name the provider or choose a directory listing."))
        return data


class ReferralStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Referral.Status.choices)


class AppointmentForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    start_time = forms.TimeField(label=_("Starts"), widget=TIME)
    end_time = forms.TimeField(label=_("Ends"), widget=TIME)
    place = forms.CharField(
        label=_("Where"),
        max_length=200,
        help_text=_(
            "Shown in calendar feeds on phones: a place, not the person's name "
            "(for example “Office, room 2” or “Library, Main St”)."
        ),
    )
    specialist = forms.ModelChoiceField(
        label=_("Specialist"), queryset=get_user_model().objects.none(), empty_label=None
    )
    transportation = forms.ChoiceField(
        label=_("Transportation"), choices=Appointment.Transportation.choices
    )
    transportation_arranged_by = forms.ModelChoiceField(
        label=_("Transportation arranged by (staff)"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("No one on staff"),
    )
    transportation_note = forms.CharField(
        label=_("Transportation details"),
        max_length=200,
        required=False,
        help_text=_("Who else arranges it (a relative, the Medicaid ride broker), pick-up time."),
    )

    def __init__(
        self, *args: Any, organization: Organization, instance: Appointment | None = None, **kw: Any
    ) -> None:
        if instance is not None:
            local_start = timezone.localtime(instance.starts_at)
            kw.setdefault(
                "initial",
                {
                    "date": local_start.date(),
                    "start_time": local_start.time(),
                    "end_time": timezone.localtime(instance.ends_at).time(),
                    "place": instance.place,
                    "specialist": instance.specialist_id,
                    "transportation": instance.transportation,
                    "transportation_arranged_by": instance.transportation_arranged_by_id,
                    "transportation_note": instance.transportation_note,
                },
            )
        super().__init__(*args, **kw)
        staff = care_staff(organization)
        for name in ("specialist", "transportation_arranged_by"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
            field.queryset = staff
            field.label_from_instance = display_name  # type: ignore[method-assign,assignment]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date") and data.get("start_time") and data.get("end_time"):
            zone = timezone.get_current_timezone()
            data["starts_at"] = datetime.combine(data["date"], data["start_time"], zone)
            data["ends_at"] = datetime.combine(data["date"], data["end_time"], zone)
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end_time", _("The end must come after the start."))
        return data

    def appointment_data(self) -> dict[str, Any]:
        """The cleaned data in the shape the appointment services take."""
        keep = (
            "starts_at",
            "ends_at",
            "place",
            "specialist",
            "transportation",
            "transportation_arranged_by",
            "transportation_note",
        )
        return {name: self.cleaned_data[name] for name in keep}


class CalendarWeekForm(forms.Form):
    """The calendar page's query string: which week, and whose calendar."""

    week = forms.DateField(required=False)
    specialist = forms.IntegerField(required=False, min_value=1)


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you need to open this record"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your supervisor will review this. Access ends after a few hours."),
    )


class CareSettingsForm(forms.ModelForm):
    is_part2_program = forms.BooleanField(
        label=_("This organization is a 42 CFR Part 2 program"),
        required=False,
        help_text=_(
            "Every participant's record is then labelled Part 2: nothing is shared without a "
            "consent that covers the recipient and purpose, and shared records carry the "
            "notice against re-disclosure."
        ),
    )

    class Meta:
        model = CareSettings
        fields = list(CARE_SETTINGS_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Left empty, the review period stays as it is (``care_settings_update``).
        self.fields["plan_review_days"].required = False


class WellnessPlanForm(forms.ModelForm):
    class Meta:
        model = WellnessPlan
        fields = list(WELLNESS_FIELDS)
        widgets = {
            **{name: forms.Textarea(attrs={"rows": 4}) for name in WellnessPlan.PARTS},
            "updated_on": DATE,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance._state.adding or not self.is_bound:
            self.initial["updated_on"] = timezone.localdate()
