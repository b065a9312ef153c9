"""Referrals: finding a directory listing (or naming a provider) and following it up."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alongside.care import forms as care_forms
from alongside.care import services
from alongside.care.access import participant_for_request_or_404
from alongside.care.models import Referral
from alongside.care.views.common import care_form, care_required, to_participant
from alongside.core.tenancy import get_for_org_or_404
from alongside.directory.selectors import listing_name, listings_for_referral

if TYPE_CHECKING:
    from django.http import HttpResponse

    from alongside.core.tenancy import StaffRequest


def _words(text: str) -> str:
    return " ".join(text.split())[:100]


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def referral_create(request: StaffRequest, pk: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    form = care_forms.ReferralForm(request.POST or None)
    query = _words(request.GET.get("q", ""))
    near = _words(request.GET.get("near", ""))
    listings, search_errors = listings_for_referral(query=query, near=near)
    service_id = request.GET.get("service") or request.POST.get("directory_service_id")
    chosen = listing_name(service_id) if service_id else None
    if chosen and not form.is_bound:
        form.initial["directory_service_id"] = service_id
    return care_form(
        request,
        form,
        save=lambda data: services.referral_create(
            participant=participant, actor=request.user, **data
        ),
        done=lambda _result: to_participant(participant, "referrals"),
        success=_("Referral saved."),
        title=_("Refer to a service"),
        participant=participant,
        template="care/referral_form.html",
        listings=listings,
        query=query,
        near=near,
        search_errors=search_errors,
        chosen=chosen,
    )


@require_POST
@care_required
def referral_status(request: StaffRequest, pk: Any, referral_id: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    referral = get_for_org_or_404(
        Referral, request.organization, pk=referral_id, participant=participant
    )
    return care_form(
        request,
        care_forms.ReferralStatusForm(request.POST),
        save=lambda data: services.referral_update(
            referral=referral, actor=request.user, data=data
        ),
        done=lambda _result: to_participant(participant, "referrals"),
        success=_("Referral updated."),
        title=_("Referral status"),
        participant=participant,
    )
