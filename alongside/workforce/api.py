"""The workforce API under ``/api/v1/staff/{username}/…`` (see docs/workforce.md, *API*).

Who sees whom follows ``workforce.access``: a peer specialist their own records, a supervisor
their supervisees' too, an organization admin everyone's in the organization. A username of
another organization, or one the token may not see, answers 404, as does a credential id that
is not that person's.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from alongside.care.api.common import READ, WRITE, field_error, run_service
from alongside.care.api.fields import Day, In, words, writes
from alongside.core.models import Membership
from alongside.core.tenancy import get_for_org_or_404
from alongside.workforce import selectors, services
from alongside.workforce.access import staff_member_or_404, supervisors_in
from alongside.workforce.models import (
    Credential,
    CredentialType,
    StaffProfile,
    SupervisionSession,
    SupervisoryAgreement,
    Training,
)

if TYPE_CHECKING:
    from alongside.core.tenancy import StaffRequest

router = Router(tags=["workforce"])

FormatChoice = Enum("SupervisionFormat", {v: v for v in SupervisionSession.Format.values}, type=str)  # type: ignore[misc]
ON_DAY = Query(None, description="The day asked about, YYYY-MM-DD; today if left out.")
CREDENTIAL_CODE = Query(..., description="The credential type's code, e.g. nh-crsw.")


# --- Schemas ------------------------------------------------------------------------------


@writes(services.CREDENTIAL_FIELDS)
class CredentialIn(In):
    type: str = Field(..., description="The credential type's code, e.g. nh-crsw.", max_length=60)
    number: str = words(60, default=..., min_length=1)
    issued_on: Day
    expires_on: Day | None = Field(
        None, description="Left out: the issue date plus the type's renewal cycle."
    )


class CredentialOut(Schema):
    id: UUID
    type: str
    name: str
    number: str
    issued_on: date
    expires_on: date
    status: str

    @staticmethod
    def resolve_type(obj: Credential) -> str:
        return obj.type.code

    @staticmethod
    def resolve_name(obj: Credential) -> str:
        return obj.type.name

    @staticmethod
    def resolve_status(obj: Credential) -> str:
        return str(selectors.credential_status(obj, timezone.localdate()).status)


class HaveNeed(Schema):
    have: float
    need: float | None


class CredentialStatusOut(Schema):
    status: str = Field(..., description="active, expiring, grace, lapsed or retraining_required.")
    expires_on: date
    ce: dict[str, HaveNeed] = Field(
        ..., description="CE hours in the current cycle: total, and each topic minimum."
    )
    met: bool
    missing: list[str] = Field(..., description="What is missing, in plain words.")


class ExamOut(Schema):
    need: str | None
    passed: bool
    passed_on: date | None


class ProgressOut(Schema):
    credential: str
    status: str = Field(..., description="met, or in_progress.")
    training: dict[str, HaveNeed]
    experience_hours: HaveNeed
    supervised_hours: HaveNeed = Field(
        ..., description="Only supervision under an approved agreement counts."
    )
    exam: ExamOut
    met: bool
    missing: list[str]


@writes(services.TRAINING_FIELDS)
class TrainingIn(In):
    date: Day
    hours: Decimal = Field(
        ..., description="More than 0, at most 24.", max_digits=4, decimal_places=2
    )
    topic: str = Field(..., max_length=60, description="A topic slug, e.g. ethics.")
    title: str = words(200, default=..., min_length=1)
    provider: str = words(200)


class TrainingOut(Schema):
    id: UUID
    date: date
    hours: float
    topic: str
    title: str
    provider: str
    has_certificate: bool

    @staticmethod
    def resolve_has_certificate(obj: Training) -> bool:
        return bool(obj.certificate_key)


@writes(services.SUPERVISION_FIELDS)
class SupervisionIn(In):
    date: Day
    minutes: int = Field(..., description="More than 0, at most 1440.")
    supervisor: str = Field(..., max_length=150, description="The supervisor's username.")
    format: FormatChoice  # type: ignore[valid-type]
    topics: list[str] = Field(default_factory=list, max_length=20)
    note: str = words(2000)


class SupervisionOut(Schema):
    id: UUID
    date: date
    minutes: int
    supervisor: str
    supervisee: str
    format: str
    topics: list[str]

    @staticmethod
    def resolve_supervisor(obj: SupervisionSession) -> str:
        return str(obj.supervisor.user.get_username())

    @staticmethod
    def resolve_supervisee(obj: SupervisionSession) -> str:
        return str(obj.supervisee.user.get_username())


@writes(services.AGREEMENT_FIELDS)
class AgreementIn(In):
    supervisor: str = Field(..., max_length=150, description="The supervisor's username.")
    approved_on: Day | None = Field(None, description="When it was approved; left out: pending.")
    approved_by: str = words(200)
    ends_on: Day | None = None


class AgreementOut(Schema):
    id: UUID
    supervisor: str
    supervisee: str
    approved_on: date | None
    approved_by: str
    ends_on: date | None

    @staticmethod
    def resolve_supervisor(obj: SupervisoryAgreement) -> str:
        return str(obj.supervisor.user.get_username())

    @staticmethod
    def resolve_supervisee(obj: SupervisoryAgreement) -> str:
        return str(obj.supervisee.user.get_username())


# --- Helpers ------------------------------------------------------------------------------


def _profile(request: StaffRequest, username: str) -> StaffProfile:
    member = staff_member_or_404(request, username)
    return services.staff_profile_ensure(membership=member, actor=request.user)


def _read_profile(request: StaffRequest, username: str) -> tuple[Membership, StaffProfile | None]:
    member = staff_member_or_404(request, username)
    return member, selectors.profile_for(member)


def _credential_type(code: str, field: str = "type") -> CredentialType:
    ctype = CredentialType.objects.filter(code=code).first()
    if ctype is None:
        raise field_error(field, _("No credential type has the code %(code)s.") % {"code": code})
    return ctype


def _supervisor(request: StaffRequest, username: str) -> StaffProfile:
    member = supervisors_in(request.organization).filter(user__username=username).first()
    if member is None:
        raise field_error("supervisor", _("No member of this organization has that username."))
    return services.staff_profile_ensure(membership=member, actor=request.user)


# --- Routes -------------------------------------------------------------------------------


@router.get("/staff/{username}/credentials", response={200: list[CredentialOut], **READ})
def credentials_list(request: StaffRequest, username: str) -> Any:
    """The credentials this person holds (a renewal is a record of its own)."""
    _member, profile = _read_profile(request, username)
    if profile is None:
        return []
    return list(profile.credentials.select_related("type"))


@router.post("/staff/{username}/credentials", response={201: CredentialOut, **WRITE})
def credential_create(request: StaffRequest, username: str, payload: CredentialIn) -> Any:
    """Record a credential held; without ``expires_on`` it is counted from the renewal cycle."""
    with transaction.atomic():
        profile = _profile(request, username)
        data = payload.model_dump()
        data["type"] = _credential_type(payload.type)
        credential = run_service(
            services.credential_add, profile=profile, actor=request.user, data=data
        )
    return Status(201, credential)


@router.get(
    "/staff/{username}/credentials/{id}/status", response={200: CredentialStatusOut, **READ}
)
def credential_status(
    request: StaffRequest,
    username: str,
    id: UUID,  # noqa: A002 -- the path's name for it, as documented
    on: Day | None = ON_DAY,
) -> Any:
    """Status on a day, CE in the current cycle as have/need, whether it is met, what is missing."""
    _member, profile = _read_profile(request, username)
    credential = get_for_org_or_404(
        Credential.objects.select_related("type"),
        request.organization,
        pk=id,
        profile=profile,
    )
    return selectors.credential_status(credential, on or timezone.localdate()).as_dict()


@router.get("/staff/{username}/progress", response={200: ProgressOut, **READ})
def progress(
    request: StaffRequest,
    username: str,
    credential: str = CREDENTIAL_CODE,
    on: Day | None = ON_DAY,
) -> Any:
    """Progress toward a credential: training by topic, experience, supervised hours, exam."""
    _member, profile = _read_profile(request, username)
    ctype = _credential_type(credential, "credential")
    return selectors.progress(profile, ctype, on or timezone.localdate()).as_dict()


@router.get("/staff/{username}/trainings", response={200: list[TrainingOut], **READ})
def trainings_list(request: StaffRequest, username: str) -> Any:
    _member, profile = _read_profile(request, username)
    return [] if profile is None else list(profile.trainings.all())


@router.post("/staff/{username}/trainings", response={201: TrainingOut, **WRITE})
def training_create(request: StaffRequest, username: str, payload: TrainingIn) -> Any:
    """Record a training or CE (a certificate is uploaded on the person's page)."""
    with transaction.atomic():
        profile = _profile(request, username)
        training = run_service(
            services.training_add, profile=profile, actor=request.user, data=payload.model_dump()
        )
    return Status(201, training)


@router.get("/staff/{username}/supervision", response={200: list[SupervisionOut], **READ})
def supervision_list(request: StaffRequest, username: str) -> Any:
    _member, profile = _read_profile(request, username)
    if profile is None:
        return []
    return list(profile.supervision_received.select_related("supervisor__user", "supervisee__user"))


@router.post("/staff/{username}/supervision", response={201: SupervisionOut, **WRITE})
def supervision_create(request: StaffRequest, username: str, payload: SupervisionIn) -> Any:
    """Log a supervision session this person received."""
    with transaction.atomic():
        profile = _profile(request, username)
        data = payload.model_dump()
        data["supervisor"] = _supervisor(request, payload.supervisor)
        session = run_service(
            services.supervision_add, supervisee=profile, actor=request.user, data=data
        )

    return Status(201, session)


@router.get("/staff/{username}/agreements", response={200: list[AgreementOut], **READ})
def agreements_list(request: StaffRequest, username: str) -> Any:
    _member, profile = _read_profile(request, username)
    if profile is None:
        return []
    return list(
        profile.agreements_as_supervisee.select_related("supervisor__user", "supervisee__user")
    )


@router.post("/staff/{username}/agreements", response={201: AgreementOut, **WRITE})
def agreement_create(request: StaffRequest, username: str, payload: AgreementIn) -> Any:
    """Record a supervisory agreement, pending or with the date and who approved it."""
    with transaction.atomic():
        profile = _profile(request, username)
        data = payload.model_dump()
        data["supervisor"] = _supervisor(request, payload.supervisor)
        agreement = run_service(
            services.agreement_add, supervisee=profile, actor=request.user, data=data
        )

    return Status(201, agreement)
