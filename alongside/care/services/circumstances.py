"""Housing and work as they change, and the health plans that cover a person's care."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from alongside.care.models import Coverage, EmploymentStatus, HousingStatus, Participant
from alongside.core.audit import Action, audit_record
from alongside.core.records import record_create, record_update

STATUS_FIELDS = ("status", "since")
COVERAGE_FIELDS = (
    "payer_name",
    "payer_code",
    "member_id",
    "starts_on",
    "ends_on",
    "diagnosis_codes",
)


def housing_status_record(
    *, participant: Participant, actor: Any, data: dict[str, Any]
) -> HousingStatus:
    """Note where the person lives from a day on; earlier rows stay as history."""
    row = HousingStatus(organization=participant.organization, participant=participant)
    return record_create(row, actor=actor, fields=STATUS_FIELDS, data=data)


def employment_status_record(
    *, participant: Participant, actor: Any, data: dict[str, Any]
) -> EmploymentStatus:
    """Note the person's work from a day on; earlier rows stay as history."""
    row = EmploymentStatus(organization=participant.organization, participant=participant)
    return record_create(row, actor=actor, fields=STATUS_FIELDS, data=data)


def coverage_create(*, participant: Participant, actor: Any, data: dict[str, Any]) -> Coverage:
    """Add a health plan that covers the person, with its period."""
    coverage = Coverage(organization=participant.organization, participant=participant)
    return record_create(coverage, actor=actor, fields=COVERAGE_FIELDS, data=data)


def coverage_update(*, coverage: Coverage, actor: Any, data: dict[str, Any]) -> Coverage:
    """Change a coverage: most often, the day it ended."""
    record_update(coverage, actor=actor, fields=COVERAGE_FIELDS, data=data)
    return coverage


@transaction.atomic
def coverage_delete(*, coverage: Coverage, actor: Any) -> None:
    """Remove a coverage entered by mistake (one that ended gets an end date instead)."""
    audit_record(
        action=Action.DELETE,
        actor=actor,
        organization=coverage.organization,
        obj=coverage,
        participant_id=str(coverage.participant_id),
    )
    coverage.delete()
