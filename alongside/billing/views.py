"""The billing clerk's pages: runs and their held lines, the claim file, remittances, denials.

Billing and organization admins only (others get 403; another organization's record 404).
Every batch, download and import is audited by its service; opening a batch is audited here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from alongside.billing import selectors, services
from alongside.billing.access import BILLING_ROLES
from alongside.billing.carc import reason_meaning
from alongside.billing.forms import BatchForm, CorrectionForm, IdentityForm, RemittanceForm
from alongside.billing.models import Batch, BillingIdentity, Claim, Remittance
from alongside.core.audit import Action, audit_record, audit_views
from alongside.core.forms import form_view
from alongside.core.tenancy import get_for_org_or_404, staff_required

if TYPE_CHECKING:
    from alongside.core.tenancy import StaffRequest

FORM_METHODS = ["GET", "HEAD", "POST"]


def _data(request: StaffRequest) -> Any:
    return request.POST if request.method == "POST" else None


@require_safe
@staff_required(*BILLING_ROLES)
def home(request: StaffRequest) -> HttpResponse:
    return render(
        request,
        "billing/home.html",
        {
            "form": BatchForm(),
            "batches": list(selectors.batches_recent()),
            "payers": list(selectors.payers_all()),
            "identity": BillingIdentity.objects.first(),
        },
    )


@require_http_methods(FORM_METHODS)
@staff_required(*BILLING_ROLES)
def batch_create(request: StaffRequest) -> HttpResponse:
    return form_view(
        request,
        BatchForm(_data(request)),
        save=lambda data: services.batch_build(
            organization=request.organization,
            payer=data["payer"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            actor=request.user,
        ),
        done=lambda batch: redirect("billing:batch", batch_id=batch.pk),
        template="billing/form.html",
        context={"title": _("Build a billing run"), "submit": _("Build the run")},
        success=_("Billing run built."),
    )


@require_safe
@staff_required(*BILLING_ROLES)
def batch_detail(request: StaffRequest, batch_id: str) -> HttpResponse:
    batch = get_for_org_or_404(
        Batch.objects.select_related("payer", "created_by"), request.organization, pk=batch_id
    )
    audit_record(action=Action.VIEW, request=request, obj=batch)
    view = selectors.batch_view(batch)
    shown = {line.participant_id for line in [*view.billable, *view.held]}
    audit_views(
        request=request,
        participant_ids=shown | {claim.participant_id for claim in view.claims},
        object_type="billing.batch",
    )
    return render(request, "billing/batch.html", {"view": view})


@require_safe
@staff_required(*BILLING_ROLES)
def batch_file(request: StaffRequest, batch_id: str) -> HttpResponse:
    """The 837P, written and validated on the first ask; a file that fails is never offered."""
    batch = get_for_org_or_404(Batch, request.organization, pk=batch_id)
    batch = services.batch_file_prepare(batch=batch)
    if not batch.file_ready:
        messages.error(request, _("The claim file did not pass validation: see the errors below."))
        return redirect("billing:batch", batch_id=batch.pk)
    text = services.batch_file_download(batch=batch, actor=request.user)
    audit_views(
        request=request,
        participant_ids=selectors.participants_in_batch(batch),
        object_type="billing.837p",
    )
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="837p-{batch.control_number}.txt"'
    return response


@require_http_methods(FORM_METHODS)
@staff_required(*BILLING_ROLES)
def claim_detail(request: StaffRequest, claim_id: str) -> HttpResponse:
    claim = get_for_org_or_404(
        Claim.objects.select_related("batch", "batch__payer", "participant"),
        request.organization,
        claim_id=claim_id,
    )
    form = CorrectionForm(_data(request), initial={"payer_claim_number": claim.payer_claim_number})
    action = request.POST.get("action", "replace")
    service = services.claim_void if action == "void" else services.claim_replace
    response = form_view(
        request,
        form,
        save=lambda data: service(
            claim=claim, actor=request.user, payer_claim_number=data["payer_claim_number"]
        ),
        done=lambda new: redirect("billing:batch", batch_id=new.batch_id),
        template="billing/claim.html",
        context={
            "claim": claim,
            "lines": list(claim.lines.order_by("date", "start_time")),
            "payments": list(
                claim.payments.select_related("remittance").prefetch_related("adjustments")
            ),
            "can_correct": claim.status
            not in {Claim.Status.BUILT, Claim.Status.REPLACED, Claim.Status.VOIDED},
        },
        success=_("Correction built in a run of its own: download its file to send it."),
    )
    if response.status_code != 302:  # the claim, with its person, was shown
        audit_views(
            request=request, participant_ids=[claim.participant_id], object_type="billing.claim"
        )
    return response


@require_http_methods(FORM_METHODS)
@staff_required(*BILLING_ROLES)
def remittances(request: StaffRequest) -> HttpResponse:
    from alongside.billing.x12.model import X12Error

    form = RemittanceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["file"].read()
        try:
            remittance = services.remittance_import_text(
                text=raw.decode("utf-8"), organization=request.organization, actor=request.user
            )
        except UnicodeDecodeError:
            form.add_error("file", _("This file is not text: is it the 835?"))
        except X12Error as exc:
            form.add_error(
                "file",
                _("Refused whole, nothing changed. Segment %(segment)s: %(reason)s")
                % {"segment": exc.segment or "?", "reason": exc.reason},
            )
        else:
            return redirect("billing:remittance", remittance_id=remittance.pk)
    return render(
        request,
        "billing/remittances.html",
        {"form": form, "remittances": list(Remittance.objects.order_by("-created_at")[:50])},
        status=400 if form.errors else 200,
    )


def _with_meanings(claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            **claim,
            "adjustments": [
                {**a, "meaning": reason_meaning(a["reason"])} for a in claim["adjustments"]
            ],
        }
        for claim in claims
    ]


@require_safe
@staff_required(*BILLING_ROLES)
def remittance_detail(request: StaffRequest, remittance_id: str) -> HttpResponse:
    remittance = get_for_org_or_404(Remittance, request.organization, pk=remittance_id)
    audit_views(
        request=request,
        participant_ids=selectors.participants_in_remittance(remittance),
        object_type="billing.remittance",
    )
    return render(
        request,
        "billing/remittance.html",
        {
            "remittance": remittance,
            "claims": _with_meanings(selectors.remittance_claims(remittance.result)),
            "unmatched": remittance.result.get("unmatched", []),
        },
    )


@require_safe
@staff_required(*BILLING_ROLES)
def denial_queue(request: StaffRequest) -> HttpResponse:
    denials = selectors.denials()
    audit_views(
        request=request,
        participant_ids=[denial.claim.participant_id for denial in denials],
        object_type="billing.denials",
    )
    meanings = {a.reason: reason_meaning(a.reason) for d in denials for a in d.adjustments.all()}
    return render(request, "billing/denials.html", {"denials": denials, "meanings": meanings})


@require_http_methods(FORM_METHODS)
@staff_required(*BILLING_ROLES)
def identity_edit(request: StaffRequest) -> HttpResponse:
    identity = BillingIdentity.objects.first()
    form = IdentityForm(_data(request), instance=identity)
    return form_view(
        request,
        form,
        save=lambda data: services.billing_identity_set(
            organization=request.organization, actor=request.user, data=data
        ),
        done=lambda _identity: redirect("billing:home"),
        template="billing/form.html",
        context={
            "title": _("Billing identity"),
            "submit": _("Save"),
            "intro": _(
                "Who the organization is on a claim: the billing provider. "
                "175T00000X is the taxonomy code for a peer specialist."
            ),
        },
        success=_("Billing identity saved."),
    )
