"""Break-glass access to a record outside one's caseload, and the organization's care settings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alongside.care import forms as care_forms
from alongside.care import selectors, services
from alongside.care.access import TEAM_ROLES, care_settings
from alongside.care.models import BreakGlass, Participant
from alongside.care.views.common import care_form, care_required, to_participant, uuid_or_404
from alongside.core.audit import audit_views
from alongside.core.roles import Role
from alongside.core.tenancy import get_for_org_or_404, staff_required

if TYPE_CHECKING:
    from django.http import HttpResponse

    from alongside.core.tenancy import StaffRequest


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def break_glass(request: StaffRequest) -> HttpResponse:
    """Open, for a few hours, a record outside one's caseload; supervisors review each use."""
    # Names are POSTed, never put in a URL.
    query = " ".join(request.POST.get("q", "").split())[:100]
    matches = selectors.participants_outside_caseload(request.membership, query)
    opening = request.method == "POST" and "participant" in request.POST
    form = care_forms.BreakGlassForm(request.POST if opening else None)
    if opening:
        participant = get_for_org_or_404(
            Participant,
            request.organization,
            pk=uuid_or_404(request.POST.get("participant", "")),
        )
        if form.is_valid():
            services.break_glass_open(
                participant=participant, actor=request.user, reason=form.cleaned_data["reason"]
            )
            return to_participant(participant)
    if query:
        audit_views(
            request=request,
            participant_ids=[p.pk for p in matches],
            object_type="care.break_glass_search",
        )
    return render(
        request,
        "care/break_glass.html",
        {
            "query": query,
            "matches": matches,
            "form": form,
            "restricted": care_settings().own_caseload_only,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@staff_required(*TEAM_ROLES)
def break_glass_review(request: StaffRequest, grant_id: Any) -> HttpResponse:
    grant = get_for_org_or_404(BreakGlass, request.organization, pk=grant_id)
    services.break_glass_review(grant=grant, actor=request.user)
    messages.success(request, _("Marked as reviewed."))
    return redirect("care:dashboard")


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required(Role.ORG_ADMIN)
def care_settings_edit(request: StaffRequest) -> HttpResponse:
    organization = request.organization
    form = care_forms.CareSettingsForm(
        request.POST or None,
        instance=care_settings(),
        initial={"is_part2_program": organization.is_part2_program},
    )
    return care_form(
        request,
        form,
        save=lambda data: services.care_settings_update(
            organization=organization, actor=request.user, **data
        ),
        done=lambda _result: redirect("care:settings"),
        success=_("Settings saved."),
        title=_("Care settings"),
    )
