"""Encounter notes: writing a draft, signing it, and amending a signed note."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alongside.care import forms as care_forms
from alongside.care import services
from alongside.care.access import participant_for_request_or_404
from alongside.care.models import Encounter
from alongside.care.views.common import care_form, care_required
from alongside.core.tenancy import get_for_org_or_404

if TYPE_CHECKING:
    from django.http import HttpResponse

    from alongside.care.models import Participant
    from alongside.core.tenancy import StaffRequest


def _encounter(request: StaffRequest, participant: Participant, encounter_id: Any) -> Encounter:
    return get_for_org_or_404(
        Encounter, request.organization, pk=encounter_id, participant=participant
    )


def _to_encounter(encounter: Encounter) -> HttpResponse:
    return redirect("care:encounter", pk=encounter.participant_id, encounter_id=encounter.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def encounter_create(request: StaffRequest, pk: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    return care_form(
        request,
        care_forms.EncounterForm(request.POST or None, participant=participant),
        save=lambda data: services.encounter_create(
            participant=participant, actor=request.user, data=data, goals=data.pop("goals")
        ),
        done=_to_encounter,
        success=_("Draft saved. Read it over, then sign it."),
        title=_("Write an encounter note"),
        participant=participant,
        wide=True,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def encounter_detail(request: StaffRequest, pk: Any, encounter_id: Any) -> HttpResponse:
    """A note: editable while a draft; once signed, read-only with amendments below."""
    participant = participant_for_request_or_404(request, pk)
    encounter = _encounter(request, participant, encounter_id)
    if encounter.is_signed:
        if request.method == "POST":
            messages.error(request, _("This note is signed. Add an amendment instead."))
            return _to_encounter(encounter)
        context = {
            "participant": participant,
            "encounter": encounter,
            "amend_form": care_forms.AmendForm(),
            "amendments": encounter.amendments.select_related("written_by"),
        }
        return render(request, "care/encounter.html", context)
    return care_form(
        request,
        care_forms.EncounterForm(request.POST or None, instance=encounter, participant=participant),
        # The form has written its data onto ``encounter``; the service compares with a fresh
        # copy to know what changed.
        save=lambda data: services.encounter_update(
            encounter=_encounter(request, participant, encounter_id),
            actor=request.user,
            data=data,
            goals=data.pop("goals"),
        ),
        done=lambda _result: _to_encounter(encounter),
        success=_("Draft saved."),
        title=_("Encounter note"),
        participant=participant,
        template="care/encounter.html",
        encounter=encounter,
    )


@require_POST
@care_required
def encounter_sign(request: StaffRequest, pk: Any, encounter_id: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    encounter = _encounter(request, participant, encounter_id)
    try:
        services.encounter_sign(encounter=encounter, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Note signed."))
    return _to_encounter(encounter)


@require_POST
@care_required
def encounter_amend(request: StaffRequest, pk: Any, encounter_id: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    encounter = _encounter(request, participant, encounter_id)
    return care_form(
        request,
        care_forms.AmendForm(request.POST),
        save=lambda data: services.note_amend(
            encounter=encounter, actor=request.user, text=data["text"]
        ),
        done=lambda _result: _to_encounter(encounter),
        success=_("Amendment added."),
        title=_("Amend a signed note"),
        participant=participant,
    )
