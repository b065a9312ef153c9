"""Scoring a measure: the rules first.

* Every item may be skipped; a skipped item is simply absent from the answers.
* A value must be one of the item's options; anything else (0 or 7 on a 1-6 item) is refused,
  naming the item. An answer to an item the instrument does not have is refused the same way.
* The total is the sum of the values, and only when every item is answered: no prorating, no
  guessing a skipped item. Otherwise there is no total and the missing items are listed.
* "I'd rather not" for the whole measure has no answers and no total, and is not a failure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from alongside.outcomes.models import Instrument


@dataclass(frozen=True)
class Score:
    answers: dict[str, int]
    total: int | None
    missing: list[str]

    @property
    def complete(self) -> bool:
        return self.total is not None


def clean_answers(instrument: Instrument, answers: Mapping[str, Any]) -> dict[str, int]:
    """The answers as whole numbers by item key; a ``ValidationError`` names each bad item."""
    items = {item["key"]: item for item in instrument.items}
    errors: dict[str, str] = {}
    cleaned: dict[str, int] = {}
    for key, raw in answers.items():
        key = str(key)
        if raw is None or raw == "":
            continue  # skipped
        item = items.get(key)
        if item is None:
            errors[key] = _("Item %(item)s is not part of %(name)s.") % {
                "item": key,
                "name": instrument.short_name,
            }
            continue
        allowed = [option["value"] for option in item["options"]]
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = None
        if (
            isinstance(raw, bool)
            or value is None
            or value not in allowed
            or str(raw).strip() != str(value)
        ):
            errors[key] = _(
                "Item %(item)s takes %(low)s to %(high)s; %(value)s is not one of them."
            ) % {
                "item": key,
                "low": min(allowed),
                "high": max(allowed),
                "value": raw,
            }
            continue
        cleaned[key] = value
    if errors:
        raise ValidationError({f"item_{key}": message for key, message in errors.items()})
    return {key: cleaned[key] for key in items if key in cleaned}


def score(instrument: Instrument, answers: Mapping[str, Any]) -> Score:
    """Check and score ``answers``: a total only when every item is answered."""
    cleaned = clean_answers(instrument, answers)
    missing = [key for key in instrument.item_keys if key not in cleaned]
    total = None if missing else sum(cleaned.values())
    return Score(answers=cleaned, total=total, missing=missing)
