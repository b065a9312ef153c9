"""The dashboard, the participant lists, and a person's page, details and enrollment."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from alongside.care import forms as care_forms
from alongside.care import selectors, services
from alongside.care.access import TEAM_ROLES, participant_for_request_or_404
from alongside.care.models import Consent, Referral
from alongside.care.views.common import care_form, care_required, to_participant
from alongside.core.audit import audit_views
from alongside.core.panels import participant_panels_for

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.forms import BaseForm
    from django.http import HttpResponse

    from alongside.core.tenancy import StaffRequest

LIST_VIEWS = {
    "mine": gettext_lazy("My participants"),
    "active": gettext_lazy("Everyone active"),
    "unassigned": gettext_lazy("Needs assignment"),
}


@require_http_methods(["GET", "HEAD"])
@care_required
def dashboard(request: StaffRequest) -> HttpResponse:
    data = selectors.caseload_dashboard(request.membership)
    audit_views(
        request=request, participant_ids=data.participant_ids(), object_type="care.dashboard"
    )
    return render(request, "care/dashboard.html", {"d": data})


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def participant_list(request: StaffRequest) -> HttpResponse:
    """The three lists; a name search is POSTed so that names never appear in a URL."""
    which = request.GET.get("show", "mine")
    if which not in LIST_VIEWS:
        which = "mine"
    query = " ".join(request.POST.get("q", "").split())[:100] if request.method == "POST" else ""
    participants = selectors.participants_list(request.membership, which=which, search=query)
    page = Paginator(participants, 50).get_page(None if query else request.GET.get("page"))
    audit_views(
        request=request,
        participant_ids=[p.pk for p in page.object_list],
        object_type="care.participant_list",
    )
    return render(
        request,
        "care/participant_list.html",
        {
            "page": page,
            "which": which,
            "which_label": LIST_VIEWS[which],
            "query": query,
            "views": LIST_VIEWS,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def participant_create(request: StaffRequest) -> HttpResponse:
    def save(data: dict[str, Any]) -> Any:
        return services.participant_create(
            organization=request.organization,
            actor=request.user,
            data=data,
            specialists=data.pop("specialists"),
            enrolled_on=data.pop("enrolled_on"),
            agreement_how=data.pop("agreement_how"),
        )

    return care_form(
        request,
        care_forms.ParticipantCreateForm(request.POST or None, organization=request.organization),
        save=save,
        done=to_participant,
        success=_("Participant added and enrolled."),
        title=_("Add a participant"),
        submit=_("Add and enroll"),
        wide=True,
    )


@require_http_methods(["GET", "HEAD"])
@care_required
def participant_detail(request: StaffRequest, pk: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    return render(
        request,
        "care/participant_detail.html",
        {
            "r": selectors.participant_record(participant),
            "participant": participant,
            "is_team": request.membership.has_role(*TEAM_ROLES),
            "revoke_how": Consent.RevokedHow.choices,
            "referral_statuses": Referral.Status.choices,
            "discharge_form": care_forms.DischargeForm(auto_id="discharge_%s"),
            "enroll_form": care_forms.EnrollForm(auto_id="enroll_%s"),
            "pathway_form": care_forms.PathwayForm(auto_id="pathway_%s"),
            "housing_form": care_forms.HousingStatusForm(auto_id="housing_%s"),
            "employment_form": care_forms.EmploymentStatusForm(auto_id="employment_%s"),
            # Apps above care add sections here (outcomes: the person's recovery measures).
            "participant_panels": participant_panels_for(request, participant),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def participant_edit(request: StaffRequest, pk: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    form = care_forms.ParticipantForm(
        request.POST or None, instance=participant, organization=request.organization
    )
    return care_form(
        request,
        form,
        # The form has already written its data onto ``participant``; the service compares
        # against a fresh copy to know what changed.
        save=lambda data: services.participant_update(
            participant=participant_for_request_or_404(request, pk),
            actor=request.user,
            data=data,
            specialists=data.pop("specialists"),
        ),
        done=lambda _result: to_participant(participant),
        success=_("Details saved."),
        title=_("Edit details"),
        participant=participant,
        wide=True,
    )


# Each enrollment change: its form, the service it calls, and the page's title.
ENROLLMENT_ACTIONS: dict[str, tuple[type[BaseForm], Callable[..., Any]]] = {
    "discharge": (care_forms.DischargeForm, services.participant_discharge),
    "reenroll": (care_forms.EnrollForm, services.participant_reenroll),
    "pathway": (care_forms.PathwayForm, services.participant_pathway_change),
}


@require_POST
@care_required
def participant_enrollment(request: StaffRequest, pk: Any, action: str) -> HttpResponse:
    """Discharge, re-enroll or change pathway, from the forms on the participant page."""
    participant = participant_for_request_or_404(request, pk)
    if action not in ENROLLMENT_ACTIONS:
        raise Http404
    form_class, service = ENROLLMENT_ACTIONS[action]
    return care_form(
        request,
        form_class(request.POST),
        save=lambda data: service(participant=participant, actor=request.user, **data),
        done=lambda _result: to_participant(participant, "enrollment"),
        success=_("Enrollment updated."),
        title=_("Enrollment"),
        participant=participant,
    )
