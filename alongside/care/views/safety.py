"""Safety concerns: recording one, and a supervisor marking it resolved."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alongside.care import forms as care_forms
from alongside.care import services
from alongside.care.access import TEAM_ROLES, care_settings, participant_for_request_or_404
from alongside.care.models import SafetyConcern
from alongside.care.views.common import care_form, care_required, to_participant
from alongside.core.forms import act_and_tell
from alongside.core.tenancy import get_for_org_or_404, staff_required

if TYPE_CHECKING:
    from django.http import HttpResponse

    from alongside.core.tenancy import StaffRequest


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def safety_concern_create(request: StaffRequest, pk: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    return care_form(
        request,
        care_forms.SafetyConcernForm(request.POST or None),
        save=lambda data: services.safety_concern_raise(
            participant=participant, actor=request.user, **data
        ),
        done=lambda _result: to_participant(participant, "safety"),
        # True to what happens today: the concern waits on the supervisors' caseload page.
        success=_(
            "Recorded. Your supervisors see it under Open safety concerns on their caseload page."
        ),
        title=_("Safety concern"),
        participant=participant,
        submit=_("Record and tell my supervisor"),
        template="care/safety_form.html",
        protocol=care_settings().safety_protocol,
    )


@require_POST
@staff_required(*TEAM_ROLES)
def safety_concern_resolve(request: StaffRequest, pk: Any, concern_id: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    concern = get_for_org_or_404(
        SafetyConcern, request.organization, pk=concern_id, participant=participant
    )
    act_and_tell(
        request,
        lambda: services.safety_concern_resolve(concern=concern, actor=request.user),
        _("Marked as resolved."),
    )
    return to_participant(participant, "safety")
