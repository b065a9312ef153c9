"""Safety concerns: recording one (and saying who was told), and a supervisor closing it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alongside.care import forms as care_forms
from alongside.care import services
from alongside.care.access import TEAM_ROLES, care_settings, participant_for_request_or_404
from alongside.care.models import SafetyConcern
from alongside.care.views.common import care_form, care_required, to_participant
from alongside.core.tenancy import get_for_org_or_404, staff_required

if TYPE_CHECKING:
    from django.http import HttpResponse

    from alongside.core.tenancy import StaffRequest


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def safety_concern_create(request: StaffRequest, pk: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)

    def done(concern: SafetyConcern) -> HttpResponse:
        # Said after the concern's transaction committed: the e-mails have gone, or failed.
        told = services.safety_told_message(concern)
        if concern.supervisor_notified:
            messages.success(request, told)
        else:
            messages.warning(request, told)
        return to_participant(participant, "safety")

    return care_form(
        request,
        care_forms.SafetyConcernForm(request.POST or None),
        save=lambda data: services.safety_concern_raise(
            participant=participant, actor=request.user, **data
        ),
        done=done,
        title=_("Safety concern"),
        participant=participant,
        submit=_("Record and tell my supervisor"),
        template="care/safety_form.html",
        protocol=care_settings().safety_protocol,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required(*TEAM_ROLES)
def safety_concern_resolve(request: StaffRequest, pk: Any, concern_id: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    concern = get_for_org_or_404(
        SafetyConcern, request.organization, pk=concern_id, participant=participant
    )
    if concern.resolved_at is not None:
        messages.info(request, _("This concern is already resolved."))
        return to_participant(participant, "safety")
    return care_form(
        request,
        care_forms.SafetyResolveForm(request.POST or None),
        save=lambda data: services.safety_concern_resolve(
            concern=concern, actor=request.user, **data
        ),
        done=lambda _result: to_participant(participant, "safety"),
        success=_("Closed, with the follow-up recorded."),
        title=_("Close a safety concern"),
        intro=_(
            "Say what follow-up happened after this concern was raised. It is kept with the "
            "concern, and the concern leaves the open list."
        ),
        participant=participant,
        submit=_("Close the concern"),
        template="care/safety_resolve.html",
        concern=concern,
    )
