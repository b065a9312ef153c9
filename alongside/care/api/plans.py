"""The recovery plan: its agreed versions with their goals, its goals in the person's own
words, and the wellness and crisis plan."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from alongside.care import services
from alongside.care.api.common import (
    READ,
    WRITE,
    CareRouter,
    care_participant,
    field_error,
    payload_data,
    run_service,
)
from alongside.care.api.fields import CategoryChoice, Day, In, choices_enum, words, writes
from alongside.care.models import Chime, Goal, PlanVersion, WellnessPlan
from alongside.care.models.wellness import WELLNESS_TEXT_LIMIT
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
    review_by: Day | None = Field(
        None, description="Defaults to the organization's review period after `agreed_on`."
    )
    goals: list[UUID] | None = Field(
        None,
        description="Ids of the person's goals this version holds, kept as they read now; "
        "by default the goals still worked on or paused.",
    )


class PlanGoalOut(Schema):
    """A goal as the version agreed it; later edits to the goal leave this as it was."""

    goal_id: UUID
    text: str
    service_category: str
    chime: list[str]
    strengths: str
    steps: str
    who_helps: str
    target_date: date | None
    status: str


class PlanVersionOut(Schema):
    id: UUID
    number: int
    summary: str
    agreed_on: date
    agreed_how: str
    review_by: date
    created_by: str
    goals: list[PlanGoalOut]

    @staticmethod
    def resolve_created_by(obj: Any) -> str:
        return str(obj.created_by.get_username())

    @staticmethod
    def resolve_goals(obj: Any) -> list[Any]:
        return list(obj.goal_rows.all())


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
        .prefetch_related("goal_rows")
        .order_by("-number")
    )


@router.post(
    "/participants/{participant_id}/plans",
    response={201: PlanVersionOut, **WRITE},
    summary="Record a newly agreed version of the recovery plan",
)
def plan_create(request: StaffRequest, participant_id: UUID, payload: PlanVersionIn) -> Any:
    participant = care_participant(request, participant_id)
    data = payload_data(payload)
    if "goals" in data:
        wanted = set(data["goals"])
        goals = list(participant.goals.filter(pk__in=wanted))
        if len(goals) != len(wanted):
            raise field_error("goals", _("Name goals of this person only."))
        data["goals"] = sorted(goals, key=lambda g: data["goals"].index(g.pk))
    version = run_service(
        services.plan_version_create, participant=participant, actor=request.user, **data
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


def _their_words() -> Any:
    return words(WELLNESS_TEXT_LIMIT)


@writes(services.WELLNESS_FIELDS)
class WellnessPlanIn(In):
    """The whole plan: a part left out is stored empty. At least one part must be written."""

    keeps_me_well: str = _their_words()
    early_signs: str = _their_words()
    what_helps: str = _their_words()
    who_to_call: str = _their_words()
    do_not_want: str = _their_words()
    updated_on: Day = Field(description="When the person last went over it with staff.")


class WellnessPlanOut(Schema):
    keeps_me_well: str
    early_signs: str
    what_helps: str
    who_to_call: str
    do_not_want: str
    updated_on: date
    written_with: str
    updated_at: datetime

    @staticmethod
    def resolve_written_with(obj: Any) -> str:
        return str(obj.written_with.get_username())


@router.get(
    "/participants/{participant_id}/wellness-plan",
    response={200: WellnessPlanOut, **READ},
    summary="The wellness and crisis plan, in the person's own words",
    description="404 with a `detail` saying so when none is written yet.",
)
def wellness_plan_get(request: StaffRequest, participant_id: UUID) -> Any:
    participant = care_participant(request, participant_id)
    plan = (
        WellnessPlan.objects.filter(participant=participant).select_related("written_with").first()
    )
    if plan is None:
        raise HttpError(404, _("No wellness and crisis plan is written yet."))
    return plan


@router.put(
    "/participants/{participant_id}/wellness-plan",
    response={200: WellnessPlanOut, **WRITE},
    summary="Write or replace the wellness and crisis plan",
    description="The token's user is recorded as the one who wrote it with the person.",
)
def wellness_plan_put(request: StaffRequest, participant_id: UUID, payload: WellnessPlanIn) -> Any:
    participant = care_participant(request, participant_id)
    return run_service(
        services.wellness_plan_save,
        participant=participant,
        actor=request.user,
        data=payload.model_dump(),
    )
