"""The recovery plan: agreed versions and their goals, progress, plans due for review, and
the wellness and crisis plan."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alongside.care import forms as care_forms
from alongside.care import plan_selectors, services
from alongside.care.access import care_settings, participant_for_request_or_404
from alongside.care.models import Goal, PlanVersion, WellnessPlan
from alongside.care.views.common import care_form, care_required, to_participant
from alongside.core.audit import audit_views
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
        care_forms.PlanVersionForm(
            request.POST or None,
            participant=participant,
            review_days=care_settings().plan_review_days,
        ),
        save=lambda data: services.plan_version_create(
            participant=participant, actor=request.user, **data
        ),
        done=lambda _result: to_participant(participant, "plan"),
        success=_("Plan recorded."),
        title=_("Record a newly agreed version of the plan")
        if participant.recovery_plans.filter(versions__isnull=False).exists()
        else _("Record the agreed recovery plan"),
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
        intro=_("Write the goal the way the person says it, in their own words.")
        if goal is None
        else _(
            "Write the goal the way the person says it, in their own words. Plan versions "
            "already agreed keep the goal as it read then; record a newly agreed version "
            "when the person agrees to the change."
        ),
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


@require_http_methods(["GET", "HEAD"])
@care_required
def plan_version_detail(request: StaffRequest, pk: Any, version_id: Any) -> HttpResponse:
    """One agreed version with its goals as they read on the day it was agreed."""
    participant = participant_for_request_or_404(request, pk)
    version = get_for_org_or_404(
        PlanVersion, request.organization, pk=version_id, plan__participant=participant
    )
    versions = plan_selectors.plan_versions_with_goals(participant)
    shown = next(v for v in versions if v.version.pk == version.pk)
    return render(
        request,
        "care/plan_version.html",
        {"participant": participant, "v": shown, "versions": versions},
    )


@require_http_methods(["GET", "HEAD"])
@care_required
def plans_due(request: StaffRequest) -> HttpResponse:
    """Plans of the caseload due for review, most overdue first, and people without a plan."""
    due = plan_selectors.plans_due(request.membership, today=timezone.localdate())
    audit_views(
        request=request,
        participant_ids=[p.pk for p in (*due.due, *due.no_plan)],
        object_type="care.plans_due",
    )
    return render(request, "care/plans_due.html", {"due": due})


@require_http_methods(["GET", "HEAD"])
@care_required
def wellness_plan(request: StaffRequest, pk: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    plan = WellnessPlan.objects.filter(participant=participant).select_related("written_with")
    return render(
        request,
        "care/wellness_plan.html",
        {"participant": participant, "plan": plan.first()},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def wellness_plan_edit(request: StaffRequest, pk: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    existing = WellnessPlan.objects.filter(participant=participant).first()
    return care_form(
        request,
        # The form writes onto its own copy; the service reads the saved plan afresh.
        care_forms.WellnessPlanForm(request.POST or None, instance=existing),
        save=lambda data: services.wellness_plan_save(
            participant=participant, actor=request.user, data=data
        ),
        done=lambda _result: redirect("care:wellness_plan", pk=participant.pk),
        success=_("Wellness and crisis plan saved."),
        title=_("Wellness and crisis plan"),
        participant=participant,
        intro=_(
            "Write each part the way the person says it. Leave a part empty if they "
            "do not want to fill it in."
        ),
    )
