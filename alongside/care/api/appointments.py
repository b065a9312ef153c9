"""Appointments: book one, with any help needed to get there."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from ninja import Field, Schema
from ninja.responses import Status
from pydantic import StrictBool

from alongside.care import services
from alongside.care.api.common import (
    READ,
    WRITE,
    CareRouter,
    care_participant,
    payload_data,
    run_service,
)
from alongside.care.api.fields import In, Moment, choices_enum, words, writes
from alongside.care.models import Appointment

if TYPE_CHECKING:
    from alongside.core.tenancy import StaffRequest

router = CareRouter()

TransportationChoice = choices_enum("Transportation", Appointment.Transportation)


# The specialist is the token's user, and who arranges the transport is asked as a yes or no.
@writes(
    services.APPOINTMENT_FIELDS,
    omit={"specialist", "transportation_arranged_by", "transportation_note"},
    extra={"arranged_by_me"},
)
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


@router.get(
    "/participants/{participant_id}/appointments",
    response={200: list[AppointmentOut], **READ},
    summary="A participant's appointments, cancelled ones included",
)
def appointment_list(request: StaffRequest, participant_id: UUID) -> Any:
    participant = care_participant(request, participant_id)
    return list(participant.appointments.select_related("specialist", "transportation_arranged_by"))


@router.post(
    "/participants/{participant_id}/appointments",
    response={201: AppointmentOut, **WRITE},
    summary="Book an appointment, with any help needed to get there",
)
def appointment_create(request: StaffRequest, participant_id: UUID, payload: AppointmentIn) -> Any:
    participant = care_participant(request, participant_id)
    data = payload_data(payload)
    arranged_by_me = data.pop("arranged_by_me")
    appointment = run_service(
        services.appointment_create,
        participant=participant,
        actor=request.user,
        transportation_arranged_by=request.user if arranged_by_me else None,
        **data,
    )
    return Status(201, appointment)
