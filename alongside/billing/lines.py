"""From encounters to lines: units, amounts, holds and the daily cap (no writes here).

A group encounter is one line per attendee (each attendee has their own encounter in care)
with the modifier HQ. The daily cap is applied last, to the lines nothing else holds, in
time order; units past the cap become a held line of their own (reason ``daily cap``), so an
encounter may appear once billed and once held.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, time
from typing import Any

from alongside.billing.holds import Facts, Hold, hold_reasons
from alongside.billing.models import Payer
from alongside.billing.rules import cap_split, units_for
from alongside.care.models import Encounter

PEER_SERVICE = "H0038"
GROUP_MODIFIER = "HQ"
# An 837P claim (loop 2300) carries at most 50 service lines: loop 2400 repeats 50 times in the
# 005010X222A1 guide (pyx12's map of it, pyx12/map/837.5010.X222.A1.xml, says the same).
MAX_LINES_PER_CLAIM = 50


@dataclass
class LineDraft:
    encounter_id: Any
    participant_id: Any
    specialist_id: Any
    date: date
    start_time: time
    code: str
    modifiers: tuple[str, ...]
    minutes: int
    units: int
    rate_cents: int | None
    reasons: list[str] = field(default_factory=list)

    @property
    def amount_cents(self) -> int:
        return (self.rate_cents or 0) * self.units

    @property
    def held(self) -> bool:
        return bool(self.reasons)


def service_for(payer: Payer, encounter: Encounter) -> tuple[str, tuple[str, ...], int | None]:
    """The procedure code, modifiers and rate (cents per unit, or None) for an encounter."""
    modifiers = (GROUP_MODIFIER,) if encounter.type == Encounter.Type.GROUP else ()
    for service in payer.services:
        if tuple(service["modifiers"]) == modifiers:
            return service["code"], modifiers, service.get("rate_cents")
    return PEER_SERVICE, modifiers, None


def draft_for(encounter: Encounter, payer: Payer, facts: Facts) -> LineDraft:
    """One encounter's line, with every hold reason except the daily cap."""
    code, modifiers, rate = service_for(payer, encounter)
    minutes = encounter.duration_minutes
    units = units_for(minutes, rounding=payer.rounding, unit_minutes=payer.unit_minutes)
    reasons = hold_reasons(encounter, facts)
    if units == 0:
        reasons.append(Hold.under_a_unit())
    if rate is None:
        reasons.append(Hold.no_rate())
    return LineDraft(
        encounter_id=encounter.pk,
        participant_id=encounter.participant_id,
        specialist_id=encounter.specialist_id,
        date=encounter.date,
        start_time=encounter.start_time,
        code=code,
        modifiers=modifiers,
        minutes=minutes,
        units=units,
        rate_cents=rate,
        reasons=reasons,
    )


def apply_daily_cap(drafts: list[LineDraft], cap: int | None) -> list[LineDraft]:
    """The drafts with the cap applied: earlier billable lines first, the rest held."""
    if cap is None:
        return drafts
    used: dict[tuple[Any, str, date], int] = defaultdict(int)
    result: list[LineDraft] = []
    for draft in sorted(drafts, key=lambda d: (d.date, d.start_time, str(d.encounter_id))):
        if draft.held:
            result.append(draft)
            continue
        key = (draft.participant_id, draft.code, draft.date)
        billed, over = cap_split(draft.units, used=used[key], cap=cap)
        used[key] += billed
        if billed == draft.units:
            result.append(draft)
        elif billed:
            result.append(replace(draft, units=billed))
        if over:
            result.append(replace(draft, units=over, reasons=[Hold.daily_cap()]))
    return result


def build_lines(
    encounters: list[Encounter], payer: Payer, *, today: date, facts: Facts | None = None
) -> list[LineDraft]:
    """The lines for these encounters under ``payer``'s rules, billable and held."""
    facts = facts or Facts.load(payer, encounters, today=today)
    drafts = [draft_for(encounter, payer, facts) for encounter in encounters]
    return apply_daily_cap(drafts, payer.daily_cap_units)


def claim_chunks(
    drafts: list[LineDraft], limit: int = MAX_LINES_PER_CLAIM
) -> list[list[LineDraft]]:
    """One person's billable lines cut into claims of at most ``limit`` lines, in time order.

    A day's lines stay on one claim unless that day alone has more than ``limit``; then the
    day runs on into the next claim. The order is the lines' (date, start, encounter), so the
    same lines always make the same claims.
    """
    ordered = sorted(drafts, key=lambda d: (d.date, d.start_time, str(d.encounter_id)))
    days: dict[date, list[LineDraft]] = defaultdict(list)
    for draft in ordered:
        days[draft.date].append(draft)
    chunks: list[list[LineDraft]] = [[]]
    for day_lines in days.values():
        if chunks[-1] and len(chunks[-1]) + len(day_lines) > limit:
            chunks.append([])
        for draft in day_lines:
            if len(chunks[-1]) == limit:
                chunks.append([])
            chunks[-1].append(draft)
    return [chunk for chunk in chunks if chunk]
