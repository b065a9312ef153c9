"""What the care API takes and gives: JSON schemas, documented in the OpenAPI description.

Choices are enums of the models' values; free text refuses NUL characters (PostgreSQL cannot
store them); dates and times are bounded to what a care record can mean, so a bad value is a
400 naming the field rather than an error in the database.
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import Enum
from typing import Annotated, Any
from uuid import UUID

from django.db.models import Choices
from ninja import Field, Schema
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    ConfigDict,
    StrictBool,
    WithJsonSchema,
)

from alongside.care.models import (
    Appointment,
    Chime,
    Consent,
    Encounter,
    Enrollment,
    Focus,
    Gender,
    Goal,
    Pathway,
    PlanVersion,
    Purpose,
    RaceEthnicity,
    Referral,
    ServiceCategory,
    Veteran,
)

NO_NUL = r"^[^\x00]*$"
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)


def _enum(name: str, choices: type[Choices]) -> type[Enum]:
    return Enum(name, {v: v for v in choices.values}, type=str)  # type: ignore[return-value]


FocusChoice = _enum("Focus", Focus)
PathwayChoice = _enum("Pathway", Pathway)
GenderChoice = _enum("Gender", Gender)
RaceChoice = _enum("RaceEthnicity", RaceEthnicity)
VeteranChoice = _enum("Veteran", Veteran)
AgreementChoice = _enum("EnrollmentAgreement", Enrollment.AgreementHow)
DischargeChoice = _enum("DischargeReason", Enrollment.DischargeReason)
PurposeChoice = _enum("Purpose", Purpose)
CategoryChoice = _enum("ServiceCategory", ServiceCategory)
ChimeChoice = _enum("Chime", Chime)
GoalStatusChoice = _enum("GoalStatus", Goal.Status)
EncounterTypeChoice = _enum("EncounterType", Encounter.Type)
ReferralStatusChoice = _enum("ReferralStatus", Referral.Status)
TransportationChoice = _enum("Transportation", Appointment.Transportation)
RevokedHowChoice = _enum("RevokedHow", Consent.RevokedHow)
PlanAgreedChoice = _enum("PlanAgreed", PlanVersion.AgreedHow)


def _in_range_day(value: date) -> date:
    if not EARLIEST <= value <= LATEST:
        raise ValueError(f"Give a date between {EARLIEST} and {LATEST}.")
    return value


def _in_range_moment(value: datetime) -> datetime:
    _in_range_day(value.date())
    return value


def _wall_clock(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("Give a local time without a time zone, e.g. 10:30.")
    return value


def _iso_text(value: Any) -> Any:
    # Without this, pydantic would read a number as seconds since 1970.
    if not isinstance(value, str | date | time):
        raise ValueError("Give an ISO 8601 string.")
    return value


Day = Annotated[date, BeforeValidator(_iso_text), AfterValidator(_in_range_day)]
Moment = Annotated[AwareDatetime, BeforeValidator(_iso_text), AfterValidator(_in_range_moment)]
ClockTime = Annotated[
    time,
    BeforeValidator(_iso_text),
    AfterValidator(_wall_clock),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
            "description": "Local time, HH:MM.",
        }
    ),
]


# JSON Schema's "time" format needs a UTC offset; these are wall-clock times on ``date``.
LocalTimeOut = Annotated[
    time,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$",
            "description": "Local time, HH:MM:SS.",
        }
    ),
]


def words(max_length: int | None = None, default: Any = "", **extra: Any) -> Any:
    return Field(default, max_length=max_length, pattern=NO_NUL, **extra)


class In(Schema):
    """Input: enums arrive as their plain values; unknown fields are refused."""

    model_config = ConfigDict(use_enum_values=True, extra="forbid")


class ErrorsOut(Schema):
    errors: dict[str, list[str]] = Field(description="Messages by field name.")


class DetailOut(Schema):
    detail: str


class RefusedOut(Schema):
    detail: str = Field(description="Why no consent covers this disclosure.")
    missing: list[str] = Field(
        description="no_consent, not_signed_yet, expired, revoked, recipient_not_covered or "
        "purpose_not_covered."
    )


# --- Participants -------------------------------------------------------------------------


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
    race_ethnicity: RaceChoice | None = None  # type: ignore[valid-type]
    veteran: VeteranChoice | None = None  # type: ignore[valid-type]
    medicaid_id: str = words(40)
    emergency_contact_name: str = words(200)
    emergency_contact_phone: str = words(40)
    emergency_contact_relationship: str = words(80)
    received_from_part2: StrictBool = False
    specialists: list[Annotated[str, Field(max_length=150, pattern=NO_NUL)]] | None = Field(
        None, description="Usernames of care staff of the organization to assign."
    )


class ParticipantIn(ParticipantFields):
    preferred_name: str = words(120, default=..., min_length=1)
    focus: FocusChoice  # type: ignore[valid-type]
    pathway: PathwayChoice = Pathway.ONGOING  # type: ignore[valid-type]
    enrolled_on: Day = Field(description="The participant is enrolled on this date.")
    agreement_how: AgreementChoice  # type: ignore[valid-type]


class ParticipantPatch(ParticipantFields):
    """Only the fields sent change; the pathway changes through the pages, with a reason."""


class EnrollmentOut(Schema):
    id: UUID
    enrolled_on: date
    agreement_how: str
    discharged_on: date | None
    discharge_reason: str


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
    race_ethnicity: str
    veteran: str
    medicaid_id: str
    emergency_contact_name: str
    emergency_contact_phone: str
    emergency_contact_relationship: str
    received_from_part2: bool
    part2: bool = Field(description="A 42 CFR Part 2 record (program or records received).")
    enrollments: list[EnrollmentOut]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_part2(obj: Any) -> bool:
        from alongside.care.consent import is_part2

        return is_part2(obj)

    @staticmethod
    def resolve_enrollments(obj: Any) -> list[Any]:
        return list(obj.enrollments.all())


class DischargeIn(In):
    discharged_on: Day
    reason: DischargeChoice  # type: ignore[valid-type]
    note: str = words(5000)


# --- Consents -----------------------------------------------------------------------------


class ConsentIn(In):
    discloser: str = words(200, default=..., min_length=1)
    recipients: list[
        Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\x00\n\r]*$")]
    ] = Field([], description="Who may receive it, one name each.")
    general_designation: StrictBool = False
    information: str = words(5000, default=..., min_length=1)
    purposes: list[PurposeChoice] = Field(min_length=1)  # type: ignore[valid-type]
    purpose_detail: str = words(300)
    expires_on: Day | None = None
    expiry_event: str = words(200)
    signature_name: str = words(200, default=..., min_length=1)
    signed_on: Day


class ConsentOut(Schema):
    id: UUID
    discloser: str
    recipients: list[str]
    general_designation: bool
    information: str
    purposes: list[str]
    purpose_detail: str
    expires_on: date | None
    expiry_event: str
    signature_name: str
    signed_on: date | None
    revoked_on: date | None
    revoked_how: str
    created_at: datetime

    @staticmethod
    def resolve_recipients(obj: Any) -> list[str]:
        return list(obj.recipient_list)


class RevokeIn(In):
    revoked_on: Day
    revoked_how: RevokedHowChoice  # type: ignore[valid-type]


# --- Plans and goals ----------------------------------------------------------------------


class PlanVersionIn(In):
    summary: str = words(10000)
    agreed_on: Day
    agreed_how: PlanAgreedChoice  # type: ignore[valid-type]


class PlanVersionOut(Schema):
    id: UUID
    number: int
    summary: str
    agreed_on: date
    agreed_how: str
    created_by: str

    @staticmethod
    def resolve_created_by(obj: Any) -> str:
        return str(obj.created_by.get_username())


class GoalFields(In):
    text: str = words(5000, default=None, min_length=1)
    service_category: CategoryChoice = None  # type: ignore[valid-type]
    chime: list[ChimeChoice] = []  # type: ignore[valid-type]
    strengths: str = words(5000)
    steps: str = words(5000)
    who_helps: str = words(5000)
    target_date: Day | None = None
    status: GoalStatusChoice = Goal.Status.ACTIVE  # type: ignore[valid-type]


class GoalIn(GoalFields):
    text: str = words(5000, default=..., min_length=1)
    service_category: CategoryChoice  # type: ignore[valid-type]


class GoalPatch(GoalFields):
    """Only the fields sent change."""


class GoalOut(Schema):
    id: UUID
    text: str
    service_category: str
    chime: list[str]
    strengths: str
    steps: str
    who_helps: str
    target_date: date | None
    status: str
    created_at: datetime
    updated_at: datetime


# --- Encounters ---------------------------------------------------------------------------


class EncounterFields(In):
    type: EncounterTypeChoice = None  # type: ignore[valid-type]
    date: Day = None  # type: ignore[assignment]
    start_time: ClockTime = None  # type: ignore[assignment]
    end_time: ClockTime = None  # type: ignore[assignment]
    setting: str = words(120)
    service_category: CategoryChoice = None  # type: ignore[valid-type]
    worked_on: str = words(20000)
    response: str = words(20000)
    next_steps: str = words(20000)
    goals: list[UUID] | None = Field(None, description="Ids of this person's goals worked on.")


class EncounterIn(EncounterFields):
    type: EncounterTypeChoice  # type: ignore[valid-type]
    date: Day
    start_time: ClockTime
    end_time: ClockTime
    service_category: CategoryChoice  # type: ignore[valid-type]


class EncounterPatch(EncounterFields):
    """Only the fields sent change; a signed note answers 409."""


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
    date: date
    start_time: LocalTimeOut
    end_time: LocalTimeOut
    duration_minutes: int
    setting: str
    service_category: str
    worked_on: str
    response: str
    next_steps: str
    goals: list[UUID]
    status: str
    specialist: str
    signed_at: datetime | None
    signed_by: str | None
    amendments: list[AmendmentOut]

    @staticmethod
    def resolve_goals(obj: Any) -> list[UUID]:
        return [goal.pk for goal in obj.goals.all()]

    @staticmethod
    def resolve_specialist(obj: Any) -> str:
        return str(obj.specialist.get_username())

    @staticmethod
    def resolve_signed_by(obj: Any) -> str | None:
        return obj.signed_by.get_username() if obj.signed_by_id else None

    @staticmethod
    def resolve_amendments(obj: Any) -> list[Any]:
        return list(obj.amendments.all())


class EncounterListOut(Schema):
    count: int
    items: list[EncounterOut]


# --- Referrals and appointments -----------------------------------------------------------


class ReferralIn(In):
    provider_name: str = words(300, description="Leave empty when giving a directory listing.")
    directory_service_id: UUID | None = None
    status: ReferralStatusChoice = Referral.Status.SUGGESTED  # type: ignore[valid-type]
    warm_handoff_note: str = words(5000)


class ReferralPatch(In):
    status: ReferralStatusChoice = None  # type: ignore[valid-type]
    warm_handoff_note: str = words(5000, default=None)


class ReferralOut(Schema):
    id: UUID
    provider_name: str
    directory_service_id: UUID | None
    status: str
    warm_handoff_note: str
    made_by: str
    created_at: datetime

    @staticmethod
    def resolve_made_by(obj: Any) -> str:
        return str(obj.made_by.get_username())


class AppointmentIn(In):
    starts_at: Moment
    ends_at: Moment
    place: str = words(200, default=..., min_length=1)
    transportation: TransportationChoice = Appointment.Transportation.NONE  # type: ignore[valid-type]
    arranged_by_me: StrictBool = Field(
        False, description="The token's user arranges the transport."
    )


class AppointmentOut(Schema):
    id: UUID
    starts_at: datetime
    ends_at: datetime
    place: str
    transportation: str
    transportation_arranged_by: str | None
    specialist: str
    cancelled_at: datetime | None

    @staticmethod
    def resolve_specialist(obj: Any) -> str:
        return str(obj.specialist.get_username())

    @staticmethod
    def resolve_transportation_arranged_by(obj: Any) -> str | None:
        user = obj.transportation_arranged_by
        return user.get_username() if user is not None else None
