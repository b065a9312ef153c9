"""Housing, work and coverage on a person's page: each noted with its dates, kept as history."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from alongside.care import forms as care_forms
from alongside.care import services
from alongside.care.access import participant_for_request_or_404
from alongside.care.models import Coverage
from alongside.care.views.common import care_form, care_required, to_participant
from alongside.core.forms import act_and_tell
from alongside.core.tenancy import get_for_org_or_404

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.forms import BaseForm
    from django.http import HttpResponse

    from alongside.core.tenancy import StaffRequest

# Each history a person's page keeps: its form, the service that records it, and its title.
HISTORIES: dict[str, tuple[type[BaseForm], Callable[..., Any], Any]] = {
    "housing": (
        care_forms.HousingStatusForm,
        services.housing_status_record,
        gettext_lazy("Note where they live"),
    ),
    "employment": (
        care_forms.EmploymentStatusForm,
        services.employment_status_record,
        gettext_lazy("Note their work"),
    ),
}


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def status_record(request: StaffRequest, pk: Any, kind: str) -> HttpResponse:
    """Housing or work from a day on; the participant page has the same form folded away."""
    participant = participant_for_request_or_404(request, pk)
    if kind not in HISTORIES:
        raise Http404
    form_class, service, title = HISTORIES[kind]
    return care_form(
        request,
        form_class(request.POST or None, auto_id=f"{kind}_%s"),
        save=lambda data: service(participant=participant, actor=request.user, data=data),
        done=lambda _result: to_participant(participant, "circumstances"),
        success=_("Saved. The earlier ones stay as history."),
        title=str(title),
        participant=participant,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def coverage_create(request: StaffRequest, pk: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    return care_form(
        request,
        care_forms.CoverageForm(request.POST or None),
        save=lambda data: services.coverage_create(
            participant=participant, actor=request.user, data=data
        ),
        done=lambda _result: to_participant(participant, "coverage"),
        success=_("Coverage added."),
        title=_("Add coverage"),
        participant=participant,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def coverage_edit(request: StaffRequest, pk: Any, coverage_id: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    coverage = get_for_org_or_404(
        Coverage, request.organization, pk=coverage_id, participant=participant
    )
    return care_form(
        request,
        care_forms.CoverageForm(request.POST or None, instance=coverage),
        # The form has written its data onto ``coverage``; the service compares with a fresh
        # copy to know what changed.
        save=lambda data: services.coverage_update(
            coverage=get_for_org_or_404(
                Coverage, request.organization, pk=coverage_id, participant=participant
            ),
            actor=request.user,
            data=data,
        ),
        done=lambda _result: to_participant(participant, "coverage"),
        success=_("Coverage saved."),
        title=_("Change coverage"),
        participant=participant,
        template="care/coverage_form.html",
        coverage=coverage,
    )


@require_POST
@care_required
def coverage_delete(request: StaffRequest, pk: Any, coverage_id: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    coverage = get_for_org_or_404(
        Coverage, request.organization, pk=coverage_id, participant=participant
    )
    act_and_tell(
        request,
        lambda: services.coverage_delete(coverage=coverage, actor=request.user),
        _("Coverage removed."),
    )
    return to_participant(participant, "coverage")
