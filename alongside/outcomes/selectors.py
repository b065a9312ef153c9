"""Reading recovery measures: the instruments an organization may offer, a person's trend per
measure beside their goals, and the program's counts (never a ranking of specialists)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
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
class ProgramRow:
    instrument: str
    with_first: int
    with_follow_up: int
    average_change: float | None


def program_summary(*, start: date, end: date) -> list[ProgramRow]:
    """Per measure, in the organization in scope, for administrations completed in the period:
    how many people have a first (one or more complete) and a follow-up (two or more), and the
    average change from each person's first to their latest. Nobody's caseload is compared.
    """
    rows = (
        Administration.objects.filter(
            completed_on__gte=start, completed_on__lte=end, total__isnull=False
        )
        .annotate(is_superseded=_current())
        .filter(is_superseded=False)
        .order_by("completed_on", "created_at")
        .values_list("instrument__short_name", "participant_id", "total")
    )
    totals: dict[str, dict[Any, list[int]]] = defaultdict(lambda: defaultdict(list))
    for name, participant_id, total in rows:
        if total is not None:
            totals[name][participant_id].append(total)
    summary = []
    for name in sorted(totals):
        people = totals[name]
        changes = [values[-1] - values[0] for values in people.values() if len(values) > 1]
        summary.append(
            ProgramRow(
                instrument=name,
                with_first=len(people),
                with_follow_up=len(changes),
                average_change=round(sum(changes) / len(changes), 1) if changes else None,
            )
        )
    return summary
