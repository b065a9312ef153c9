"""The measure as a form: one group of choices per item, every item optional."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.outcomes.models import Instrument

SKIP = ""


def item_field_name(key: str) -> str:
    return f"item_{key}"


class MeasureForm(forms.Form):
    """Every item of ``instrument``; with ``staff``, the day it was filled in too.

    Values are checked by the service (``scoring``), which names the item it refuses.
    """

    declined = forms.BooleanField(
        label=_("I'd rather not answer this measure today"),
        required=False,
        help_text=_("That is fine. It is recorded as your choice, with no score."),
    )

    def __init__(self, *args: Any, instrument: Instrument, staff: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        for number, item in enumerate(instrument.items, start=1):
            choices = [
                (str(o["value"]), f"{o['value']} – {o['label']}" if o["label"] else str(o["value"]))
                for o in item["options"]
            ]
            self.fields[item_field_name(item["key"])] = forms.CharField(
                label=f"{number}. {item['text']}",
                required=False,
                widget=forms.RadioSelect(choices=[*choices, (SKIP, _("Skip this one"))]),
            )
        if staff:
            self.fields["completed_on"] = forms.DateField(
                label=_("Filled in on"),
                initial=timezone.localdate,
                widget=forms.DateInput(attrs={"type": "date"}),
            )
        # "I'd rather not" last, after the items.
        self.fields["declined"] = self.fields.pop("declined")

    def answers(self) -> dict[str, str]:
        return {
            item["key"]: self.cleaned_data.get(item_field_name(item["key"])) or ""
            for item in self.instrument.items
        }


class LinkForm(forms.Form):
    kind = forms.CharField(widget=forms.HiddenInput)
    instrument = forms.CharField(required=False, widget=forms.HiddenInput)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
