"""How minutes become units and money, and the daily cap: the payer's rules, as plain functions.

Rules:

* ``cms_8_minute``: units = ⌊minutes / unit⌋, plus one more when the remainder is at least
  8 minutes (for 15-minute units: 8–22 minutes is 1 unit, 23–37 is 2, 38–52 is 3).
* ``whole_units``: units = ⌊minutes / unit⌋; a part unit is never billed.
* The daily cap counts units per participant, per procedure code, per date of service, in
  time order: the earlier encounter is billed first; units past the cap are held.
"""

from __future__ import annotations

from alongside.billing.models import Rounding

# The remainder, in minutes, from which the 8-minute rule bills one more unit.
EIGHT_MINUTES = 8


def units_for(minutes: int, *, rounding: str, unit_minutes: int = 15) -> int:
    """The units ``minutes`` of service come to under the payer's rounding."""
    whole, remainder = divmod(max(minutes, 0), unit_minutes)
    if rounding == Rounding.CMS_8_MINUTE and remainder >= EIGHT_MINUTES:
        return whole + 1
    return whole


def cap_split(units: int, *, used: int, cap: int | None) -> tuple[int, int]:
    """(units billed, units held) for a line when ``used`` units of the day are already billed."""
    if cap is None:
        return units, 0
    allowed = max(cap - used, 0)
    return min(units, allowed), max(units - allowed, 0)


def dollars(cents: int) -> str:
    """Integer cents as dollars with two decimals: 1234 -> "12.34"."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"
