"""Participants: list, add and enroll, read, change, discharge."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any
from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.responses import Status
from pydantic import StrictBool

from alongside.care import selectors, services
from alongside.care.access import participants_visible_to
from alongside.care.api.common import (
    BAD,
    READ,
    WRITE,
    CareRouter,
    DetailOut,
    care_membership,
    care_participant,
    field_error,
    payload_data,
    run_service,
)
from alongside.care.api.fields import NO_NUL, Day, In, choices_enum, words, writes
from alongside.care.forms import care_staff
from alongside.care.models import (
    Enrollment,
    Focus,
    Gender,
    Participant,
    Pathway,
    RaceEthnicity,
    Veteran,
)
from alongside.core.audit import audit_views

if TYPE_CHECKING:
    from alongside.core.models import Organization
    from alongside.core.tenancy import StaffRequest

router = CareRouter()

FocusChoice = choices_enum("Focus", Focus)
PathwayChoice = choices_enum("Pathway", Pathway)
GenderChoice = choices_enum("Gender", Gender)
RaceChoice = choices_enum("RaceEthnicity", RaceEthnicity)
VeteranChoice = choices_enum("Veteran", Veteran)
AgreementChoice = choices_enum("EnrollmentAgreement", Enrollment.AgreementHow)
DischargeChoice = choices_enum("DischargeReason", Enrollment.DischargeReason)


# --- Schemas ------------------------------------------------------------------------------


class ParticipantFields(In):
    preferred_name: str = words(120, default=None)
    legal_name: str = words(200)
    pronouns: str = words(40)
    date_of_birth: Day | None = None
    phone: str = words(40)
    email: str = words(254)
    address: str = words(2000)
    ok_to_call: StrictBool = False
    ok_to_text: StrictBool = False
    ok_to_leave_message: StrictBool = False
    preferred_language: str = words(60)
    focus: FocusChoice = None  # type: ignore[valid-type]
    gender: GenderChoice | None = None  # type: ignore[valid-type]
    race_ethnicity: list[RaceChoice] = Field(  # type: ignore[valid-type]
        default_factory=list,
        max_length=len(RaceEthnicity.values),
        description="Every answer the person gives to the one race and ethnicity question "
        "(OMB SPD 15, 2024); `prefer_not_to_say` stands alone; [] when not asked.",
    )
    veteran: VeteranChoice | None = None  # type: ignore[valid-type]
    emergency_contact_name: str = words(200)
    emergency_contact_phone: str = words(40)
    emergency_contact_relationship: str = words(80)
    received_from_part2: StrictBool = False
    specialists: list[Annotated[str, Field(max_length=150, pattern=NO_NUL)]] | None = Field(
        None, description="Usernames of care staff of the organization to assign."
    )


@writes(services.PARTICIPANT_FIELDS, extra={"specialists", "enrolled_on", "agreement_how"})
class ParticipantIn(ParticipantFields):
    preferred_name: str = words(120, default=..., min_length=1)
    focus: FocusChoice  # type: ignore[valid-type]
    pathway: PathwayChoice = Pathway.ONGOING  # type: ignore[valid-type]
    enrolled_on: Day = Field(description="The participant is enrolled on this date.")
    agreement_how: AgreementChoice  # type: ignore[valid-type]


@writes(services.PARTICIPANT_EDITABLE, extra={"specialists"})
class ParticipantPatch(ParticipantFields):
    """Only the fields sent change; the pathway changes through the pages, with a reason."""


class EnrollmentOut(Schema):
    id: UUID
    enrolled_on: date
    agreement_how: str
    discharged_on: date | None
    discharge_reason: str


class StatusOut(Schema):
    id: UUID
    status: str
    since: date


class CoverageOut(Schema):
    id: UUID
    payer_name: str
    payer_code: str
    member_id: str
    starts_on: date
    ends_on: date | None
    diagnosis_codes: str


class ParticipantSummaryOut(Schema):
    id: UUID
    preferred_name: str
    pronouns: str
    focus: str
    pathway: str
    specialists: list[str]
    enrolled: bool

    @staticmethod
    def resolve_specialists(obj: Any) -> list[str]:
        return sorted(user.get_username() for user in obj.specialists.all())

    @staticmethod
    def resolve_enrolled(obj: Any) -> bool:
        return any(e.discharged_on is None for e in obj.enrollments.all())


class ParticipantListOut(Schema):
    count: int
    items: list[ParticipantSummaryOut]


class ParticipantOut(ParticipantSummaryOut):
    legal_name: str
    date_of_birth: date | None
    phone: str
    email: str
    address: str
    ok_to_call: bool
    ok_to_text: bool
    ok_to_leave_message: bool
    preferred_language: str
    gender: str
    race_ethnicity: list[str]
    veteran: str
    emergency_contact_name: str
    emergency_contact_phone: str
    emergency_contact_relationship: str
    received_from_part2: bool
    part2: bool = Field(description="A 42 CFR Part 2 record (program or records received).")
    enrollments: list[EnrollmentOut]
    housing: list[StatusOut] = Field(
        description="Where they live, newest first; the first "
        "whose `since` has come is the current one."
    )
    employment: list[StatusOut] = Field(description="Their work, newest first, as `housing`.")
    coverage: list[CoverageOut] = Field(description="Health plans, newest first.")
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_part2(obj: Any) -> bool:
        from alongside.care.consent import is_part2

        return is_part2(obj)

    @staticmethod
    def resolve_enrollments(obj: Any) -> list[Any]:
        return list(obj.enrollments.all())

    @staticmethod
    def resolve_housing(obj: Any) -> list[Any]:
        return list(obj.housing_statuses.all())

    @staticmethod
    def resolve_employment(obj: Any) -> list[Any]:
        return list(obj.employment_statuses.all())

    @staticmethod
    def resolve_coverage(obj: Any) -> list[Any]:
        return list(obj.coverages.all())


class DischargeIn(In):
    discharged_on: Day
    reason: DischargeChoice  # type: ignore[valid-type]
    note: str = words(5000)


class ListQuery(Schema):
    show: str = Field(
        "all",
        pattern="^(all|mine|active|unassigned)$",
        description="all (everyone this token may see), mine (assigned to the token's user), "
        "active (with an open enrollment) or unassigned (enrolled, nobody assigned).",
    )
    limit: int = Field(50, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)


# --- Helpers ------------------------------------------------------------------------------


def _specialists(organization: Organization, usernames: Iterable[str] | None) -> list[Any] | None:
    if usernames is None:
        return None
    wanted = set(usernames)
    staff = list(care_staff(organization).filter(username__in=wanted))
    if len(staff) != len(wanted):
        raise field_error("specialists", _("Name care staff of this organization by username."))
    return staff


def _with_details(participant: Participant) -> Participant:
    """``participant`` read again with what ``ParticipantOut`` shows, after a service changed it."""
    return Participant.objects.prefetch_related(
        "specialists", "enrollments", "housing_statuses", "employment_statuses", "coverages"
    ).get(pk=participant.pk)


# --- Routes -------------------------------------------------------------------------------


@router.get(
    "/participants",
    response={200: ParticipantListOut, 400: BAD, 401: DetailOut, 403: DetailOut},
    summary="List the participants this token may see",
)
def participant_list(request: StaffRequest, params: Query[ListQuery]) -> Any:
    membership = care_membership(request)
    if params.show == "all":
        found = participants_visible_to(membership).order_by("preferred_name", "id")
    else:
        found = selectors.participants_list(membership, which=params.show)
    page = list(
        found.prefetch_related("specialists", "enrollments")[
            params.offset : params.offset + params.limit
        ]
    )
    audit_views(
        request=request, participant_ids=[p.pk for p in page], object_type="care.participant"
    )
    return {"count": found.count(), "items": page}


@router.post(
    "/participants",
    response={201: ParticipantOut, 400: BAD, 401: DetailOut, 403: DetailOut},
    summary="Add and enroll a participant",
)
def participant_create(request: StaffRequest, payload: ParticipantIn) -> Any:
    care_membership(request)
    data = payload_data(payload)
    participant = run_service(
        services.participant_create,
        organization=request.organization,
        actor=request.user,
        specialists=_specialists(request.organization, data.pop("specialists", None)) or (),
        enrolled_on=data.pop("enrolled_on"),
        agreement_how=data.pop("agreement_how"),
        data=data,
    )
    return Status(201, _with_details(participant))


@router.get(
    "/participants/{participant_id}",
    response={200: ParticipantOut, **READ},
    summary="A participant's details and enrollments",
)
def participant_detail(request: StaffRequest, participant_id: UUID) -> Any:
    return _with_details(care_participant(request, participant_id))


@router.patch(
    "/participants/{participant_id}",
    response={200: ParticipantOut, **WRITE},
    summary="Change a participant's details",
)
def participant_update(
    request: StaffRequest, participant_id: UUID, payload: ParticipantPatch
) -> Any:
    participant = care_participant(request, participant_id)
    data = payload_data(payload, partial=True)
    specialists = _specialists(request.organization, data.pop("specialists", None))
    run_service(
        services.participant_update,
        participant=participant,
        actor=request.user,
        data=data,
        specialists=specialists,
    )
    return _with_details(participant)


@router.post(
    "/participants/{participant_id}/discharge",
    response={200: ParticipantOut, **WRITE},
    summary="Discharge: close the open enrollment",
)
def participant_discharge(request: StaffRequest, participant_id: UUID, payload: DischargeIn) -> Any:
    participant = care_participant(request, participant_id)
    run_service(
        services.participant_discharge,
        participant=participant,
        actor=request.user,
        **payload_data(payload),
    )
    return _with_details(participant)
