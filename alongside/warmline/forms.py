from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.warmline.models import ContactRecord, Topic


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    id = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)


class ContactRecordForm(forms.Form):
    """The short record a contact ends with: no risk score, only what happened."""

    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ending = forms.ChoiceField(
        label=_("How it ended"), choices=ContactRecord.Ending.choices, widget=forms.RadioSelect
    )
    referrals = forms.CharField(
        label=_("Referrals"),
        required=False,
        max_length=300,
        help_text=_("Services suggested, by name. No details about the person."),
    )
    hard = forms.BooleanField(
        label=_("This was a hard contact for me"),
        required=False,
        help_text=_("Your supervisor is told, so that they can check in with you."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Deleted with the transcript."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = Topic.objects.filter(is_active=True)  # type: ignore[attr-defined]


class TopicForm(forms.Form):
    name = forms.CharField(label=_("New topic"), max_length=80)


class ListingSearchForm(forms.Form):
    find = forms.CharField(
        label=_("Find a directory listing to share"), max_length=100, required=False
    )
