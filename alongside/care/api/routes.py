"""Care endpoints: thin, like the pages. Role check → scoped getter (404 outside what the
token's membership may see; GETs audited as views) → schema → service → response.

A service's ``ValidationError`` on a field answers 400 naming it; one about the record's state
(a signed note, nobody enrolled) answers 409 with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as ParameterError
from ninja.responses import Status
from pydantic import ConfigDict

from alongside.care import selectors, services
from alongside.care.access import (
    can_see_care,
    participant_for_request_or_404,
    participants_visible_to,
)
from alongside.care.api import schemas as s
from alongside.care.consent import DisclosureRefused
from alongside.care.fhir import participant_fhir_export
from alongside.care.forms import care_staff
from alongside.care.models import (
    Consent,
    Encounter,
    Goal,
    NoteAmendment,
    Participant,
    PlanVersion,
    Referral,
)
from alongside.core.audit import Action, audit_record
from alongside.core.tenancy import get_for_org_or_404

if TYPE_CHECKING:
    from alongside.core.models import Membership
    from alongside.core.tenancy import StaffRequest

router = Router(tags=["care"])
T = TypeVar("T")

# A body that is not JSON at all answers {"detail": ...} (django-ninja), bad fields {"errors"}.
BAD = s.ErrorsOut | s.DetailOut
READ = {400: BAD, 401: s.DetailOut, 403: s.DetailOut, 404: s.DetailOut}
WRITE = {**READ, 409: s.DetailOut}


# --- Helpers ------------------------------------------------------------------------------


def _membership(request: StaffRequest) -> Membership:
    if not can_see_care(request.membership):
        raise HttpError(403, _("This token's roles do not open care records."))
    return request.membership


def _participant(request: StaffRequest, participant_id: UUID) -> Participant:
    _membership(request)
    return participant_for_request_or_404(request, participant_id)


def _field_error(field: str, message: str) -> ParameterError:
    return ParameterError([{"loc": ("body", "payload", field), "msg": message}])


def _call(service: Callable[..., T], **kwargs: Any) -> T:
    """Run a service; its validation errors answer 400 (a field) or 409 (the record's state)."""
    try:
        return service(**kwargs)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise ParameterError(
                [
                    {"loc": ("body", "payload", field), "msg": message}
                    for field, messages in exc.message_dict.items()
                    for message in messages
                ]
            ) from exc
        raise HttpError(409, " ".join(exc.messages)) from exc


def _specialists(organization: Any, usernames: Iterable[str] | None) -> list[Any] | None:
    if usernames is None:
        return None
    wanted = set(usernames)
    staff = list(care_staff(organization).filter(username__in=wanted))
    if len(staff) != len(wanted):
        raise _field_error("specialists", _("Name care staff of this organization by username."))
    return staff


def _goals(participant: Participant, ids: Iterable[UUID] | None) -> list[Goal] | None:
    if ids is None:
        return None
    wanted = set(ids)
    goals = list(Goal.objects.filter(participant=participant, pk__in=wanted))
    if len(goals) != len(wanted):
        raise _field_error("goals", _("Choose goals of this person."))
    return goals


# Choice fields a client may clear with null; the model keeps "" for "not given".
BLANKABLE = {"gender", "race_ethnicity", "veteran"}


def _data(payload: Schema, *, partial: bool = False) -> dict[str, Any]:
    data = payload.model_dump(exclude_unset=partial, exclude_none=not partial)
    return {k: "" if v is None and k in BLANKABLE else v for k, v in data.items()}


def _participant_out(participant_id: Any) -> Participant:
    return Participant.objects.prefetch_related("specialists", "enrollments").get(pk=participant_id)


def _encounters() -> QuerySet[Encounter]:
    """Encounters with what ``EncounterOut`` shows.

    Built per request: the scoped manager needs the request's organization scope to be active.
    """
    return Encounter.objects.select_related("specialist", "signed_by").prefetch_related(
        "goals",
        Prefetch("amendments", queryset=NoteAmendment.objects.select_related("written_by")),
    )


# --- Participants -------------------------------------------------------------------------


class ListQuery(Schema):
    show: str = Field(
        "all",
        pattern="^(all|mine|active|unassigned)$",
        description="all (everyone this token may see), mine (assigned to the token's user), "
        "active (with an open enrollment) or unassigned (enrolled, nobody assigned).",
    )
    limit: int = Field(50, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)


@router.get(
    "/participants",
    response={200: s.ParticipantListOut, 400: BAD, 401: s.DetailOut, 403: s.DetailOut},
    summary="List the participants this token may see",
)
def participant_list(request: StaffRequest, params: Query[ListQuery]) -> Any:
    membership = _membership(request)
    if params.show == "all":
        found = participants_visible_to(membership).order_by("preferred_name", "id")
    else:
        found = selectors.participants_list(membership, which=params.show)
    page = list(
        found.prefetch_related("specialists", "enrollments")[
            params.offset : params.offset + params.limit
        ]
    )
    for participant in page:
        audit_record(
            action=Action.VIEW,
            request=request,
            obj=participant,
            participant_id=str(participant.pk),
        )
    return {"count": found.count(), "items": page}


@router.post(
    "/participants",
    response={201: s.ParticipantOut, 400: BAD, 401: s.DetailOut, 403: s.DetailOut},
    summary="Add and enroll a participant",
)
def participant_create(request: StaffRequest, payload: s.ParticipantIn) -> Any:
    _membership(request)
    data = _data(payload)
    participant = _call(
        services.participant_create,
        organization=request.organization,
        actor=request.user,
        specialists=_specialists(request.organization, data.pop("specialists", None)) or (),
        enrolled_on=data.pop("enrolled_on"),
        agreement_how=data.pop("agreement_how"),
        data=data,
    )
    return Status(201, _participant_out(participant.pk))


@router.get(
    "/participants/{participant_id}",
    response={200: s.ParticipantOut, **READ},
    summary="A participant's details and enrollments",
)
def participant_detail(request: StaffRequest, participant_id: UUID) -> Any:
    return _participant_out(_participant(request, participant_id).pk)


@router.patch(
    "/participants/{participant_id}",
    response={200: s.ParticipantOut, **WRITE},
    summary="Change a participant's details",
)
def participant_update(
    request: StaffRequest, participant_id: UUID, payload: s.ParticipantPatch
) -> Any:
    participant = _participant(request, participant_id)
    data = _data(payload, partial=True)
    specialists = _specialists(request.organization, data.pop("specialists", None))
    _call(
        services.participant_update,
        participant=participant,
        actor=request.user,
        data=data,
        specialists=specialists,
    )
    return _participant_out(participant.pk)


@router.post(
    "/participants/{participant_id}/discharge",
    response={200: s.ParticipantOut, **WRITE},
    summary="Discharge: close the open enrollment",
)
def participant_discharge(
    request: StaffRequest, participant_id: UUID, payload: s.DischargeIn
) -> Any:
    participant = _participant(request, participant_id)
    _call(
        services.participant_discharge,
        participant=participant,
        actor=request.user,
        **_data(payload),
    )
    return _participant_out(participant.pk)


# --- Consents -----------------------------------------------------------------------------


@router.get(
    "/participants/{participant_id}/consents",
    response={200: list[s.ConsentOut], **READ},
    summary="A participant's consents to share, revoked ones included",
)
def consent_list(request: StaffRequest, participant_id: UUID) -> Any:
    return list(_participant(request, participant_id).consents.all())


@router.post(
    "/participants/{participant_id}/consents",
    response={201: s.ConsentOut, **WRITE},
    summary="Record a consent to share, as the person gave it",
)
def consent_create(request: StaffRequest, participant_id: UUID, payload: s.ConsentIn) -> Any:
    participant = _participant(request, participant_id)
    data = _data(payload)
    data["recipients"] = "\n".join(data["recipients"])
    consent = _call(services.consent_create, participant=participant, actor=request.user, data=data)
    return Status(201, consent)


@router.post(
    "/participants/{participant_id}/consents/{consent_id}/revoke",
    response={200: s.ConsentOut, **WRITE},
    summary="Revoke a consent; it stays on file, marked revoked",
)
def consent_revoke(
    request: StaffRequest, participant_id: UUID, consent_id: UUID, payload: s.RevokeIn
) -> Any:
    participant = _participant(request, participant_id)
    consent = get_for_org_or_404(
        Consent, request.organization, pk=consent_id, participant=participant
    )
    return _call(services.consent_revoke, consent=consent, actor=request.user, **_data(payload))


# --- Recovery plan and goals --------------------------------------------------------------


@router.get(
    "/participants/{participant_id}/plans",
    response={200: list[s.PlanVersionOut], **READ},
    summary="The agreed versions of the recovery plan, newest first",
)
def plan_list(request: StaffRequest, participant_id: UUID) -> Any:
    participant = _participant(request, participant_id)
    return list(
        PlanVersion.objects.filter(plan__participant=participant)
        .select_related("created_by")
        .order_by("-number")
    )


@router.post(
    "/participants/{participant_id}/plans",
    response={201: s.PlanVersionOut, **WRITE},
    summary="Record a newly agreed version of the recovery plan",
)
def plan_create(request: StaffRequest, participant_id: UUID, payload: s.PlanVersionIn) -> Any:
    participant = _participant(request, participant_id)
    version = _call(
        services.plan_version_create, participant=participant, actor=request.user, **_data(payload)
    )
    return Status(201, version)


@router.get(
    "/participants/{participant_id}/goals",
    response={200: list[s.GoalOut], **READ},
    summary="The goals of the recovery plan, in the person's own words",
)
def goal_list(request: StaffRequest, participant_id: UUID) -> Any:
    return list(_participant(request, participant_id).goals.all())


@router.post(
    "/participants/{participant_id}/goals",
    response={201: s.GoalOut, **WRITE},
    summary="Add a goal",
)
def goal_create(request: StaffRequest, participant_id: UUID, payload: s.GoalIn) -> Any:
    participant = _participant(request, participant_id)
    goal = _call(
        services.goal_create, participant=participant, actor=request.user, data=_data(payload)
    )
    return Status(201, goal)


@router.patch(
    "/participants/{participant_id}/goals/{goal_id}",
    response={200: s.GoalOut, **WRITE},
    summary="Change a goal (its words, steps, status, …)",
)
def goal_update(
    request: StaffRequest, participant_id: UUID, goal_id: UUID, payload: s.GoalPatch
) -> Any:
    participant = _participant(request, participant_id)
    goal = get_for_org_or_404(Goal, request.organization, pk=goal_id, participant=participant)
    return _call(
        services.goal_update, goal=goal, actor=request.user, data=_data(payload, partial=True)
    )


# --- Encounters ---------------------------------------------------------------------------


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)


@router.get(
    "/participants/{participant_id}/encounters",
    response={200: s.EncounterListOut, **READ},
    summary="A participant's encounter notes, newest first",
)
def encounter_list(request: StaffRequest, participant_id: UUID, params: Query[PageQuery]) -> Any:
    participant = _participant(request, participant_id)
    found = _encounters().filter(participant=participant).order_by("-date", "-start_time", "id")
    return {
        "count": found.count(),
        "items": list(found[params.offset : params.offset + params.limit]),
    }


@router.post(
    "/participants/{participant_id}/encounters",
    response={201: s.EncounterOut, **WRITE},
    summary="Write a draft encounter note",
)
def encounter_create(request: StaffRequest, participant_id: UUID, payload: s.EncounterIn) -> Any:
    participant = _participant(request, participant_id)
    data = _data(payload)
    goals = _goals(participant, data.pop("goals", None)) or []
    encounter = _call(
        services.encounter_create,
        participant=participant,
        actor=request.user,
        data=data,
        goals=goals,
    )
    return Status(201, _encounters().get(pk=encounter.pk))


@router.get(
    "/participants/{participant_id}/encounters/{encounter_id}",
    response={200: s.EncounterOut, **READ},
    summary="One encounter note with its amendments",
)
def encounter_detail(request: StaffRequest, participant_id: UUID, encounter_id: UUID) -> Any:
    participant = _participant(request, participant_id)
    return get_for_org_or_404(
        _encounters(), request.organization, pk=encounter_id, participant=participant
    )


@router.patch(
    "/participants/{participant_id}/encounters/{encounter_id}",
    response={200: s.EncounterOut, **WRITE},
    summary="Change a draft note (a signed note answers 409: amend it instead)",
)
def encounter_update(
    request: StaffRequest, participant_id: UUID, encounter_id: UUID, payload: s.EncounterPatch
) -> Any:
    participant = _participant(request, participant_id)
    encounter = get_for_org_or_404(
        Encounter, request.organization, pk=encounter_id, participant=participant
    )
    data = _data(payload, partial=True)
    goals = _goals(participant, data.pop("goals", None))
    _call(
        services.encounter_update, encounter=encounter, actor=request.user, data=data, goals=goals
    )
    return _encounters().get(pk=encounter.pk)


@router.post(
    "/participants/{participant_id}/encounters/{encounter_id}/sign",
    response={200: s.EncounterOut, **WRITE},
    summary="Sign a draft note (its author only); it can then only be amended",
)
def encounter_sign(request: StaffRequest, participant_id: UUID, encounter_id: UUID) -> Any:
    participant = _participant(request, participant_id)
    encounter = get_for_org_or_404(
        Encounter, request.organization, pk=encounter_id, participant=participant
    )
    if not encounter.is_signed and encounter.specialist_id != request.user.pk:
        raise HttpError(403, _("Only the specialist who wrote this note can sign it."))
    _call(services.encounter_sign, encounter=encounter, actor=request.user)
    return _encounters().get(pk=encounter.pk)


@router.post(
    "/participants/{participant_id}/encounters/{encounter_id}/amendments",
    response={201: s.EncounterOut, **WRITE},
    summary="Add an amendment below a signed note",
)
def encounter_amend(
    request: StaffRequest, participant_id: UUID, encounter_id: UUID, payload: s.AmendmentIn
) -> Any:
    participant = _participant(request, participant_id)
    encounter = get_for_org_or_404(
        Encounter, request.organization, pk=encounter_id, participant=participant
    )
    _call(services.note_amend, encounter=encounter, actor=request.user, text=payload.text)
    return Status(201, _encounters().get(pk=encounter.pk))


# --- Referrals and appointments -----------------------------------------------------------


@router.get(
    "/participants/{participant_id}/referrals",
    response={200: list[s.ReferralOut], **READ},
    summary="A participant's referrals",
)
def referral_list(request: StaffRequest, participant_id: UUID) -> Any:
    return list(_participant(request, participant_id).referrals.select_related("made_by"))


@router.post(
    "/participants/{participant_id}/referrals",
    response={201: s.ReferralOut, **WRITE},
    summary="Refer to a directory listing (by id) or a named provider",
)
def referral_create(request: StaffRequest, participant_id: UUID, payload: s.ReferralIn) -> Any:
    participant = _participant(request, participant_id)
    data = _data(payload)
    if not data.get("provider_name") and not data.get("directory_service_id"):
        raise _field_error("provider_name", _("Name the provider or give a directory listing."))
    referral = _call(services.referral_create, participant=participant, actor=request.user, **data)
    return Status(201, referral)


@router.patch(
    "/participants/{participant_id}/referrals/{referral_id}",
    response={200: s.ReferralOut, **WRITE},
    summary="Move a referral along or add to the hand-off note",
)
def referral_update(
    request: StaffRequest, participant_id: UUID, referral_id: UUID, payload: s.ReferralPatch
) -> Any:
    participant = _participant(request, participant_id)
    referral = get_for_org_or_404(
        Referral, request.organization, pk=referral_id, participant=participant
    )
    return _call(
        services.referral_update,
        referral=referral,
        actor=request.user,
        data=_data(payload, partial=True),
    )


@router.get(
    "/participants/{participant_id}/appointments",
    response={200: list[s.AppointmentOut], **READ},
    summary="A participant's appointments, cancelled ones included",
)
def appointment_list(request: StaffRequest, participant_id: UUID) -> Any:
    participant = _participant(request, participant_id)
    return list(participant.appointments.select_related("specialist", "transportation_arranged_by"))


@router.post(
    "/participants/{participant_id}/appointments",
    response={201: s.AppointmentOut, **WRITE},
    summary="Book an appointment, with any help needed to get there",
)
def appointment_create(
    request: StaffRequest, participant_id: UUID, payload: s.AppointmentIn
) -> Any:
    participant = _participant(request, participant_id)
    data = _data(payload)
    arranged_by_me = data.pop("arranged_by_me")
    appointment = _call(
        services.appointment_create,
        participant=participant,
        actor=request.user,
        transportation_arranged_by=request.user if arranged_by_me else None,
        **data,
    )
    return Status(201, appointment)


# --- FHIR export --------------------------------------------------------------------------


class ExportQuery(Schema):
    model_config = ConfigDict(use_enum_values=True)

    purpose: s.PurposeChoice = Field(  # type: ignore[valid-type]
        description="Why the record is exported; a consent on file must cover it."
    )


@router.get(
    "/participants/{participant_id}/fhir",
    response={
        200: dict[str, Any],
        403: s.RefusedOut | s.DetailOut,
        401: s.DetailOut,
        404: s.DetailOut,
        400: BAD,
    },
    summary="The record as a FHIR R4 Bundle, through the consent gate",
    description="A `collection` Bundle of Patient, Consent, CarePlan, Goal and signed Encounter "
    "resources. The recipient is recorded as “API export to <token user>”; without a consent "
    "covering that recipient and `purpose` the answer is 403 with what is missing. A 42 CFR "
    "Part 2 record carries security labels and the § 2.32 notice in `Bundle.meta`.",
)
def participant_fhir(
    request: StaffRequest, participant_id: UUID, params: Query[ExportQuery]
) -> Any:
    participant = _participant(request, participant_id)
    try:
        return participant_fhir_export(
            participant=participant,
            actor=request.user,
            purpose=params.purpose,
            recipient=f"API export to {request.user.get_username()}",
        )
    except DisclosureRefused as refused:
        return Status(
            403, {"detail": refused.check.explanation(), "missing": list(refused.check.missing)}
        )
