"""The record as a FHIR R4 Bundle, through the consent gate."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast
from uuid import UUID

from ninja import Field, Query, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from alongside.care.api.common import BAD, CareRouter, DetailOut, care_participant
from alongside.care.api.fields import InformationCategoryChoice, PurposeChoice
from alongside.care.consent import DisclosureRefused
from alongside.care.fhir import participant_fhir_export

if TYPE_CHECKING:
    from alongside.core.tenancy import StaffRequest

router = CareRouter()


class RefusedOut(Schema):
    detail: str = Field(description="Why no consent covers this disclosure.")
    missing: list[str] = Field(
        description="no_consent, not_signed_yet, expired, revoked, recipient_not_covered, "
        "purpose_not_covered, restricted_by_the_person, category_not_covered or "
        "categories_not_chosen (an older consent: choose `categories`)."
    )


class ExportQuery(Schema):
    model_config = ConfigDict(use_enum_values=True)

    purpose: PurposeChoice = Field(  # type: ignore[valid-type]
        description="Why the record is exported; a consent on file must cover it."
    )
    categories: list[InformationCategoryChoice] = Field(  # type: ignore[valid-type]
        default=[],
        description="The kinds of information to release; all the consent covers when "
        "omitted. Required under an older consent that says what it covers only in words "
        "(`as_described`): the person exporting reads it and chooses.",
    )


@router.get(
    "/participants/{participant_id}/fhir",
    response={
        200: dict[str, Any],
        403: RefusedOut | DetailOut,
        401: DetailOut,
        404: DetailOut,
        400: BAD,
    },
    summary="The record as a FHIR R4 Bundle, through the consent gate",
    description="A `collection` Bundle of Patient, Consent, Coverage, CarePlan, Goal and signed "
    "Encounter resources. The recipient is recorded as “API export to <token user>”; without a "
    "consent covering that recipient and `purpose` the answer is 403 with what is missing. "
    "Only the categories of information the consent covers go out; `Bundle.meta.extension` "
    "names those released and those withheld. "
    "A 42 CFR Part 2 record carries security labels and the § 2.32 notice in `Bundle.meta`.",
)
def participant_fhir(
    request: StaffRequest, participant_id: UUID, params: Query[ExportQuery]
) -> Any:
    participant = care_participant(request, participant_id)
    try:
        return participant_fhir_export(
            participant=participant,
            actor=request.user,
            purpose=params.purpose,
            recipient=f"API export to {request.user.get_username()}",
            # The query's config sends the enum's plain values.
            categories=cast("list[str]", params.categories),
        )
    except DisclosureRefused as refused:
        return Status(
            403, {"detail": refused.check.explanation(), "missing": list(refused.check.missing)}
        )
