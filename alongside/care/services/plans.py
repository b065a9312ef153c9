"""The recovery plan: agreed versions with their goals, goals in the person's own words,
progress, and the wellness and crisis plan."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from alongside.care.access import care_settings
from alongside.care.models import (
    Goal,
    GoalProgress,
    Participant,
    PlanVersion,
    PlanVersionGoal,
    RecoveryPlan,
    WellnessPlan,
)
from alongside.core.records import record_create, record_update

GOAL_FIELDS = (
    "text",
    "service_category",
    "chime",
    "strengths",
    "steps",
    "who_helps",
    "target_date",
    "status",
)


def _plan_for(participant: Participant) -> RecoveryPlan:
    plan, _created = RecoveryPlan.objects.get_or_create(
        participant=participant, defaults={"organization": participant.organization}
    )
    return plan


# Goals a new version keeps when none are named: those still being worked on.
GOALS_ON_THE_PLAN = (Goal.Status.ACTIVE, Goal.Status.PAUSED)
WELLNESS_FIELDS = (*WellnessPlan.PARTS, "updated_on")


def plan_goals_by_default(participant: Participant) -> list[Goal]:
    """The goals a newly agreed version holds unless others are chosen."""
    return list(participant.goals.filter(status__in=GOALS_ON_THE_PLAN).order_by("created_at", "id"))


@transaction.atomic
def plan_version_create(
    *,
    participant: Participant,
    actor: Any,
    summary: str,
    agreed_on: date,
    agreed_how: str,
    review_by: date | None = None,
    goals: Iterable[Goal] | None = None,
) -> PlanVersion:
    """Record a newly agreed version of the plan, keeping its goals as they read today.

    ``goals`` are the person's goals this version holds (by default those still worked on);
    ``review_by`` defaults to the organization's ``plan_review_days`` after ``agreed_on``.
    """
    chosen = plan_goals_by_default(participant) if goals is None else list(goals)
    if any(goal.participant_id != participant.pk for goal in chosen):
        raise ValidationError({"goals": _("Choose goals of this person only.")})
    plan = _plan_for(participant)
    last = plan.versions.aggregate(n=models.Max("number"))["n"] or 0
    if review_by is None and agreed_on is not None:
        review_by = agreed_on + timedelta(days=care_settings().plan_review_days)
    version = PlanVersion(
        organization=participant.organization,
        plan=plan,
        number=last + 1,
        summary=summary,
        agreed_on=agreed_on,
        agreed_how=agreed_how,
        review_by=review_by,
        created_by=actor,
    )
    # The goals' words are copied, so a later edit leaves what was agreed as it was.
    record_create(
        version,
        actor=actor,
        fields=["summary", "agreed_on", "agreed_how", "review_by", "goals"],
        participant_id=participant.pk,
    )
    PlanVersionGoal.objects.bulk_create(
        PlanVersionGoal(
            organization=participant.organization,
            version=version,
            goal=goal,
            position=position,
            status=goal.status,
            **{name: getattr(goal, name) for name in PlanVersionGoal.KEPT},
        )
        for position, goal in enumerate(dict.fromkeys(chosen))
    )
    return version


@transaction.atomic
def goal_create(*, participant: Participant, actor: Any, data: dict[str, Any]) -> Goal:
    """Add a goal, in the person's own words, to their recovery plan."""
    goal = Goal(
        organization=participant.organization, participant=participant, plan=_plan_for(participant)
    )
    return record_create(goal, actor=actor, fields=GOAL_FIELDS, data=data)


def goal_update(*, goal: Goal, actor: Any, data: dict[str, Any]) -> Goal:
    """Change a goal (its words, steps, status, …)."""
    record_update(goal, actor=actor, fields=GOAL_FIELDS, data=data)
    return goal


def goal_progress_add(*, goal: Goal, actor: Any, note: str) -> GoalProgress:
    """Note progress on a goal."""
    progress = GoalProgress(organization=goal.organization, goal=goal, note=note, written_by=actor)
    return record_create(progress, actor=actor, fields=["note"], participant_id=goal.participant_id)


@transaction.atomic
def wellness_plan_save(
    *, participant: Participant, actor: Any, data: dict[str, Any]
) -> WellnessPlan:
    """Write or change the person's wellness and crisis plan; ``actor`` wrote it with them."""
    plan = WellnessPlan.objects.select_for_update().filter(participant=participant).first()
    if plan is None:
        plan = WellnessPlan(
            organization=participant.organization, participant=participant, written_with=actor
        )
        return record_create(plan, actor=actor, fields=WELLNESS_FIELDS, data=data)
    record_update(
        plan,
        actor=actor,
        fields=(*WELLNESS_FIELDS, "written_with"),
        data={**data, "written_with": actor},
    )
    return plan
