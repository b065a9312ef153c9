"""The search parameters, validated the same way for the page and the API."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.directory import geo
from alongside.directory.taxonomy import GROUPS, LANGUAGES, TERMS_BY_GROUP

SORTS = [("distance", _("Nearest")), ("relevance", _("Best match")), ("name", _("Name"))]
# A language as listings give it: ISO 639-1 (two letters), or three (asl); any case.
LANGUAGE_CODE = re.compile(r"[a-zA-Z]{2,3}")


class LanguagesField(forms.MultipleChoiceField):
    """The languages offered as boxes to tick, and any other code of the right shape: a link
    or the API may ask for a language that only a few listings speak."""

    def to_python(self, value: Any) -> list[str]:
        return [code.strip().lower() for code in super().to_python(value)]

    def valid_value(self, value: Any) -> bool:
        return bool(LANGUAGE_CODE.fullmatch(str(value))) or super().valid_value(value)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("What are you looking for?"), required=False, max_length=200)
    near = forms.CharField(
        label=_("Near"),
        required=False,
        max_length=100,
        help_text=_("A ZIP code like 03301, or a town like Concord, NH."),
    )
    radius = forms.IntegerField(
        label=_("Within (miles)"), required=False, min_value=1, max_value=500, initial=25
    )
    county = forms.CharField(label=_("County"), required=False, max_length=80)
    language = LanguagesField(
        label=_("Language"),
        error_messages={
            "invalid_choice": _(
                "“%(value)s” is not a language code. Use two letters, such as es for Spanish."
            )
        },
        required=False,
        choices=LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
    )
    open_now = forms.BooleanField(label=_("Open now"), required=False)
    open_at = forms.DateTimeField(label=_("Open at"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORTS)
    page = forms.IntegerField(required=False, min_value=1, initial=1)
    per_page = forms.IntegerField(required=False, min_value=1, max_value=100, initial=20)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for group, label in GROUPS.items():
            self.fields[group] = forms.MultipleChoiceField(
                label=label,
                required=False,
                choices=[(t.code, t.label) for t in TERMS_BY_GROUP[group]],
                widget=forms.CheckboxSelectMultiple,
            )
        self.place: geo.Place | None = None

    def clean_near(self) -> str:
        near = self.cleaned_data["near"].strip()
        if near:
            try:
                self.place = geo.resolve_place(near)
            except geo.PlaceNotFound:
                raise forms.ValidationError(
                    _(
                        "We could not find “%(near)s”. Try a 5-digit ZIP code such as 03301, "
                        "or a town and state such as Keene, NH."
                    ),
                    params={"near": near},
                    code="unknown_place",
                ) from None
        return near

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("sort") == "distance" and not data.get("near") and "near" not in self.errors:
            self.add_error("sort", _("Sorting by distance needs a place in “Near”."))
        return data


class SuggestionForm(forms.Form):
    """A correction from anyone; every field is optional but something must be said."""

    name = forms.CharField(label=_("Correct name"), required=False, max_length=300)
    phone = forms.CharField(label=_("Correct phone number"), required=False, max_length=40)
    url = forms.URLField(
        label=_("Correct website"), required=False, max_length=300, assume_scheme="https"
    )
    email = forms.EmailField(label=_("Correct e-mail"), required=False)
    description = forms.CharField(
        label=_("Better description"), required=False, max_length=3000, widget=forms.Textarea
    )
    fees_description = forms.CharField(label=_("Cost"), required=False, max_length=500)
    message = forms.CharField(
        label=_("What else is wrong? (hours, address, anything)"),
        required=False,
        max_length=3000,
        widget=forms.Textarea,
    )
    contact = forms.CharField(
        label=_("Your e-mail or phone, if we may ask you about it"), required=False, max_length=200
    )
    # Honeypot: hidden from people (and screen readers); bots fill it in.
    homepage = forms.CharField(required=False, label=_("Leave this empty"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        fields = ("name", "phone", "url", "email", "description", "fees_description", "message")
        if not any(data.get(f) for f in fields):
            raise forms.ValidationError(
                _("Tell us what is wrong, or type a corrected value in one of the boxes.")
            )
        return data


class VerifyForm(forms.Form):
    method = forms.ChoiceField(label=_("How did you check?"), choices=[])
    on = forms.DateField(
        label=_("Checked on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from alongside.directory.models import Service

        super().__init__(*args, **kwargs)
        self.fields["method"].choices = Service.VerificationMethod.choices  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    accept = forms.MultipleChoiceField(
        label=_("Apply these changes"), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("Note for the history"), required=False, max_length=1000)

    def __init__(self, *args: Any, fields: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accept"].choices = [(f, f) for f in fields]  # type: ignore[attr-defined]
