"""The recovery plan: its agreed versions, and its goals in the person's own words."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from ninja import Schema
from ninja.responses import Status

from alongside.care import services
from alongside.care.api.common import (
    READ,
    WRITE,
    CareRouter,
    care_participant,
    payload_data,
    run_service,
)
from alongside.care.api.fields import CategoryChoice, Day, In, choices_enum, words, writes
from alongside.care.models import Chime, Goal, PlanVersion
from alongside.core.tenancy import get_for_org_or_404

if TYPE_CHECKING:
    from alongside.core.tenancy import StaffRequest

router = CareRouter()

ChimeChoice = choices_enum("Chime", Chime)
GoalStatusChoice = choices_enum("GoalStatus", Goal.Status)
PlanAgreedChoice = choices_enum("PlanAgreed", PlanVersion.AgreedHow)


# --- Schemas ------------------------------------------------------------------------------


class PlanVersionIn(In):
    summary: str = words(10000)
    agreed_on: Day
    agreed_how: PlanAgreedChoice  # type: ignore[valid-type]


class PlanVersionOut(Schema):
    id: UUID
    number: int
    summary: str
    agreed_on: date
    agreed_how: str
    created_by: str

    @staticmethod
    def resolve_created_by(obj: Any) -> str:
        return str(obj.created_by.get_username())


class GoalFields(In):
    text: str = words(5000, default=None, min_length=1)
    service_category: CategoryChoice = None  # type: ignore[valid-type]
    chime: list[ChimeChoice] = []  # type: ignore[valid-type]
    strengths: str = words(5000)
    steps: str = words(5000)
    who_helps: str = words(5000)
    target_date: Day | None = None
    status: GoalStatusChoice = Goal.Status.ACTIVE  # type: ignore[valid-type]


@writes(services.GOAL_FIELDS)
class GoalIn(GoalFields):
    text: str = words(5000, default=..., min_length=1)
    service_category: CategoryChoice  # type: ignore[valid-type]


@writes(services.GOAL_FIELDS)
class GoalPatch(GoalFields):
    """Only the fields sent change."""


class GoalOut(Schema):
    id: UUID
    text: str
    service_category: str
    chime: list[str]
    strengths: str
    steps: str
    who_helps: str
    target_date: date | None
    status: str
    created_at: datetime
    updated_at: datetime


# --- Routes -------------------------------------------------------------------------------


@router.get(
    "/participants/{participant_id}/plans",
    response={200: list[PlanVersionOut], **READ},
    summary="The agreed versions of the recovery plan, newest first",
)
def plan_list(request: StaffRequest, participant_id: UUID) -> Any:
    participant = care_participant(request, participant_id)
    return list(
        PlanVersion.objects.filter(plan__participant=participant)
        .select_related("created_by")
        .order_by("-number")
    )


@router.post(
    "/participants/{participant_id}/plans",
    response={201: PlanVersionOut, **WRITE},
    summary="Record a newly agreed version of the recovery plan",
)
def plan_create(request: StaffRequest, participant_id: UUID, payload: PlanVersionIn) -> Any:
    participant = care_participant(request, participant_id)
    version = run_service(
        services.plan_version_create,
        participant=participant,
        actor=request.user,
        **payload_data(payload),
    )
    return Status(201, version)


@router.get(
    "/participants/{participant_id}/goals",
    response={200: list[GoalOut], **READ},
    summary="The goals of the recovery plan, in the person's own words",
)
def goal_list(request: StaffRequest, participant_id: UUID) -> Any:
    return list(care_participant(request, participant_id).goals.all())


@router.post(
    "/participants/{participant_id}/goals",
    response={201: GoalOut, **WRITE},
    summary="Add a goal",
)
def goal_create(request: StaffRequest, participant_id: UUID, payload: GoalIn) -> Any:
    participant = care_participant(request, participant_id)
    goal = run_service(
        services.goal_create,
        participant=participant,
        actor=request.user,
        data=payload_data(payload),
    )
    return Status(201, goal)


@router.patch(
    "/participants/{participant_id}/goals/{goal_id}",
    response={200: GoalOut, **WRITE},
    summary="Change a goal (its words, steps, status, …)",
)
def goal_update(
    request: StaffRequest, participant_id: UUID, goal_id: UUID, payload: GoalPatch
) -> Any:
    participant = care_participant(request, participant_id)
    goal = get_for_org_or_404(Goal, request.organization, pk=goal_id, participant=participant)
    return run_service(
        services.goal_update,
        goal=goal,
        actor=request.user,
        data=payload_data(payload, partial=True),
    )
