"""Encounter notes: writing a draft, signing what is on screen, review, and amendments.

Only the author edits and signs a draft; everyone else who may open the record reads it, and a
supervisor may return it with a comment or co-sign it once signed. "Sign…" on the note's form
saves what is on screen first and then shows exactly that version to confirm.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alongside.care import forms as care_forms
from alongside.care import services
from alongside.care.access import (
    TEAM_ROLES,
    care_settings,
    participant_for_request_or_404,
    participant_view_audit,
)
from alongside.care.models import Encounter
from alongside.care.views.common import care_form, care_required, uuid_or_404
from alongside.core.forms import act_and_tell
from alongside.core.panels import note_panels_for
from alongside.core.tenancy import get_for_org_or_404, staff_required

if TYPE_CHECKING:
    from django.http import HttpResponse

    from alongside.care.models import Participant
    from alongside.core.tenancy import StaffRequest

# The words of a note: autosave keeps them even while another field is still unfinished.
NOTE_TEXT_FIELDS = ("setting", "worked_on", "response", "next_steps")
SIGN = "sign"


def _encounter(request: StaffRequest, participant: Participant, encounter_id: Any) -> Encounter:
    return get_for_org_or_404(
        Encounter, request.organization, pk=encounter_id, participant=participant
    )


def _to_encounter(encounter: Encounter) -> HttpResponse:
    return redirect("care:encounter", pk=encounter.participant_id, encounter_id=encounter.pk)


def _to_sign(encounter: Encounter) -> HttpResponse:
    return redirect("care:encounter_sign", pk=encounter.participant_id, encounter_id=encounter.pk)


def _saved_then(signing: bool, encounter: Encounter) -> Encounter:
    """After a save from the form: when "Sign…" was pressed, say why it cannot be signed yet."""
    if signing:
        try:
            services.note_ready_to_sign(encounter)
        except ValidationError as exc:
            # Say so: the error page alone would read as if nothing had been kept.
            raise ValidationError(
                {**exc.message_dict, NON_FIELD_ERRORS: [_("What you typed is saved as a draft.")]}
            ) from exc
    return encounter


def _new_note_id(request: StaffRequest) -> uuid.UUID:
    """The id the new-note page chose for its note when it was opened.

    Autosave and the page's own submit may both reach the server first; with the id chosen
    up front, whichever comes second changes the same note instead of adding another.
    """
    return uuid_or_404(request.POST["draft"]) if request.POST.get("draft") else uuid.uuid4()


def _saved_draft(participant: Participant, note_id: uuid.UUID) -> Encounter | None:
    return Encounter.objects.filter(pk=note_id, participant=participant).first()


def _free_note_id(note_id: uuid.UUID) -> uuid.UUID:
    """``note_id``, or a fresh one when another note has it (only a forged id can).

    Checked across organizations because ids are unique across them; the answer is the same
    either way, so it tells nothing about whose note it was.
    """
    taken = Encounter.objects.with_scopes_disabled().filter(pk=note_id).exists()
    return uuid.uuid4() if taken else note_id


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def encounter_create(request: StaffRequest, pk: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    note_id = _new_note_id(request)
    draft = _saved_draft(participant, note_id)
    if draft is not None:
        return _note_page(request, participant, draft)
    note_id = _free_note_id(note_id)
    signing = SIGN in request.POST
    return care_form(
        request,
        care_forms.EncounterForm(request.POST or None, participant=participant),
        save=lambda data: services.encounter_create(
            participant=participant,
            actor=request.user,
            data=data,
            goals=data.pop("goals"),
            note_id=note_id,
        ),
        # An empty new note is saved all the same; the confirmation sends its author back to it.
        done=_to_sign if signing else _to_encounter,
        success=_("Draft saved. Read it over, then sign it."),
        title=_("Write an encounter note"),
        participant=participant,
        template="care/encounter.html",
        encounter=None,
        note_id=note_id,
        editable=True,
    )


def _note_context(request: StaffRequest, encounter: Encounter) -> dict[str, Any]:
    team = request.membership.has_role(*TEAM_ROLES)
    reviewer = team and not encounter.is_author(request.user)
    return {
        "encounter": encounter,
        "goals": list(encounter.goals.all()),
        "require_cosign": care_settings().require_cosign,
        "can_cosign": reviewer and encounter.is_signed and encounter.cosigned_at is None,
        "can_return": reviewer and not encounter.is_signed,
        # Apps above care add panels here (billing: will this note be billable?).
        "note_panels": [] if encounter.is_signed else note_panels_for(request, encounter),
    }


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def encounter_detail(request: StaffRequest, pk: Any, encounter_id: Any) -> HttpResponse:
    """A note: its author edits the draft; everyone else, and everyone once signed, reads it."""
    participant = participant_for_request_or_404(request, pk)
    return _note_page(request, participant, _encounter(request, participant, encounter_id))


def _note_page(
    request: StaffRequest, participant: Participant, encounter: Encounter
) -> HttpResponse:
    encounter_id = encounter.pk
    editable = not encounter.is_signed and encounter.is_author(request.user)
    if not editable:
        if request.method == "POST":
            messages.error(
                request,
                _("This note is signed. Add an amendment instead.")
                if encounter.is_signed
                else _("Only the specialist who wrote this note can change it."),
            )
            return _to_encounter(encounter)
        context = {
            "participant": participant,
            "amend_form": care_forms.AmendForm(),
            "return_form": care_forms.NoteReturnForm(),
            "amendments": encounter.amendments.select_related("written_by"),
            **_note_context(request, encounter),
        }
        return render(request, "care/encounter.html", context)
    signing = SIGN in request.POST
    return care_form(
        request,
        care_forms.EncounterForm(request.POST or None, instance=encounter, participant=participant),
        # The form has written its data onto ``encounter``; the service compares with a fresh
        # copy to know what changed.
        save=lambda data: _saved_then(
            signing,
            services.encounter_update(
                encounter=_encounter(request, participant, encounter_id),
                actor=request.user,
                data=data,
                goals=data.pop("goals"),
            ),
        ),
        done=_to_sign if signing else _to_encounter,
        success=_("Draft saved. Read it over, then sign it.") if signing else _("Draft saved."),
        title=_("Encounter note"),
        participant=participant,
        template="care/encounter.html",
        editable=True,
        **_note_context(request, encounter),
    )


@require_POST
@care_required
def encounter_autosave(request: StaffRequest, pk: Any, encounter_id: Any) -> HttpResponse:
    """Save the author's draft as they type (htmx); answers a short status line."""
    participant = participant_for_request_or_404(request, pk)
    return _autosave(request, participant, _encounter(request, participant, encounter_id))


@require_POST
@care_required
def encounter_autosave_new(request: StaffRequest, pk: Any) -> HttpResponse:
    """Autosave on the new-note page: the first complete form creates the draft."""
    participant = participant_for_request_or_404(request, pk)
    note_id = _new_note_id(request)
    draft = _saved_draft(participant, note_id)
    if draft is not None:
        return _autosave(request, participant, draft)
    note_id = _free_note_id(note_id)
    form = care_forms.EncounterForm(request.POST, participant=participant)
    context: dict[str, Any] = {"saved": False, "saved_at": timezone.now()}
    if not form.is_valid():
        context["problem"] = _(
            "Saving as you type starts once the times and choices are filled in."
        )
        return render(request, "care/_autosave_status.html", context)
    data = dict(form.cleaned_data)
    try:
        services.encounter_create(
            participant=participant,
            actor=request.user,
            data=data,
            goals=data.pop("goals"),
            note_id=note_id,
        )
    except ValidationError as exc:
        context["problem"] = " ".join(exc.messages)
    else:
        context["saved"] = True
    return render(request, "care/_autosave_status.html", context)


def _autosave(
    request: StaffRequest, participant: Participant, encounter: Encounter
) -> HttpResponse:
    encounter_id = encounter.pk
    if not encounter.is_author(request.user):
        raise PermissionDenied
    form = care_forms.EncounterForm(request.POST, instance=encounter, participant=participant)
    complete = form.is_valid()
    data = dict(form.cleaned_data)
    goals = data.pop("goals", None)
    if not complete:
        # Keep the words while a time or a choice is still unfinished; the rest waits.
        data = {name: data[name] for name in NOTE_TEXT_FIELDS if name in data}
        goals = None
    problem = "" if complete else _("Some fields need a look before you save or sign.")
    saved = False
    try:
        services.encounter_update(
            encounter=_encounter(request, participant, encounter_id),
            actor=request.user,
            data=data,
            goals=goals,
        )
        saved = True
    except ValidationError as exc:
        problem = " ".join(exc.messages)
    context = {"saved": saved, "saved_at": timezone.now(), "problem": problem}
    return render(request, "care/_autosave_status.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def encounter_sign(request: StaffRequest, pk: Any, encounter_id: Any) -> HttpResponse:
    """Show the saved note exactly as it will be signed; its author signs that version."""
    participant = participant_for_request_or_404(request, pk)
    encounter = _encounter(request, participant, encounter_id)
    if encounter.is_signed:
        messages.info(request, _("This note is already signed."))
        return _to_encounter(encounter)
    if not encounter.is_author(request.user):
        messages.error(request, _("Only the specialist who wrote this note can sign it."))
        return _to_encounter(encounter)
    status = 200
    if request.method == "POST":
        try:
            services.encounter_sign(
                encounter=encounter, actor=request.user, digest=request.POST.get("digest", "")
            )
        except services.NoteChangedError as exc:
            # Show the note as it is now, to be read over again.
            messages.error(request, " ".join(exc.messages))
            encounter = _encounter(request, participant, encounter_id)
            participant_view_audit(request, participant)
            status = 409
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return _to_encounter(encounter)
        else:
            messages.success(request, _("Note signed."))
            return _to_encounter(encounter)
    else:
        try:
            services.note_ready_to_sign(encounter)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return _to_encounter(encounter)
    context = {
        "participant": participant,
        "digest": services.note_digest(encounter),
        **_note_context(request, encounter),
    }
    return render(request, "care/encounter_sign.html", context, status=status)


@require_http_methods(["POST"])
@staff_required(*TEAM_ROLES)
def encounter_return(request: StaffRequest, pk: Any, encounter_id: Any) -> HttpResponse:
    """A supervisor returns someone's draft with a comment for them."""
    participant = participant_for_request_or_404(request, pk)
    encounter = _encounter(request, participant, encounter_id)
    return care_form(
        request,
        care_forms.NoteReturnForm(request.POST),
        save=lambda data: services.encounter_return(
            encounter=encounter, actor=request.user, comment=data["comment"]
        ),
        done=_to_encounter,
        success=_("Returned to its author with your comment."),
        title=_("Return a note with a comment"),
        submit=_("Return to the author"),
        participant=participant,
    )


@require_POST
@staff_required(*TEAM_ROLES)
def encounter_cosign(request: StaffRequest, pk: Any, encounter_id: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    encounter = _encounter(request, participant, encounter_id)
    act_and_tell(
        request,
        lambda: services.encounter_cosign(encounter=encounter, actor=request.user),
        _("Note co-signed."),
    )
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
