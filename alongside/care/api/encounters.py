"""Encounter notes: drafts and signing by their author, review by a supervisor (return with a
comment, co-sign), and amendments below a signed note."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from alongside.care import services
from alongside.care.access import TEAM_ROLES
from alongside.care.api.common import (
    READ,
    WRITE,
    CareRouter,
    care_participant,
    field_error,
    payload_data,
    run_service,
)
from alongside.care.api.fields import (
    CategoryChoice,
    ClockTime,
    Day,
    In,
    LocalTimeOut,
    choices_enum,
    words,
    writes,
)
from alongside.care.models import Encounter, Goal, NoteAmendment, Participant
from alongside.core.tenancy import get_for_org_or_404

if TYPE_CHECKING:
    from alongside.core.tenancy import StaffRequest

router = CareRouter()

EncounterTypeChoice = choices_enum("EncounterType", Encounter.Type)
EncounterContactChoice = choices_enum("EncounterContact", Encounter.Contact)


# --- Schemas ------------------------------------------------------------------------------


class EncounterFields(In):
    type: EncounterTypeChoice = None  # type: ignore[valid-type]
    contact: EncounterContactChoice = Field(  # type: ignore[valid-type]
        None, description="Whom it reached: the person, an attempt, or someone about them."
    )
    date: Day = None  # type: ignore[assignment]
    start_time: ClockTime = None  # type: ignore[assignment]
    end_time: ClockTime = None  # type: ignore[assignment]
    ends_next_day: bool | None = Field(
        None, description="The end time is on the day after ``date``."
    )
    setting: str = words(120)
    service_categories: list[CategoryChoice] | None = Field(  # type: ignore[valid-type]
        None,
        min_length=1,
        description="Every kind of peer service the encounter touched; at least one.",
    )
    service_category: CategoryChoice | None = Field(  # type: ignore[valid-type]
        None,
        description="Older clients' single category, read as `service_categories: [it]`. "
        "Send `service_categories` instead; not both.",
        json_schema_extra={"deprecated": True},
    )
    worked_on: str = words(20000)
    response: str = words(20000)
    next_steps: str = words(20000)
    goals: list[UUID] | None = Field(None, description="Ids of this person's goals worked on.")


@writes(services.ENCOUNTER_FIELDS, extra={"goals", "service_category"})
class EncounterIn(EncounterFields):
    type: EncounterTypeChoice  # type: ignore[valid-type]
    date: Day
    start_time: ClockTime
    end_time: ClockTime


@writes(services.ENCOUNTER_FIELDS, extra={"goals", "service_category"})
class EncounterPatch(EncounterFields):
    """Only the fields sent change; a signed note answers 409, another's draft 403."""


class ReturnIn(In):
    comment: str = words(5000, default=..., min_length=1)


class AmendmentIn(In):
    text: str = words(20000, default=..., min_length=1)


class AmendmentOut(Schema):
    id: UUID
    text: str
    written_by: str
    created_at: datetime

    @staticmethod
    def resolve_written_by(obj: Any) -> str:
        return str(obj.written_by.get_username())


class EncounterOut(Schema):
    id: UUID
    type: str
    contact: str
    date: date
    start_time: LocalTimeOut
    end_time: LocalTimeOut
    ends_next_day: bool
    duration_minutes: int
    setting: str
    service_categories: list[str]
    worked_on: str
    response: str
    next_steps: str
    goals: list[UUID]
    status: str
    digest: str = Field(
        description="Fingerprint of what a signature covers; pass it to sign to sign this version."
    )
    specialist: str
    signed_at: datetime | None
    signed_by: str | None
    returned_at: datetime | None
    returned_by: str | None
    return_comment: str
    cosigned_at: datetime | None
    cosigned_by: str | None
    amendments: list[AmendmentOut]

    @staticmethod
    def resolve_goals(obj: Any) -> list[UUID]:
        return [goal.pk for goal in obj.goals.all()]

    @staticmethod
    def resolve_digest(obj: Any) -> str:
        return services.note_digest(obj)

    @staticmethod
    def resolve_specialist(obj: Any) -> str:
        return str(obj.specialist.get_username())

    @staticmethod
    def resolve_signed_by(obj: Any) -> str | None:
        return obj.signed_by.get_username() if obj.signed_by_id else None

    @staticmethod
    def resolve_returned_by(obj: Any) -> str | None:
        return obj.returned_by.get_username() if obj.returned_by_id else None

    @staticmethod
    def resolve_cosigned_by(obj: Any) -> str | None:
        return obj.cosigned_by.get_username() if obj.cosigned_by_id else None

    @staticmethod
    def resolve_amendments(obj: Any) -> list[Any]:
        return list(obj.amendments.all())


class EncounterListOut(Schema):
    count: int
    items: list[EncounterOut]


class EncounterPageQuery(Schema):
    limit: int = Field(50, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)


# --- Helpers ------------------------------------------------------------------------------


def _as_shown() -> QuerySet[Encounter]:
    """Encounters with what ``EncounterOut`` shows.

    Built per request: the scoped manager needs the request's organization scope to be active.
    """
    return Encounter.objects.select_related(
        "specialist", "signed_by", "returned_by", "cosigned_by"
    ).prefetch_related(
        "goals",
        Prefetch("amendments", queryset=NoteAmendment.objects.select_related("written_by")),
    )


def _goals(participant: Participant, ids: Iterable[UUID] | None) -> list[Goal] | None:
    if ids is None:
        return None
    wanted = set(ids)
    goals = list(Goal.objects.filter(participant=participant, pk__in=wanted))
    if len(goals) != len(wanted):
        raise field_error("goals", _("Choose goals of this person."))
    return goals


def _one_way_to_categories(data: dict[str, Any]) -> dict[str, Any]:
    """Refuse a payload naming its categories both ways; the service reads the older one."""
    if "service_category" in data and "service_categories" in data:
        raise field_error(
            "service_category", _("Send service_categories only, not service_category too.")
        )
    return data


def _note(request: StaffRequest, participant: Participant, encounter_id: UUID) -> Encounter:
    return get_for_org_or_404(
        Encounter, request.organization, pk=encounter_id, participant=participant
    )


def _author_only(request: StaffRequest, encounter: Encounter, message: str) -> None:
    """Another's draft answers 403, as the pages refuse it; a signed note is the service's 409."""
    if not encounter.is_signed and not encounter.is_author(request.user):
        raise HttpError(403, message)


def _reviewer_only(request: StaffRequest) -> None:
    if not request.membership.has_role(*TEAM_ROLES):
        raise HttpError(403, _("Only a supervisor reviews another specialist's notes."))


# --- Routes -------------------------------------------------------------------------------


@router.get(
    "/participants/{participant_id}/encounters",
    response={200: EncounterListOut, **READ},
    summary="A participant's encounter notes, newest first",
)
def encounter_list(
    request: StaffRequest, participant_id: UUID, params: Query[EncounterPageQuery]
) -> Any:
    participant = care_participant(request, participant_id)
    found = _as_shown().filter(participant=participant).order_by("-date", "-start_time", "id")
    return {
        "count": found.count(),
        "items": list(found[params.offset : params.offset + params.limit]),
    }


@router.post(
    "/participants/{participant_id}/encounters",
    response={201: EncounterOut, **WRITE},
    summary="Write a draft encounter note",
)
def encounter_create(request: StaffRequest, participant_id: UUID, payload: EncounterIn) -> Any:
    participant = care_participant(request, participant_id)
    data = _one_way_to_categories(payload_data(payload))
    goals = _goals(participant, data.pop("goals", None)) or []
    encounter = run_service(
        services.encounter_create,
        participant=participant,
        actor=request.user,
        data=data,
        goals=goals,
    )
    return Status(201, _as_shown().get(pk=encounter.pk))


@router.get(
    "/participants/{participant_id}/encounters/{encounter_id}",
    response={200: EncounterOut, **READ},
    summary="One encounter note with its amendments",
)
def encounter_detail(request: StaffRequest, participant_id: UUID, encounter_id: UUID) -> Any:
    participant = care_participant(request, participant_id)
    return get_for_org_or_404(
        _as_shown(), request.organization, pk=encounter_id, participant=participant
    )


@router.patch(
    "/participants/{participant_id}/encounters/{encounter_id}",
    response={200: EncounterOut, **WRITE},
    summary="Change a draft note (a signed note answers 409: amend it instead)",
)
def encounter_update(
    request: StaffRequest, participant_id: UUID, encounter_id: UUID, payload: EncounterPatch
) -> Any:
    participant = care_participant(request, participant_id)
    encounter = _note(request, participant, encounter_id)
    _author_only(request, encounter, _("Only the specialist who wrote this note can change it."))
    data = _one_way_to_categories(payload_data(payload, partial=True))
    goals = _goals(participant, data.pop("goals", None))
    run_service(
        services.encounter_update, encounter=encounter, actor=request.user, data=data, goals=goals
    )
    return _as_shown().get(pk=encounter.pk)


@router.post(
    "/participants/{participant_id}/encounters/{encounter_id}/sign",
    response={200: EncounterOut, **WRITE},
    summary="Sign a draft note (its author only); it can then only be amended",
    description=(
        "With `digest` (from the note as the author read it), a note that has changed since "
        "answers 409 instead of being signed."
    ),
)
def encounter_sign(
    request: StaffRequest, participant_id: UUID, encounter_id: UUID, digest: str | None = None
) -> Any:
    participant = care_participant(request, participant_id)
    encounter = _note(request, participant, encounter_id)
    _author_only(request, encounter, _("Only the specialist who wrote this note can sign it."))
    run_service(services.encounter_sign, encounter=encounter, actor=request.user, digest=digest)
    return _as_shown().get(pk=encounter.pk)


@router.post(
    "/participants/{participant_id}/encounters/{encounter_id}/return",
    response={200: EncounterOut, **WRITE},
    summary="Return a draft to its author with a comment (supervisors)",
)
def encounter_return(
    request: StaffRequest, participant_id: UUID, encounter_id: UUID, payload: ReturnIn
) -> Any:
    participant = care_participant(request, participant_id)
    encounter = _note(request, participant, encounter_id)
    _reviewer_only(request)
    run_service(
        services.encounter_return, encounter=encounter, actor=request.user, comment=payload.comment
    )
    return _as_shown().get(pk=encounter.pk)


@router.post(
    "/participants/{participant_id}/encounters/{encounter_id}/cosign",
    response={200: EncounterOut, **WRITE},
    summary="Co-sign a signed note (supervisors)",
)
def encounter_cosign(request: StaffRequest, participant_id: UUID, encounter_id: UUID) -> Any:
    participant = care_participant(request, participant_id)
    encounter = _note(request, participant, encounter_id)
    _reviewer_only(request)
    run_service(services.encounter_cosign, encounter=encounter, actor=request.user)
    return _as_shown().get(pk=encounter.pk)


@router.post(
    "/participants/{participant_id}/encounters/{encounter_id}/amendments",
    response={201: EncounterOut, **WRITE},
    summary="Add an amendment below a signed note",
)
def encounter_amend(
    request: StaffRequest, participant_id: UUID, encounter_id: UUID, payload: AmendmentIn
) -> Any:
    participant = care_participant(request, participant_id)
    encounter = _note(request, participant, encounter_id)
    run_service(services.note_amend, encounter=encounter, actor=request.user, text=payload.text)
    return Status(201, _as_shown().get(pk=encounter.pk))
