"""The search parameters, validated the same way for the page and the API."""

from __future__ import annotations

import copy
import re
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from alongside.core.synonyms import read_query
from alongside.directory import geo
from alongside.directory.day_parts import BAND_BY_CODE, DAY_CHOICES, TIME_OF_DAY_CHOICES
from alongside.directory.search.params import SearchParams
from alongside.directory.taxonomy import GROUPS, LANGUAGES, TERMS_BY_GROUP


def home_state() -> str:
    """The deployment's own state (``DIRECTORY_HOME_STATE``)."""
    return str(settings.DIRECTORY_HOME_STATE or "")


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


class CountiesInput(forms.TextInput):
    """One box for any number of counties: a shared link may repeat ``county``, and the box
    shows them all, separated by commas, so that the next search keeps them."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        getter = getattr(data, "getlist", data.get)
        return getter(name)

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, list | tuple):
            value = ", ".join(str(v).strip() for v in value if str(v).strip())
        return super().format_value(value)


class CountiesField(forms.Field):
    """Counties by name, given more than once or separated by commas: the gazetteer's spelling
    of each, so that ``Coos`` and ``coos county`` ask the same."""

    widget = CountiesInput
    default_error_messages = {
        "unknown_county": _(
            "We do not know a county called “%(value)s”. Type its name, such as Merrimack "
            "or Coos County."
        ),
        "not_in_state": _("We do not know a county called “%(value)s” in %(state)s."),
    }

    def to_python(self, value: Any) -> list[str]:
        given = value if isinstance(value, list | tuple) else [value or ""]
        return [name.strip() for text in given for name in str(text).split(",") if name.strip()]

    def clean(self, value: Any) -> list[str]:
        counties: list[str] = []
        for name in super().clean(value):
            if counties and (state := geo.state_code(name)) and ", " not in counties[-1]:
                # "Coos County, NH": the state of the county before it.
                if state not in geo.states_with_county(counties[-1]):
                    raise forms.ValidationError(
                        self.error_messages["not_in_state"],
                        code="not_in_state",
                        params={"value": counties[-1], "state": name},
                    )
                counties[-1] = f"{counties[-1]}, {state}"
                continue
            county = geo.county_named(name)
            if county is None:
                raise forms.ValidationError(
                    self.error_messages["unknown_county"],
                    code="unknown_county",
                    params={"value": name},
                )
            if county not in counties:
                counties.append(county)
        return counties


class FlagInput(forms.CheckboxInput):
    """A tick box whose value reaches ``FlagField`` as it was sent, to be read strictly."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)


class FlagField(forms.Field):
    """Yes or no, as ``1`` or ``true`` and ``0`` or ``false`` (any case); absent is no. A
    ticked box sends ``1``."""

    widget = FlagInput
    default_error_messages = {"invalid": _("Use 1 or true for yes, and 0 or false for no.")}
    FLAGS = {"": False, "0": False, "false": False, "1": True, "true": True}

    def to_python(self, value: Any) -> bool:
        if value is None or isinstance(value, bool):
            return bool(value)
        flag = self.FLAGS.get(str(value).strip().lower())
        if flag is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return flag

    def prepare_value(self, value: Any) -> bool:
        # What the box shows: ticked for a yes only, even when the value is refused.
        if value is None or isinstance(value, bool):
            return bool(value)
        return self.FLAGS.get(str(value).strip().lower(), False)


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
    county = CountiesField(
        label=_("County"),
        required=False,
        help_text=_("One or more, separated by commas, such as Coos, Sullivan."),
    )
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
    open_now = FlagField(label=_("Open now"), required=False)
    # "Tuesday evening": listings (groups, mostly) whose weekly hours fall then.
    day = forms.ChoiceField(
        label=_("Open on"), required=False, choices=[("", _("Any day")), *DAY_CHOICES]
    )
    time_of_day = forms.ChoiceField(
        label=_("Time of day"),
        required=False,
        choices=[("", _("Any time")), *TIME_OF_DAY_CHOICES],
    )
    peer_run = FlagField(label=_("Peer-run only"), required=False)
    open_at = forms.DateTimeField(label=_("Open at"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=SORTS,
        # Shown above the results, outside the form's element but still part of it.
        widget=forms.Select(attrs={"form": "search-form"}),
    )
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
        self.reading = read_query("")
        # Other towns a town typed without its state may have meant ("Did you mean …?").
        self.other_places: list[geo.Place] = []

    def when_words(self) -> str:
        """ "on Tuesday evening", "on Tuesday", "in the evening": what day and time asked."""
        data = getattr(self, "cleaned_data", {})
        day = dict(DAY_CHOICES).get(data.get("day") or "")
        band = BAND_BY_CODE.get(data.get("time_of_day") or "")
        part = band.word if band else ""
        if day and part:
            return _("on %(day)s %(part)s") % {"day": day, "part": part}
        if day:
            return _("on %(day)s") % {"day": day}
        if part:
            return _("in the %(part)s") % {"part": part}
        return ""

    def clean_near(self) -> str:
        near = self.cleaned_data["near"].strip()
        if near:
            try:
                self.place = geo.resolve_place(near, home_state())
            except geo.PlaceAmbiguous as ambiguous:
                self.other_places = ambiguous.towns
                raise forms.ValidationError(
                    _("There is more than one “%(near)s”. Choose one below, or add its state."),
                    params={"near": near},
                    code="ambiguous_place",
                ) from None
            except geo.PlaceNotFound:
                raise forms.ValidationError(
                    _(
                        "We could not find “%(near)s”. Try a 5-digit ZIP code such as 03301, "
                        "or a town and state such as Keene, NH."
                    ),
                    params={"near": near},
                    code="unknown_place",
                ) from None
            self.other_places = geo.other_towns(self.place, near, home_state())
        return near

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("sort") == "distance" and not data.get("near") and "near" not in self.errors:
            self.add_error("sort", _("Sorting by distance needs a place in “Near”."))
        return data

    def params(self) -> SearchParams:
        """The search asked, once the form is valid."""
        if not self.is_valid():
            raise ValueError("the search form is not valid")
        data = dict(self.cleaned_data)
        # Everyday words ("alcohol", "AA", "suboxone") asked as the filters that answer them.
        self.reading = read_query(data.get("q") or "")
        if self.reading.codes:
            data["q"] = self.reading.rest
            for tag in self.reading.codes:
                group, _sep, code = tag.partition(":")
                if group in data and code not in data[group]:
                    data[group] = [*data[group], code]
        return SearchParams.of(data, self.place)


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


class ListingForm(forms.Form):
    """A directory editor's edit of a listing: the public fields a suggestion can change,
    checked as the suggestion form checks them."""

    LABELS = {
        "name": _("Name"),
        "phone": _("Phone number"),
        "url": _("Website"),
        "email": _("E-mail"),
        "fees_description": _("Cost"),
        "description": _("Description"),
    }
    note = forms.CharField(label=_("Note for the history"), required=False, max_length=1000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from alongside.directory.services import SUGGESTIBLE_FIELDS

        super().__init__(*args, **kwargs)
        note = self.fields.pop("note")
        for name in SUGGESTIBLE_FIELDS:
            field = copy.deepcopy(SuggestionForm.base_fields[name])
            field.label = self.LABELS[name]
            self.fields[name] = field
        self.fields["name"].required = True
        self.fields["hours"] = forms.CharField(
            label=_("Weekly hours"),
            required=False,
            max_length=3000,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text=_(
                "One line for each: the days (MO TU WE TH FR SA SU, separated by commas), "
                "the times on a 24-hour clock, and a note if any, such as “TU,TH 19:00-20:30 "
                "Evening group”. Hours for a single day (holidays) stay as they are."
            ),
        )
        self.fields["address_1"] = forms.CharField(
            label=_("Street address"), required=False, max_length=300
        )
        self.fields["city"] = forms.CharField(label=_("Town"), required=False, max_length=120)
        self.fields["state_province"] = forms.CharField(
            label=_("State"), required=False, max_length=60
        )
        self.fields["postal_code"] = forms.CharField(
            label=_("ZIP code"), required=False, max_length=20
        )
        self.fields["note"] = note

    def values(self) -> dict[str, str]:
        """The listing's fields as cleaned, without the note; of the hours and the address,
        only those the form sent (a form without them changes neither)."""
        from alongside.directory.services import SUGGESTIBLE_FIELDS

        return {
            name: self.cleaned_data[name]
            for name in self.fields
            if name != "note" and (name in SUGGESTIBLE_FIELDS or name in self.data)
        }


class ClaimForm(forms.Form):
    provider = forms.UUIDField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("How is your organization this provider?"), required=False, max_length=1000
    )


class ClaimDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("reject", _("Reject"))], widget=forms.HiddenInput
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)
