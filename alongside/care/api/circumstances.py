"""Housing and work with their dates, and the coverage that pays for a person's care."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from ninja import Field
from ninja.responses import Status

from alongside.care import services
from alongside.care.api.common import (
    READ,
    WRITE,
    CareRouter,
    care_participant,
    payload_data,
    run_service,
)
from alongside.care.api.fields import Day, In, choices_enum, words, writes
from alongside.care.api.participants import CoverageOut, StatusOut
from alongside.care.models import Coverage, Employment, Housing
from alongside.core.tenancy import get_for_org_or_404

if TYPE_CHECKING:
    from alongside.core.tenancy import StaffRequest

router = CareRouter()

HousingChoice = choices_enum("Housing", Housing)
EmploymentChoice = choices_enum("Employment", Employment)


@writes(services.STATUS_FIELDS)
class HousingIn(In):
    status: HousingChoice  # type: ignore[valid-type]
    since: Day = Field(description="From this day on; not in the future.")


@writes(services.STATUS_FIELDS)
class EmploymentIn(In):
    status: EmploymentChoice  # type: ignore[valid-type]
    since: Day = Field(description="From this day on; not in the future.")


class CoverageFields(In):
    payer_name: str = words(120, default=None, min_length=1)
    payer_code: str = words(40)
    member_id: str = words(60, default=None, min_length=1)
    starts_on: Day = None  # type: ignore[assignment]
    ends_on: Day | None = Field(None, description="Empty while it lasts; not before starts_on.")
    diagnosis_codes: str = words(
        200, description="ICD-10 codes from the referring clinician, separated by spaces."
    )


@writes(services.COVERAGE_FIELDS)
class CoverageIn(CoverageFields):
    payer_name: str = words(120, default=..., min_length=1)
    member_id: str = words(60, default=..., min_length=1)
    starts_on: Day


@writes(services.COVERAGE_FIELDS)
class CoveragePatch(CoverageFields):
    """Only the fields sent change; most often the end date."""


def _coverage(request: StaffRequest, participant_id: UUID, coverage_id: UUID) -> Coverage:
    participant = care_participant(request, participant_id)
    return get_for_org_or_404(
        Coverage, request.organization, pk=coverage_id, participant=participant
    )


@router.get(
    "/participants/{participant_id}/housing",
    response={200: list[StatusOut], **READ},
    summary="Where the person has lived, newest first",
)
def housing_list(request: StaffRequest, participant_id: UUID) -> Any:
    return list(care_participant(request, participant_id).housing_statuses.all())


@router.post(
    "/participants/{participant_id}/housing",
    response={201: StatusOut, **WRITE},
    summary="Note where the person lives from a day on",
)
def housing_record(request: StaffRequest, participant_id: UUID, payload: HousingIn) -> Any:
    participant = care_participant(request, participant_id)
    row = run_service(
        services.housing_status_record,
        participant=participant,
        actor=request.user,
        data=payload_data(payload),
    )
    return Status(201, row)


@router.get(
    "/participants/{participant_id}/employment",
    response={200: list[StatusOut], **READ},
    summary="The person's work over time, newest first",
)
def employment_list(request: StaffRequest, participant_id: UUID) -> Any:
    return list(care_participant(request, participant_id).employment_statuses.all())


@router.post(
    "/participants/{participant_id}/employment",
    response={201: StatusOut, **WRITE},
    summary="Note the person's work from a day on",
)
def employment_record(request: StaffRequest, participant_id: UUID, payload: EmploymentIn) -> Any:
    participant = care_participant(request, participant_id)
    row = run_service(
        services.employment_status_record,
        participant=participant,
        actor=request.user,
        data=payload_data(payload),
    )
    return Status(201, row)


@router.get(
    "/participants/{participant_id}/coverage",
    response={200: list[CoverageOut], **READ},
    summary="The person's coverage, newest first",
)
def coverage_list(request: StaffRequest, participant_id: UUID) -> Any:
    return list(care_participant(request, participant_id).coverages.all())


@router.post(
    "/participants/{participant_id}/coverage",
    response={201: CoverageOut, **WRITE},
    summary="Add a health plan that covers the person",
)
def coverage_create(request: StaffRequest, participant_id: UUID, payload: CoverageIn) -> Any:
    participant = care_participant(request, participant_id)
    coverage = run_service(
        services.coverage_create,
        participant=participant,
        actor=request.user,
        data=payload_data(payload),
    )
    return Status(201, coverage)


@router.patch(
    "/participants/{participant_id}/coverage/{coverage_id}",
    response={200: CoverageOut, **WRITE},
    summary="Change a coverage (say, the day it ended)",
)
def coverage_update(
    request: StaffRequest, participant_id: UUID, coverage_id: UUID, payload: CoveragePatch
) -> Any:
    coverage = _coverage(request, participant_id, coverage_id)
    data = payload_data(payload, partial=True)
    run_service(services.coverage_update, coverage=coverage, actor=request.user, data=data)
    return coverage


@router.delete(
    "/participants/{participant_id}/coverage/{coverage_id}",
    response={204: None, **WRITE},
    summary="Remove a coverage entered by mistake (one that ended gets an end date instead)",
)
def coverage_delete(request: StaffRequest, participant_id: UUID, coverage_id: UUID) -> Any:
    coverage = _coverage(request, participant_id, coverage_id)
    run_service(services.coverage_delete, coverage=coverage, actor=request.user)
    return Status(204, None)
