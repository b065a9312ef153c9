"""Splitting a count of people by the demographics care records collect.

Every split has a "not recorded" row (never asked, or left blank) and a "prefer not to say"
row, even when they are zero, so that a funder sees the gaps. Race and ethnicity follow
OMB's SPD 15 (2024): one question, more than one answer allowed. A person counts under each
answer they gave, so those rows add up to more than the total; a "more than one answer" row
says how many gave several. Age is the age on the last day of the period; date of birth has
no "prefer not to say" answer, so that row of the age split is always zero.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from alongside.care.report_selectors import (
    GENDERS,
    PREFER_NOT_TO_SAY,
    RACE_ETHNICITIES,
    VETERAN_ANSWERS,
    Demographics,
)
from alongside.reports.registry import Row

NOT_RECORDED = "not_recorded"
MORE_THAN_ONE = "more_than_one"
DIMENSIONS = ("race_ethnicity", "gender", "age_band", "veteran")
DIMENSION_LABELS = {
    "race_ethnicity": _("Race and ethnicity"),
    "gender": _("Gender"),
    "age_band": _("Age"),
    "veteran": _("Veteran"),
}
# (first age, last age or None, key, label)
AGE_BANDS = (
    (0, 17, "under_18", _("Under 18")),
    (18, 24, "18_24", _("18 to 24")),
    (25, 34, "25_34", _("25 to 34")),
    (35, 44, "35_44", _("35 to 44")),
    (45, 54, "45_54", _("45 to 54")),
    (55, 64, "55_64", _("55 to 64")),
    (65, None, "65_over", _("65 and over")),
)
TAIL = ((NOT_RECORDED, _("Not recorded")), (PREFER_NOT_TO_SAY, _("Prefer not to say")))


def categories(dimension: str) -> list[tuple[str, Any]]:
    """A split's rows in their fixed order, the two kinds of missing answer last."""
    if dimension == "race_ethnicity":
        answers = [(k, v) for k, v in RACE_ETHNICITIES if k != PREFER_NOT_TO_SAY]
        return [*answers, (MORE_THAN_ONE, _("More than one answer")), *TAIL]
    if dimension == "age_band":
        return [(key, label) for _first, _last, key, label in AGE_BANDS] + list(TAIL)
    choices = GENDERS if dimension == "gender" else VETERAN_ANSWERS
    return [(k, v) for k, v in choices if k != PREFER_NOT_TO_SAY] + list(TAIL)


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def keys_for(dimension: str, person: Demographics | None, on: date) -> list[str]:
    """The rows of ``dimension`` a person counts in."""
    if person is None:
        return [NOT_RECORDED]
    if dimension == "race_ethnicity":
        answers = list(dict.fromkeys(person.race_ethnicity))
        if not answers:
            return [NOT_RECORDED]
        return answers + ([MORE_THAN_ONE] if len(answers) > 1 else [])
    if dimension == "age_band":
        if person.date_of_birth is None:
            return [NOT_RECORDED]
        age = age_on(person.date_of_birth, on)
        for first, last, key, _label in AGE_BANDS:
            if age >= first and (last is None or age <= last):
                return [key]
        return [NOT_RECORDED]  # born after the period: a typing error, not an age
    value = getattr(person, dimension)
    return [value or NOT_RECORDED]


def split(
    weights: Mapping[Any, int],
    people: Mapping[Any, Demographics],
    on: date,
    measure: str,
    *,
    count: bool = True,
) -> list[Row]:
    """Rows of every demographic split: the sum of ``weights`` (one per person for a count of
    people, or each person's encounters) in each category."""
    rows = []
    for dimension in DIMENSIONS:
        sums: dict[str, int] = defaultdict(int)
        for pk, weight in weights.items():
            for key in keys_for(dimension, people.get(pk), on):
                sums[key] += weight
        rows += [
            Row(dimension, key, str(label), measure, sums.get(key, 0), count)
            for key, label in categories(dimension)
        ]
    return rows
