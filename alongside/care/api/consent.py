"""Consents to share: list, record as the person gave it, revoke."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any
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
from alongside.care.api.fields import (
    Day,
    In,
    InformationCategoryChoice,
    PurposeChoice,
    choices_enum,
    words,
    writes,
)
from alongside.care.models import Consent
from alongside.core.tenancy import get_for_org_or_404

if TYPE_CHECKING:
    from alongside.core.tenancy import StaffRequest

router = CareRouter()

RevokedHowChoice = choices_enum("RevokedHow", Consent.RevokedHow)


# The scan of a signed paper form is uploaded through the pages, not the API.
@writes(services.CONSENT_FIELDS)
class ConsentIn(In):
    discloser: str = words(200, default=..., min_length=1)
    recipients: list[
        Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\x00\n\r]*$")]
    ] = Field([], description="Who may receive it, one name each.")
    general_designation: StrictBool = False
    information: str = words(5000, default=..., min_length=1)
    information_categories: list[InformationCategoryChoice] = Field(  # type: ignore[valid-type]
        min_length=1,
        description="The kinds of information the person agreed to share; only these are "
        "ever released under the consent. `as_described` marks consents recorded before the "
        "categories existed and cannot be chosen for a new one.",
    )
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
    information_categories: list[str]
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


@router.get(
    "/participants/{participant_id}/consents",
    response={200: list[ConsentOut], **READ},
    summary="A participant's consents to share, revoked ones included",
)
def consent_list(request: StaffRequest, participant_id: UUID) -> Any:
    return list(care_participant(request, participant_id).consents.all())


@router.post(
    "/participants/{participant_id}/consents",
    response={201: ConsentOut, **WRITE},
    summary="Record a consent to share, as the person gave it",
)
def consent_create(request: StaffRequest, participant_id: UUID, payload: ConsentIn) -> Any:
    participant = care_participant(request, participant_id)
    data = payload_data(payload)
    data["recipients"] = "\n".join(data["recipients"])
    consent = run_service(
        services.consent_create, participant=participant, actor=request.user, data=data
    )
    return Status(201, consent)


@router.post(
    "/participants/{participant_id}/consents/{consent_id}/revoke",
    response={200: ConsentOut, **WRITE},
    summary="Revoke a consent; it stays on file, marked revoked",
)
def consent_revoke(
    request: StaffRequest, participant_id: UUID, consent_id: UUID, payload: RevokeIn
) -> Any:
    participant = care_participant(request, participant_id)
    consent = get_for_org_or_404(
        Consent, request.organization, pk=consent_id, participant=participant
    )
    return run_service(
        services.consent_revoke, consent=consent, actor=request.user, **payload_data(payload)
    )
