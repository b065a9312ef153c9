"""Referrals: to a directory listing or a named provider, moved along with a hand-off note."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Schema
from ninja.responses import Status

from alongside.care import services
from alongside.care.api.common import (
    READ,
    WRITE,
    CareRouter,
    care_participant,
    field_error,
    payload_data,
    run_service,
)
from alongside.care.api.fields import In, choices_enum, words, writes
from alongside.care.models import Referral
from alongside.core.tenancy import get_for_org_or_404

if TYPE_CHECKING:
    from alongside.core.tenancy import StaffRequest

router = CareRouter()

ReferralStatusChoice = choices_enum("ReferralStatus", Referral.Status)


class ReferralIn(In):
    provider_name: str = words(300, description="Leave empty when giving a directory listing.")
    directory_service_id: UUID | None = None
    status: ReferralStatusChoice = Referral.Status.SUGGESTED  # type: ignore[valid-type]
    warm_handoff_note: str = words(5000)


@writes(services.REFERRAL_FIELDS)
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


@router.get(
    "/participants/{participant_id}/referrals",
    response={200: list[ReferralOut], **READ},
    summary="A participant's referrals",
)
def referral_list(request: StaffRequest, participant_id: UUID) -> Any:
    return list(care_participant(request, participant_id).referrals.select_related("made_by"))


@router.post(
    "/participants/{participant_id}/referrals",
    response={201: ReferralOut, **WRITE},
    summary="Refer to a directory listing (by id) or a named provider",
)
def referral_create(request: StaffRequest, participant_id: UUID, payload: ReferralIn) -> Any:
    participant = care_participant(request, participant_id)
    data = payload_data(payload)
    if not data.get("provider_name") and not data.get("directory_service_id"):
        raise field_error("provider_name", _("Name the provider or give a directory listing."))
    referral = run_service(
        services.referral_create, participant=participant, actor=request.user, **data
    )
    return Status(201, referral)


@router.patch(
    "/participants/{participant_id}/referrals/{referral_id}",
    response={200: ReferralOut, **WRITE},
    summary="Move a referral along or add to the hand-off note",
)
def referral_update(
    request: StaffRequest, participant_id: UUID, referral_id: UUID, payload: ReferralPatch
) -> Any:
    participant = care_participant(request, participant_id)
    referral = get_for_org_or_404(
        Referral, request.organization, pk=referral_id, participant=participant
    )
    return run_service(
        services.referral_update,
        referral=referral,
        actor=request.user,
        data=payload_data(payload, partial=True),
    )
