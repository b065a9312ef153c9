"""The billing API under ``/api/v1/billing/…`` and a person's coverages (docs/billing.md, *API*).

Billing and organization-admin tokens only (403 for any other role). Money is dollars with
two decimals, as text ("45.00"); the database keeps integer cents. Another organization's
batch, claim or remittance answers 404. No route returns a note's words.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as ParameterError
from ninja.responses import Status

from alongside.billing import selectors, services
from alongside.billing.access import can_bill
from alongside.billing.models import Batch, BillingIdentity, Claim, Line, Payer, Remittance
from alongside.billing.rules import dollars
from alongside.care.access import can_see_care, participant_for_request_or_404
from alongside.care.api.fields import NO_NUL
from alongside.care.models import Coverage, Participant
from alongside.core.api import DetailOut, ErrorsOut
from alongside.core.audit import Action, audit_record, audit_views
from alongside.core.tenancy import get_for_org_or_404

if TYPE_CHECKING:
    from alongside.core.tenancy import StaffRequest

router = Router(tags=["billing"])

BAD = ErrorsOut | DetailOut
READ = {400: BAD, 401: DetailOut, 403: DetailOut, 404: DetailOut}
WRITE = {**READ, 409: DetailOut}


def _billing(request: StaffRequest) -> None:
    if not can_bill(request.membership):
        raise HttpError(403, _("This token's roles do not open billing."))


def _run(service: Any, **kwargs: Any) -> Any:
    try:
        return service(**kwargs)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise ParameterError(
                [
                    {"loc": ("body", "payload", field), "msg": message}
                    for field, messages in exc.message_dict.items()
                    for message in messages
                ]
            ) from exc
        raise HttpError(409, " ".join(exc.messages)) from exc


def _payer(code: str) -> Payer:
    payer = Payer.objects.filter(code=code).first()
    if payer is None:
        raise ParameterError([{"loc": ("body", "payload", "payer"), "msg": _("No such payer.")}])
    return payer


# --- Schemas ------------------------------------------------------------------------------


class BillingBatchIn(Schema):
    payer: str = Field(
        ..., description="The payer's code, e.g. DEMO.", max_length=40, pattern=NO_NUL
    )
    starts_on: date = Field(..., alias="from", description="First date of service, YYYY-MM-DD.")
    ends_on: date = Field(..., alias="to", description="Last date of service, YYYY-MM-DD.")


class BillingLineOut(Schema):
    encounter_id: UUID
    date: date
    code: str
    modifiers: list[str]
    units: int
    minutes: int
    amount: str = Field(description="Dollars with two decimals.")

    @staticmethod
    def resolve_amount(obj: Line) -> str:
        return dollars(obj.amount_cents)


class BillingHeldOut(Schema):
    encounter_id: UUID
    date: date
    units: int
    minutes: int
    reasons: list[str]


class BillingClaimOut(Schema):
    claim_id: str
    participant_id: UUID
    frequency: str
    status: str
    charge: str
    paid: str
    payer_claim_number: str

    @staticmethod
    def resolve_charge(obj: Claim) -> str:
        return dollars(obj.charge_cents)

    @staticmethod
    def resolve_paid(obj: Claim) -> str:
        return dollars(obj.paid_cents)


class BillingBatchOut(Schema):
    id: UUID
    payer: str
    starts_on: date = Field(serialization_alias="from")
    ends_on: date = Field(serialization_alias="to")
    status: str
    lines: list[BillingLineOut]
    held: list[BillingHeldOut]
    claims: list[BillingClaimOut]
    file_errors: list[str]


class BillingFileErrorsOut(Schema):
    detail: str
    errors: list[str]


class BillingAdjustmentOut(Schema):
    group: str
    reason: str
    amount: str


class BillingClaimAnswerOut(Schema):
    claim_id: str
    status: str
    paid: str
    adjustments: list[BillingAdjustmentOut]


class BillingRemittanceOut(Schema):
    id: UUID
    trace_number: str
    claims: list[BillingClaimAnswerOut]
    unmatched: list[str]


class BillingX12ErrorOut(Schema):
    detail: str
    segment: str
    reason: str


class BillingCorrectionIn(Schema):
    payer_claim_number: str = Field("", max_length=50, pattern=NO_NUL)


class BillingIdentityIn(Schema):
    legal_name: str = Field(..., max_length=60, pattern=NO_NUL)
    npi: str = Field(..., max_length=10, pattern=NO_NUL)
    tax_id: str = Field(..., max_length=9, pattern=NO_NUL)
    taxonomy: str = Field("175T00000X", max_length=10, pattern=NO_NUL)
    address_line1: str = Field(..., max_length=55, pattern=NO_NUL)
    address_line2: str = Field("", max_length=55, pattern=NO_NUL)
    city: str = Field(..., max_length=30, pattern=NO_NUL)
    state: str = Field(..., max_length=2, pattern=NO_NUL)
    postal_code: str = Field(..., max_length=9, pattern=NO_NUL)
    contact_phone: str = Field(..., max_length=10, pattern=NO_NUL)
    submitter_id: str = Field("", max_length=15, pattern=NO_NUL)


class BillingIdentityOut(Schema):
    legal_name: str
    npi: str
    tax_id: str
    taxonomy: str
    address_line1: str
    address_line2: str
    city: str
    state: str
    postal_code: str
    contact_phone: str
    submitter_id: str


class BillingCoverageIn(Schema):
    payer: str = Field(
        ..., description="The payer's code, e.g. DEMO.", max_length=40, pattern=NO_NUL
    )
    member_id: str = Field(..., min_length=1, max_length=60, pattern=NO_NUL)
    starts_on: date
    ends_on: date | None = None
    diagnosis_codes: list[Annotated[str, Field(pattern=NO_NUL)]] = Field(
        default_factory=list,
        description="ICD-10 codes as the referring clinician recorded them; peers do not diagnose.",
    )


class BillingCoverageOut(Schema):
    id: UUID
    payer: str
    payer_name: str
    member_id: str
    starts_on: date
    ends_on: date | None
    diagnosis_codes: list[str]

    @staticmethod
    def resolve_payer(obj: Coverage) -> str:
        return obj.payer_code

    @staticmethod
    def resolve_diagnosis_codes(obj: Coverage) -> list[str]:
        return obj.diagnosis_list


class BillingPayerOut(Schema):
    code: str
    name: str
    payer_id: str
    rounding: str
    daily_cap_units: int | None
    requires: list[str]
    timely_filing_days: int | None
    verified: bool


def _batch_out(batch: Batch) -> dict[str, Any]:
    view = selectors.batch_view(batch)
    return {
        "id": batch.pk,
        "payer": batch.payer.code,
        "starts_on": batch.starts_on,
        "ends_on": batch.ends_on,
        "status": batch.status,
        "lines": view.billable,
        "held": view.held,
        "claims": view.claims,
        "file_errors": batch.file_errors,
    }


def _remittance_out(remittance: Remittance) -> dict[str, Any]:
    return {
        "id": remittance.pk,
        "trace_number": remittance.trace_number,
        "claims": remittance.result.get("claims", []),
        "unmatched": remittance.result.get("unmatched", []),
    }


# --- Routes -------------------------------------------------------------------------------


@router.get("/billing/payers", response={200: list[BillingPayerOut], **READ}, summary="Payers")
def billing_payers(request: StaffRequest) -> Any:
    _billing(request)
    return list(selectors.payers_all())


@router.post(
    "/billing/batches",
    response={201: BillingBatchOut, **WRITE},
    summary="Build a billing run: lines and held lines for a payer and dates of service",
    by_alias=True,
)
def billing_batch_create(request: StaffRequest, payload: BillingBatchIn) -> Any:
    _billing(request)
    batch = _run(
        services.batch_build,
        organization=request.organization,
        payer=_payer(payload.payer),
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        actor=request.user,
    )
    return Status(201, _batch_out(batch))


@router.get(
    "/billing/batches/{batch_id}",
    response={200: BillingBatchOut, **READ},
    summary="A billing run with its lines, held lines and claims",
    by_alias=True,
)
def billing_batch_read(request: StaffRequest, batch_id: UUID) -> Any:
    _billing(request)
    batch = get_for_org_or_404(
        Batch.objects.select_related("payer"), request.organization, pk=batch_id
    )
    audit_record(action=Action.VIEW, request=request, obj=batch)
    audit_views(
        request=request,
        participant_ids=selectors.participants_in_batch(batch),
        object_type="billing.batch",
    )
    return _batch_out(batch)


@router.get(
    "/billing/batches/{batch_id}/837p",
    response={200: str, 409: BillingFileErrorsOut, **READ},
    summary="The batch's 837P file (text/plain), once it passes validation",
)
def billing_batch_file(request: StaffRequest, batch_id: UUID) -> Any:
    _billing(request)
    batch = get_for_org_or_404(Batch, request.organization, pk=batch_id)
    batch = services.batch_file_prepare(batch=batch)
    if not batch.file_ready:
        return Status(
            409,
            {"detail": _("The file did not pass validation."), "errors": batch.file_errors},
        )
    text = services.batch_file_download(batch=batch, actor=request.user)
    audit_views(
        request=request,
        participant_ids=selectors.participants_in_batch(batch),
        object_type="billing.837p",
    )
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="837p-{batch.control_number}.txt"'
    return response


@router.post(
    "/billing/claims/{claim_id}/replace",
    response={201: BillingClaimOut, **WRITE},
    summary="Replace a submitted claim (frequency 7), in a batch of its own",
)
def billing_claim_replace(
    request: StaffRequest, claim_id: str, payload: BillingCorrectionIn
) -> Any:
    _billing(request)
    claim = get_for_org_or_404(Claim, request.organization, claim_id=claim_id)
    new = _run(
        services.claim_replace,
        claim=claim,
        actor=request.user,
        payer_claim_number=payload.payer_claim_number,
    )
    return Status(201, new)


@router.post(
    "/billing/claims/{claim_id}/void",
    response={201: BillingClaimOut, **WRITE},
    summary="Void a submitted claim (frequency 8), in a batch of its own",
)
def billing_claim_void(request: StaffRequest, claim_id: str, payload: BillingCorrectionIn) -> Any:
    _billing(request)
    claim = get_for_org_or_404(Claim, request.organization, claim_id=claim_id)
    new = _run(
        services.claim_void,
        claim=claim,
        actor=request.user,
        payer_claim_number=payload.payer_claim_number,
    )
    return Status(201, new)


@router.get(
    "/billing/claims/{claim_id}",
    response={200: BillingClaimOut, **READ},
    summary="One claim by our claim id",
)
def billing_claim_read(request: StaffRequest, claim_id: str) -> Any:
    _billing(request)
    claim = get_for_org_or_404(Claim, request.organization, claim_id=claim_id)
    audit_views(
        request=request, participant_ids=[claim.participant_id], object_type="billing.claim"
    )
    return claim


@router.post(
    "/billing/remittances",
    response={**READ, 200: BillingRemittanceOut, 400: BillingX12ErrorOut},
    summary="Import an 835 remittance: the raw file is the request body",
    openapi_extra={
        "requestBody": {"content": {"text/plain": {"schema": {"type": "string"}}}, "required": True}
    },
)
def billing_remittance_import(request: StaffRequest) -> Any:
    from alongside.billing.x12.model import X12Error

    _billing(request)
    try:
        text = request.body.decode("utf-8")
    except UnicodeDecodeError:
        return Status(400, {"detail": _("The file is not text."), "segment": "", "reason": ""})
    try:
        remittance = services.remittance_import_text(
            text=text, organization=request.organization, actor=request.user
        )
    except X12Error as exc:
        return Status(400, {"detail": str(exc), "segment": exc.segment, "reason": exc.reason})
    return _remittance_out(remittance)


@router.get(
    "/billing/remittances/{remittance_id}",
    response={200: BillingRemittanceOut, **READ},
    summary="What an imported 835 did",
)
def billing_remittance_read(request: StaffRequest, remittance_id: UUID) -> Any:
    _billing(request)
    remittance = get_for_org_or_404(Remittance, request.organization, pk=remittance_id)
    audit_views(
        request=request,
        participant_ids=selectors.participants_in_remittance(remittance),
        object_type="billing.remittance",
    )
    return _remittance_out(remittance)


@router.get(
    "/billing/identity",
    response={200: BillingIdentityOut, **READ},
    summary="The organization's billing identity",
)
def billing_identity_read(request: StaffRequest) -> Any:
    _billing(request)
    return get_for_org_or_404(BillingIdentity, request.organization)


@router.put(
    "/billing/identity",
    response={200: BillingIdentityOut, **WRITE},
    summary="Set the organization's billing identity (NPI, tax id, taxonomy, address)",
)
def billing_identity_write(request: StaffRequest, payload: BillingIdentityIn) -> Any:
    _billing(request)
    return _run(
        services.billing_identity_set,
        organization=request.organization,
        actor=request.user,
        data=payload.model_dump(),
    )


def _participant(request: StaffRequest, participant_id: UUID) -> Participant:
    if can_see_care(request.membership):
        return participant_for_request_or_404(request, participant_id)
    _billing(request)
    return get_for_org_or_404(Participant, request.organization, pk=participant_id)


@router.post(
    "/participants/{participant_id}/coverages",
    response={201: BillingCoverageOut, **WRITE},
    summary="Add a coverage by one of the payers, with the referring clinician's diagnosis codes",
)
def billing_coverage_create(
    request: StaffRequest, participant_id: UUID, payload: BillingCoverageIn
) -> Any:
    if not (can_bill(request.membership) or can_see_care(request.membership)):
        raise HttpError(403, _("This token's roles do not open coverage."))
    participant = _participant(request, participant_id)
    coverage = _run(
        services.coverage_add,
        participant=participant,
        payer=_payer(payload.payer),
        member_id=payload.member_id,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        diagnosis_codes=payload.diagnosis_codes,
        actor=request.user,
    )
    return Status(201, coverage)


@router.get(
    "/participants/{participant_id}/coverages",
    response={200: list[BillingCoverageOut], **READ},
    summary="The person's coverages, newest first",
)
def billing_coverage_list(request: StaffRequest, participant_id: UUID) -> Any:
    if not (can_bill(request.membership) or can_see_care(request.membership)):
        raise HttpError(403, _("This token's roles do not open coverage."))
    participant = _participant(request, participant_id)
    audit_views(request=request, participant_ids=[participant.pk], object_type="billing.coverages")
    return list(participant.coverages.all())
