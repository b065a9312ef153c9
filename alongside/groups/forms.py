"""The staff pages' forms: a group and its schedule rows, dates, registration, attendance."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.care.models import Participant
from alongside.directory.taxonomy import TERMS_BY_GROUP
from alongside.groups.models import Attendance, Group, MeetingTime
from alongside.groups.services import GROUP_FIELDS, MEETING_TIME_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
# Time zones of the United States a group is likely to meet in; a group keeps any other it has.
TIME_ZONES = [
    ("America/New_York", _("Eastern (New York)")),
    ("America/Chicago", _("Central (Chicago)")),
    ("America/Denver", _("Mountain (Denver)")),
    ("America/Phoenix", _("Arizona (Phoenix)")),
    ("America/Los_Angeles", _("Pacific (Los Angeles)")),
    ("America/Anchorage", _("Alaska (Anchorage)")),
    ("Pacific/Honolulu", _("Hawaii (Honolulu)")),
]


def _terms(group: str) -> list[tuple[str, Any]]:
    return [(t.code, t.label) for t in TERMS_BY_GROUP[group]]


def _facilitator_name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


class MeetingTimeForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("Every week on"),
        choices=[("", _("— not weekly —")), *MeetingTime.Weekday.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    date = forms.DateField(label=_("Or once, on"), required=False, widget=DATE)
    start_time = forms.TimeField(label=_("Starts"), required=False, widget=TIME)
    end_time = forms.TimeField(label=_("Ends"), required=False, widget=TIME)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.has_changed():
            return data
        if (data.get("weekday") is None) == (data.get("date") is None):
            raise forms.ValidationError(_("Choose a day of the week, or one date, not both."))
        for name in ("start_time", "end_time"):
            if not data.get(name):
                self.add_error(name, _("Give the time."))
        return data


class BaseScheduleFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                name: form.cleaned_data.get(name)
                for name in MEETING_TIME_FIELDS
                if name in form.fields
            }
            for form in self.forms
            if form.has_changed() and form.cleaned_data
        ]


ScheduleFormSet = forms.formset_factory(
    MeetingTimeForm, formset=BaseScheduleFormSet, extra=2, max_num=20, absolute_max=40
)


class GroupForm(forms.ModelForm):
    """A group and, below it, the rows of its schedule (``schedule``, a formset)."""

    focus = forms.MultipleChoiceField(
        label=_("Focus"),
        choices=_terms("focus"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    populations = forms.MultipleChoiceField(
        label=_("For whom"),
        choices=_terms("population"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    timezone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONES)
    conference_url = forms.URLField(
        label=_("Video meeting link"), required=False, max_length=200, assume_scheme="https"
    )
    facilitators: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Facilitators"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Peer specialists, supervisors or admins who lead it."),
    )

    class Meta:
        model = Group
        fields = [*GROUP_FIELDS, "facilitators"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, facilitators: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["facilitators"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101
        field.queryset = facilitators
        field.label_from_instance = _facilitator_name  # type: ignore[method-assign,assignment]
        zone = self.instance.timezone if self.instance.pk else None
        if zone and zone not in dict(TIME_ZONES):
            zones = self.fields["timezone"]
            assert isinstance(zones, forms.ChoiceField)  # noqa: S101
            zones.choices = [*TIME_ZONES, (zone, zone)]
        initial = [
            {name: getattr(rule, name) for name in ("weekday", "date", "start_time", "end_time")}
            for rule in (self.instance.meeting_times.all() if self.instance.pk else [])
        ]
        self.schedule = cast(
            BaseScheduleFormSet,
            ScheduleFormSet(
                self.data if self.is_bound else None, initial=initial, prefix="schedule"
            ),
        )

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound:
            return
        if not self.schedule.is_valid():
            self.add_error(None, _("Check the meeting times below."))
        elif self.cleaned_data is not None:
            self.cleaned_data["meeting_times"] = self.schedule.rows()

    def _post_clean(self) -> None:
        # The service validates the whole group (with its facilitators and times) and saves it.
        pass


class DateNoteForm(forms.Form):
    public_note = forms.CharField(
        label=_("Note for the public"),
        max_length=300,
        required=False,
        help_text=_("Say why, if you like. It shows on the group's public page."),
    )


class SessionMoveForm(DateNoteForm):
    date = forms.DateField(label=_("New date"), widget=DATE)
    start_time = forms.TimeField(label=_("Starts"), widget=TIME)
    end_time = forms.TimeField(label=_("Ends"), widget=TIME)

    field_order = ["date", "start_time", "end_time", "public_note"]


class RegistrationForm(forms.Form):
    participant = forms.ModelChoiceField(
        label=_("A participant of ours"),
        queryset=Participant.objects.none(),
        required=False,
        empty_label=_("— someone else —"),
    )
    first_name = forms.CharField(
        label=_("Or: their first name"),
        max_length=60,
        required=False,
        help_text=_("For a member of the public. Never shown publicly."),
    )
    contact = forms.CharField(
        label=_("Their phone number or e-mail"),
        max_length=200,
        required=False,
        help_text=_("Kept encrypted. An online group's private link is e-mailed to an address."),
    )

    def __init__(self, *args: Any, participants: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["participant"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = participants

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("participant") and not (data.get("first_name") and data.get("contact")):
            raise forms.ValidationError(
                _("Choose a participant, or give a first name and a phone number or e-mail.")
            )
        return data


class AttendanceForm(forms.Form):
    """One row per person on the list (status and a short note), walk-ins and the summary."""

    walk_ins = forms.IntegerField(
        label=_("Walk-ins (not named)"),
        min_value=0,
        max_value=10000,
        help_text=_("People who came and are not on the list. No names."),
    )
    summary = forms.CharField(
        label=_("What the group did"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shared by every attendee's group note. Name nobody."),
    )
    add = forms.ModelChoiceField(
        label=_("Add someone who came"),
        queryset=Participant.objects.none(),
        required=False,
        empty_label=_("— choose a participant —"),
    )
    added = forms.ModelMultipleChoiceField(
        queryset=Participant.objects.none(), required=False, widget=forms.MultipleHiddenInput
    )

    def __init__(self, *args: Any, people: list[Participant], addable: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = people
        for name in ("add", "added"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
            field.queryset = addable
        self.rows = []
        for person in people:
            status = f"status_{person.pk}"
            note = f"note_{person.pk}"
            self.fields[status] = forms.ChoiceField(
                label=person.preferred_name,
                choices=Attendance.Status.choices,
                widget=forms.RadioSelect,
                initial=Attendance.Status.ABSENT,
            )
            self.fields[note] = forms.CharField(
                label=_("Note for %(person)s only") % {"person": person.preferred_name},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.rows.append((person, self[status], self[note]))

    def lists(self) -> dict[str, Any]:
        """The service's keywords from the cleaned rows."""
        data = self.cleaned_data
        by_status: dict[str, list[Participant]] = {s: [] for s in Attendance.Status.values}
        notes = {}
        for person in self.people:
            status = data[f"status_{person.pk}"]
            by_status[status].append(person)
            if status == Attendance.Status.PRESENT and data.get(f"note_{person.pk}"):
                notes[person] = data[f"note_{person.pk}"]
        return {
            "present": by_status[Attendance.Status.PRESENT],
            "absent": by_status[Attendance.Status.ABSENT],
            "excused": by_status[Attendance.Status.EXCUSED],
            "notes": notes,
            "walk_ins": data["walk_ins"],
            "summary": data.get("summary", ""),
        }
