"""Reading recovery plans: the plan current on a day, versions with their goals, plans due.

The rule for a current plan, which billing asks about for each date of service:

* the plan's versions agreed on or before the day are the candidates, and the latest of them
  (by agreement date, then version number) is the one in force: a newer version replaces an
  older one even when the older one's review-by date has not passed;
* that version is current only if its review-by date is on or after the day. A plan past its
  review-by date is not current until a newly agreed version is recorded.

So a version agreed on March 2 with review by May 31 is current from March 2 to May 31
inclusive, and on June 1 there is no current plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Prefetch, Subquery
from django.utils import timezone

from alongside.care.access import participants_visible_to, sees_whole_team
from alongside.care.models import (
    Appointment,
    Consent,
    Disclosure,
    Encounter,
    Enrollment,
    Goal,
    Participant,
    PlanVersion,
    PlanVersionGoal,
    Referral,
    Restriction,
    WellnessPlan,
)

if TYPE_CHECKING:
    from alongside.care.models.participants import ParticipantQuerySet
    from alongside.core.models import Membership

# A plan whose review-by date falls within this many days is listed as due.
REVIEW_SOON_DAYS = 14
# Newest agreement first: the order in which one version replaces another.
IN_FORCE_ORDER = ("-agreed_on", "-number")


def plan_current_on(participant: Participant, day: date) -> PlanVersion | None:
    """The version of the person's plan current on ``day``, or None (rule: module docstring)."""
    latest = (
        PlanVersion.objects.filter(plan__participant=participant, agreed_on__lte=day)
        .order_by(*IN_FORCE_ORDER)
        .first()
    )
    if latest is None or latest.review_by < day:
        return None
    return latest


@dataclass
class VersionGoal:
    """A goal as a version holds it, and how it differs from the version before."""

    row: PlanVersionGoal
    change: str  # "first" (version 1), "new", "changed" or "same" as the version before


@dataclass
class VersionWithGoals:
    version: PlanVersion
    goals: list[VersionGoal]
    # Goals the version before held that this one does not.
    dropped: list[PlanVersionGoal] = field(default_factory=list)


def plan_versions_with_goals(participant: Participant) -> list[VersionWithGoals]:
    """Every agreed version, newest first, with its goals as agreed and what changed."""
    versions = list(
        PlanVersion.objects.filter(plan__participant=participant)
        .select_related("created_by")
        .prefetch_related(Prefetch("goal_rows", queryset=PlanVersionGoal.objects.all()))
        .order_by("number")
    )
    result: list[VersionWithGoals] = []
    before: dict[object, PlanVersionGoal] = {}
    for version in versions:
        rows = list(version.goal_rows.all())
        goals = []
        for row in rows:
            earlier = before.get(row.goal_id)
            if earlier is None:
                change = "new" if result else "first"
            else:
                change = "same" if row.same_as(earlier) else "changed"
            goals.append(VersionGoal(row=row, change=change))
        kept = {row.goal_id for row in rows}
        dropped = [r for goal_id, r in before.items() if goal_id not in kept]
        result.append(VersionWithGoals(version=version, goals=goals, dropped=dropped))
        before = {row.goal_id: row for row in rows}
    result.reverse()
    return result


def _latest_version() -> Subquery:
    return Subquery(
        PlanVersion.objects.filter(plan__participant=OuterRef("pk"))
        .order_by(*IN_FORCE_ORDER)
        .values("review_by")[:1]
    )


def caseload_of(membership: Membership) -> ParticipantQuerySet:
    """The people whose plans ``membership`` keeps: the team for supervisors, else their own."""
    visible = participants_visible_to(membership)
    if sees_whole_team(membership):
        return visible
    return visible.filter(
        Exists(
            Participant.specialists.through.objects.filter(
                participant_id=OuterRef("pk"), user_id=membership.user_id
            )
        )
    )


@dataclass
class PlansDue:
    """Enrolled people whose plan is due for review (most overdue first), and those without one.

    Each person carries ``review_by``: the latest agreed version's review-by date.
    """

    today: date
    due: list[Participant]
    no_plan: list[Participant]
    soon_days: int = REVIEW_SOON_DAYS


def plans_due(membership: Membership, *, today: date, limit: int | None = None) -> PlansDue:
    """Plans of the caseload whose review-by date is past or within ``REVIEW_SOON_DAYS``."""
    people = (
        caseload_of(membership)
        .enrolled()
        .annotate(review_by=_latest_version())
        .prefetch_related("specialists")
    )
    due = people.filter(review_by__lte=today + timedelta(days=REVIEW_SOON_DAYS)).order_by(
        "review_by", "preferred_name", "id"
    )
    no_plan = people.filter(review_by__isnull=True).order_by("preferred_name", "id")
    if limit is not None:
        return PlansDue(today=today, due=list(due[:limit]), no_plan=list(no_plan[:limit]))
    return PlansDue(today=today, due=list(due), no_plan=list(no_plan))


@dataclass
class PersonCopy:
    """What the person's own copy shows: their plan in their words and what we hold."""

    participant: Participant
    today: date
    plan: VersionWithGoals | None
    goals_since: list[Goal]
    wellness: WellnessPlan | None
    enrollments: list[Enrollment]
    consents: list[Consent]
    restrictions: list[Restriction]
    disclosures: list[Disclosure]
    encounters: list[Encounter]
    referrals: list[Referral]
    appointments: list[Appointment]


def person_copy(participant: Participant, *, today: date) -> PersonCopy:
    """The person's plan (the latest agreed version) and the summary of their record.

    Encounters come without the note text: dates, kinds and with whom (see docs/care.md).
    """
    versions = plan_versions_with_goals(participant)
    in_force = max(
        versions,
        key=lambda v: (v.version.agreed_on, v.version.number),
        default=None,
    )
    agreed_goals = {g.row.goal_id for g in in_force.goals} if in_force else set()
    goals_since = [
        g
        for g in participant.goals.filter(status=Goal.Status.ACTIVE).order_by("created_at")
        if g.pk not in agreed_goals
    ]
    return PersonCopy(
        participant=participant,
        today=today,
        plan=in_force,
        goals_since=goals_since,
        wellness=WellnessPlan.objects.filter(participant=participant)
        .select_related("written_with")
        .first(),
        enrollments=list(participant.enrollments.order_by("enrolled_on")),
        consents=list(participant.consents.all()),
        restrictions=list(participant.restrictions.all()),
        disclosures=list(participant.disclosures.select_related("user")),
        encounters=list(
            participant.encounters.select_related("specialist")
            .only("id", "date", "type", "contact", "duration_minutes", "start_time", "specialist")
            .order_by("-date", "-start_time")
        ),
        referrals=list(participant.referrals.all()),
        appointments=list(
            participant.appointments.filter(
                starts_at__date__gte=today, cancelled_at__isnull=True
            ).order_by("starts_at")
        ),
    )


@dataclass(frozen=True)
class GoalMilestone:
    """A goal on a timeline: the day it was set and, once achieved, the day it was marked so."""

    text: str
    set_on: date
    achieved_on: date | None


def goal_milestones(participant: Participant) -> list[GoalMilestone]:
    """The person's goals in the order they were set, for timelines beside other records.

    A goal keeps no date of achievement of its own; an achieved goal's last change is the day
    it was marked achieved, or a later edit of its words.
    """
    goals = participant.goals.only("text", "status", "created_at", "updated_at")
    return [
        GoalMilestone(
            text=goal.text,
            set_on=timezone.localdate(goal.created_at),
            achieved_on=timezone.localdate(goal.updated_at)
            if goal.status == Goal.Status.ACHIEVED
            else None,
        )
        for goal in goals.order_by("created_at", "id")
    ]
