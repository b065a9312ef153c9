"""Reading recovery measures: the instruments an organization may offer, a person's trend per
measure beside their goals, and the program's counts (never a ranking of specialists)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from alongside.care.plan_selectors import GoalMilestone, goal_milestones
from alongside.outcomes.models import Administration, Instrument

if TYPE_CHECKING:
    from alongside.care.models import Participant
    from alongside.core.models import Organization


def instruments_for(organization: Organization) -> QuerySet[Instrument]:
    """The instruments shipped with Alongside and those this organization loaded itself."""
    return Instrument.objects.filter(
        Q(organization__isnull=True) | Q(organization=organization)
    ).order_by("code", "-version", "language")


def instrument_by_code(organization: Organization, code: str) -> Instrument | None:
    """The newest version of the measure with this code (in English when there is a choice)."""
    candidates = list(instruments_for(organization).filter(code=code))
    candidates.sort(key=lambda i: (i.version, i.language == "en"), reverse=True)
    return candidates[0] if candidates else None


def suitable_instruments(organization: Organization, participant: Participant) -> list[Instrument]:
    """One instrument per code (its newest version) that suits the person's focus."""
    shown: dict[str, Instrument] = {}
    for instrument in instruments_for(organization):
        if participant.focus in instrument.focus and instrument.code not in shown:
            shown[instrument.code] = instrument
    return list(shown.values())


def _current() -> Any:
    """Annotation: has a newer administration corrected this one?"""
    return Exists(Administration.objects.filter(supersedes=OuterRef("pk")))


def administrations_of(participant: Participant) -> QuerySet[Administration]:
    """Every administration of the person, corrected ones included, oldest first."""
    return (
        Administration.objects.filter(participant=participant)
        .select_related("instrument", "entered_by")
        .annotate(is_superseded=_current())
        .order_by("completed_on", "created_at")
    )


@dataclass
class Series:
    """One measure's trend for one person: what the chart and its table both show."""

    instrument: Instrument
    administrations: list[Administration] = field(default_factory=list)
    declined: list[Administration] = field(default_factory=list)
    incomplete: list[Administration] = field(default_factory=list)

    @property
    def points(self) -> list[tuple[date, int]]:
        return [(a.completed_on, a.total) for a in self.administrations if a.total is not None]

    @property
    def rows(self) -> list[tuple[Administration, int | None]]:
        """Each complete administration with its change since the one before."""
        rows: list[tuple[Administration, int | None]] = []
        previous = None
        for a in self.administrations:
            rows.append((a, None if previous is None else a.total - previous))  # type: ignore[operator]
            previous = a.total
        return rows

    @property
    def change_since_first(self) -> int | None:
        points = self.points
        return points[-1][1] - points[0][1] if len(points) > 1 else None

    @property
    def change_since_last(self) -> int | None:
        points = self.points
        return points[-1][1] - points[-2][1] if len(points) > 1 else None

    @property
    def latest(self) -> int | None:
        points = self.points
        return points[-1][1] if points else None


@dataclass
class Measures:
    series: list[Series]
    goals: list[GoalMilestone]


def measures_for(participant: Participant) -> Measures:
    """Each measure the person filled in (corrections applied), with their goals."""
    by_code: dict[str, Series] = {}
    for administration in administrations_of(participant):
        if administration.is_superseded:  # type: ignore[attr-defined]
            continue
        series = by_code.setdefault(
            administration.instrument.code, Series(instrument=administration.instrument)
        )
        if administration.declined:
            series.declined.append(administration)
        elif administration.total is None:
            series.incomplete.append(administration)
        else:
            series.administrations.append(administration)
        # The newest version's wording and reference points describe the series.
        series.instrument = administration.instrument
    return Measures(series=list(by_code.values()), goals=goal_milestones(participant))


@dataclass(frozen=True)
class FollowUp:
    """One person's totals of one measure, for a period: their first total ever, and their
    latest total taken in the period (the same one when they have no follow-up)."""

    instrument: str
    participant_id: Any
    first: int
    latest: int
    has_follow_up: bool

    @property
    def change(self) -> int:
        return self.latest - self.first


def follow_ups(*, start: date, end: date) -> list[FollowUp]:
    """Per measure (by code) and person, in the organization in scope: everyone with a total
    taken in the period. Their first total is their first ever, even from before the period; a
    follow-up is a later total taken in the period; totals after the period are left out.
    Corrected administrations count as their correction; declined and incomplete ones not at
    all. One query, in a fixed order."""
    rows = (
        Administration.objects.filter(completed_on__lte=end, total__isnull=False)
        .annotate(is_superseded=_current())
        .filter(is_superseded=False)
        .order_by("completed_on", "created_at", "pk")
        .values_list("instrument__code", "participant_id", "completed_on", "total")
    )
    first: dict[tuple[str, Any], int] = {}
    latest: dict[tuple[str, Any], int] = {}
    later: set[tuple[str, Any]] = set()
    for code, participant_id, day, total in rows:
        key = (code, participant_id)
        if total is None:  # excluded by the filter; says so to the type checker
            continue
        if key not in first:
            first[key] = total
        elif day >= start:
            later.add(key)
        if day >= start:
            latest[key] = total
    return [
        FollowUp(code, pk, first[(code, pk)], value, (code, pk) in later)
        for (code, pk), value in sorted(
            latest.items(), key=lambda item: (item[0][0], str(item[0][1]))
        )
    ]


def average_change(changes: list[int]) -> Decimal | None:
    """The mean of the changes to one decimal place, halves rounded away from zero."""
    if not changes:
        return None
    mean = Decimal(sum(changes)) / Decimal(len(changes))
    return mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def instrument_names(codes: Any) -> dict[str, str]:
    """The short name of each measure code (its newest version's, in English if there is one)."""
    found: dict[str, tuple[tuple[str, bool], str]] = {}
    rows = Instrument.objects.filter(code__in=list(codes)).values_list(
        "code", "version", "language", "short_name"
    )
    for code, version, language, short_name in rows:
        rank = (version, language == "en")
        if code not in found or rank > found[code][0]:
            found[code] = (rank, short_name)
    return {code: name for code, (_rank, name) in found.items()}


@dataclass(frozen=True)
class ProgramRow:
    code: str
    instrument: str
    measured: int
    with_follow_up: int
    average_change: Decimal | None


def program_summary(*, start: date, end: date) -> list[ProgramRow]:
    """Per measure, in the organization in scope (``follow_ups``): how many people have a total
    in the period, how many of them a follow-up, and the average change from each one's first
    total to their latest in the period. Nobody's caseload is compared. Two queries."""
    return program_rows(follow_ups(start=start, end=end))


def program_rows(found: list[FollowUp]) -> list[ProgramRow]:
    """``program_summary`` of follow-ups already read."""
    by_code: dict[str, list[FollowUp]] = defaultdict(list)
    for row in found:
        by_code[row.instrument].append(row)
    names = instrument_names(by_code)
    summary = []
    for code in sorted(by_code):
        people = by_code[code]
        changes = [p.change for p in people if p.has_follow_up]
        summary.append(
            ProgramRow(
                code=code,
                instrument=names.get(code, code),
                measured=len(people),
                with_follow_up=len(changes),
                average_change=average_change(changes),
            )
        )
    return summary
