"""What reports read of care records: counts and the demographics they are split by.

Every function answers in a fixed number of queries, however many people there are, and
returns plain values (ids, codes, numbers), never records: reports count people, they do not
list them. Everything runs inside an organization scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet, Sum

from alongside.care.access import participant_for_request_or_404 as participant_for_request_or_404
from alongside.care.access import participant_view_audit as participant_view_audit
from alongside.care.access import participants_visible_to as participants_visible_to
from alongside.care.models import (
    Encounter,
    Enrollment,
    Gender,
    Participant,
    RaceEthnicity,
    Referral,
    ServiceCategory,
    Veteran,
)

# The choices reports split and label by, so that reports need not import care's models.
GENDERS = tuple(Gender.choices)
RACE_ETHNICITIES = tuple(RaceEthnicity.choices)
VETERAN_ANSWERS = tuple(Veteran.choices)
PREFER_NOT_TO_SAY = str(Gender.PREFER_NOT_TO_SAY)
DISCHARGE_REASONS = tuple(Enrollment.DischargeReason.choices)
ENCOUNTER_TYPES = tuple(Encounter.Type.choices)
SERVICE_CATEGORIES = tuple(ServiceCategory.choices)
REFERRAL_STATUSES = tuple(Referral.Status.choices)


@dataclass(frozen=True)
class Demographics:
    gender: str
    date_of_birth: date | None
    veteran: str
    race_ethnicity: tuple[str, ...]


def demographics_by_participant() -> dict[Any, Demographics]:
    """Every participant's answers, by id (one query)."""
    rows = Participant.objects.order_by().values_list(
        "pk", "gender", "date_of_birth", "veteran", "race_ethnicity"
    )
    return {
        pk: Demographics(gender, born, veteran, tuple(race or ()))
        for pk, gender, born, veteran, race in rows
    }


def encounters_in(start: date, end: date) -> QuerySet[Encounter]:
    """Encounter notes dated ``start``..``end`` (drafts too) that reached the person or were
    about them: attempts that reached nobody (no answer, a message, a no-show) are left out."""
    return (
        Encounter.objects.filter(date__gte=start, date__lte=end)
        .exclude(contact__in=Encounter.ATTEMPTED)
        .order_by()
    )


@dataclass(frozen=True)
class EncounterTotal:
    """Encounters (and their minutes) of one participant, of one type, with one set of
    service categories."""

    participant_id: Any
    type: str
    service_categories: tuple[str, ...]
    encounters: int
    minutes: int


def encounter_totals(start: date, end: date) -> list[EncounterTotal]:
    """The period's encounters counted by participant, type and categories: one pass over
    them, from which every encounter metric is added up."""
    rows = (
        encounters_in(start, end)
        .values_list("participant_id", "type", "service_categories")
        .annotate(n=Count("pk"), minutes=Sum("duration_minutes"))
    )
    return [
        EncounterTotal(pk, kind, tuple(categories or ()), n, minutes or 0)
        for pk, kind, categories, n, minutes in rows
    ]


def enrollments_started(start: date, end: date) -> list[Any]:
    """The participant of each enrollment that began in the period (one per enrollment)."""
    return list(
        Enrollment.objects.filter(enrolled_on__gte=start, enrolled_on__lte=end)
        .order_by()
        .values_list("participant_id", flat=True)
    )


def discharges_in(start: date, end: date) -> list[tuple[Any, str]]:
    """(participant, reason) of each enrollment that ended in the period."""
    return list(
        Enrollment.objects.filter(discharged_on__gte=start, discharged_on__lte=end)
        .order_by()
        .values_list("participant_id", "discharge_reason")
    )


def referrals_written(start: date, end: date) -> list[tuple[Any, str]]:
    """(participant, status) of each referral written in the period (by its creation day)."""
    return list(
        Referral.objects.filter(created_at__date__gte=start, created_at__date__lte=end)
        .order_by()
        .values_list("participant_id", "status")
    )
