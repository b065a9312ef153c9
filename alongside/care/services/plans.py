"""The recovery plan: agreed versions, goals in the person's own words, and progress."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models, transaction

from alongside.care.models import Goal, GoalProgress, Participant, PlanVersion, RecoveryPlan
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


@transaction.atomic
def plan_version_create(
    *, participant: Participant, actor: Any, summary: str, agreed_on: date, agreed_how: str
) -> PlanVersion:
    """Record a newly agreed version of the person's recovery plan."""
    plan = _plan_for(participant)
    last = plan.versions.aggregate(n=models.Max("number"))["n"] or 0
    version = PlanVersion(
        organization=participant.organization,
        plan=plan,
        number=last + 1,
        summary=summary,
        agreed_on=agreed_on,
        agreed_how=agreed_how,
        created_by=actor,
    )
    return record_create(
        version,
        actor=actor,
        fields=["summary", "agreed_on", "agreed_how"],
        participant_id=participant.pk,
    )


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
