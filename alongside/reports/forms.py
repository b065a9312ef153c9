from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from alongside.lib.dates import months_before

# The longest period one report may cover: a few years of a grant, not all time.
LONGEST = timedelta(days=3 * 366)


def quarter_of(day: date) -> tuple[date, date]:
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return first, months_before(first, -3) - timedelta(days=1)


def last_full_quarter(today: date) -> tuple[date, date]:
    first, _last = quarter_of(today)
    return quarter_of(first - timedelta(days=1))


def recent_quarters(today: date, count: int = 4) -> list[tuple[date, date]]:
    quarters = [quarter_of(today)]
    while len(quarters) < count + 1:
        quarters.append(quarter_of(quarters[-1][0] - timedelta(days=1)))
    return quarters


class DateInput(forms.DateInput):
    input_type = "date"


class PeriodForm(forms.Form):
    """The period picker: ``from`` and ``to`` (both days inside) and whether to suppress."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from"] = forms.DateField(label=_("From"), widget=DateInput)
        self.fields["to"] = forms.DateField(label=_("To"), widget=DateInput)
        self.fields["suppress"] = forms.BooleanField(
            label=_("Suppress small counts (for a funder or the public)"), required=False
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from"), data.get("to")
        if start and end:
            if end < start:
                raise ValidationError(_("The end of the period comes before its start."))
            if end - start > LONGEST:
                raise ValidationError(_("Choose a period of three years or less."))
        return data


class GpraEpisodeForm(forms.Form):
    """An episode's interview dates; the model's own checks run in the service."""

    intake_on = forms.DateField(label=_("Intake interview on"), widget=DateInput)
    followup_on = forms.DateField(
        label=_("6-month follow-up interview on"), required=False, widget=DateInput
    )
    discharge_on = forms.DateField(
        label=_("Discharge interview on"), required=False, widget=DateInput
    )
