"""The recovery plan: agreed versions, goals and progress on them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alongside.care import forms as care_forms
from alongside.care import services
from alongside.care.access import participant_for_request_or_404
from alongside.care.models import Goal
from alongside.care.views.common import care_form, care_required, to_participant
from alongside.core.tenancy import get_for_org_or_404

if TYPE_CHECKING:
    from django.http import HttpResponse

    from alongside.core.tenancy import StaffRequest


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def plan_version_create(request: StaffRequest, pk: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    return care_form(
        request,
        care_forms.PlanVersionForm(request.POST or None),
        save=lambda data: services.plan_version_create(
            participant=participant, actor=request.user, **data
        ),
        done=lambda _result: to_participant(participant, "plan"),
        success=_("Plan recorded."),
        title=_("Record the agreed recovery plan"),
        participant=participant,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def goal_form(request: StaffRequest, pk: Any, goal_id: Any = None) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)

    def goal_of_participant() -> Goal:
        return get_for_org_or_404(Goal, request.organization, pk=goal_id, participant=participant)

    goal = goal_of_participant() if goal_id else None

    def save(data: dict[str, Any]) -> Goal:
        if goal is None:
            return services.goal_create(participant=participant, actor=request.user, data=data)
        # The form has written its data onto ``goal``; the service compares with a fresh copy.
        return services.goal_update(goal=goal_of_participant(), actor=request.user, data=data)

    return care_form(
        request,
        care_forms.GoalForm(request.POST or None, instance=goal),
        save=save,
        done=lambda _result: to_participant(participant, "plan"),
        success=_("Goal saved."),
        title=_("Add a goal") if goal is None else _("Edit goal"),
        participant=participant,
        intro=_("Write the goal the way the person says it, in their own words."),
        template="care/goal_form.html",
        progress_form=care_forms.ProgressForm() if goal else None,
        goal=goal,
    )


@require_POST
@care_required
def goal_progress(request: StaffRequest, pk: Any, goal_id: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    goal = get_for_org_or_404(Goal, request.organization, pk=goal_id, participant=participant)
    return care_form(
        request,
        care_forms.ProgressForm(request.POST),
        save=lambda data: services.goal_progress_add(
            goal=goal, actor=request.user, note=data["note"]
        ),
        done=lambda _result: to_participant(participant, "plan"),
        success=_("Progress noted."),
        title=_("Note progress"),
        participant=participant,
    )
