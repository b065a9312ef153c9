from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.directory.selectors import listing_choices
from alongside.warmline.models import ContactRecord, Topic
from alongside.warmline.services import E164


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


# Spaces, dashes, dots and brackets people write a number with; the number is the rest.
NUMBER_PUNCTUATION = str.maketrans("", "", " -.()\u00a0")


class LineForm(forms.Form):
    """A line's settings (``services.LINE_FIELDS``), for its organization's admin."""

    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("As people see it on the warm line page, e.g. Granite Peer Warm Line."),
    )
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=60,
        help_text=_("Lower-case letters, digits and hyphens, e.g. granite-warm-line."),
        error_messages={
            "invalid": _(
                "Use only letters, digits, hyphens and underscores, with no spaces, "
                "e.g. granite-warm-line."
            )
        },
    )
    listing_id = forms.TypedChoiceField(
        label=_("Directory listing"),
        coerce=uuid.UUID,
        help_text=_(
            "The line's hours are this listing's hours: the line is open when the directory "
            "says the listing is open now. Change the hours in the directory."
        ),
        error_messages={"invalid_choice": _("Choose a listing from the list.")},
    )
    sms_number = forms.CharField(
        label=_("Text number"),
        required=False,
        max_length=30,
        help_text=_(
            "The number people text, with a plus sign and the country code, e.g. "
            "+16035550150. Leave it empty if the line takes no texts."
        ),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_(
            "An active line takes chats and texts. The public warm line page shows the "
            "first active line."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[Any] = [("", _("Choose a listing"))]
        self.fields["listing_id"].choices = choices + listing_choices()  # type: ignore[attr-defined]

    def clean_sms_number(self) -> str:
        number = self.cleaned_data["sms_number"].translate(NUMBER_PUNCTUATION)
        if number and not E164.fullmatch(number):
            raise forms.ValidationError(
                _(
                    "Write the text number with a plus sign and the country code, "
                    "e.g. +16035550150."
                ),
                code="invalid",
            )
        return number
