"""The directory's staff pages: the operator's verification queue, review of public
suggestions and claims to decide; every organization's claims and edits of the listings
it keeps. Who may see what is decided in ``directory.access``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alongside.core.forms import act_and_tell
from alongside.directory.access import (
    claim_for_editor_or_404,
    claims_visible_to,
    editor_required,
    is_operator,
    listing_for_editor_or_404,
    operator_required,
)
from alongside.directory.claims import (
    claim_decide,
    claim_request,
    claim_withdraw,
    providers_named,
)
from alongside.directory.forms import (
    ClaimDecisionForm,
    ClaimForm,
    ListingForm,
    ReviewForm,
    VerifyForm,
)
from alongside.directory.models import (
    ListingClaim,
    Organization,
    ServiceChange,
    Suggestion,
)
from alongside.directory.selectors import services_due_for_verification
from alongside.directory.services import (
    service_edit,
    service_values,
    service_verify,
    suggestion_diff,
    suggestion_review,
)

if TYPE_CHECKING:
    from django.http import HttpResponse

    from alongside.core.tenancy import StaffRequest


@operator_required
def queue(request: StaffRequest) -> HttpResponse:
    due = list(services_due_for_verification()[:100])
    pending = list(
        Suggestion.objects.filter(status=Suggestion.Status.PENDING).select_related("service")[:100]
    )
    claims_waiting = (
        claims_visible_to(request.organization).filter(status=ListingClaim.Status.PENDING).count()
    )
    return render(
        request,
        "directory/staff/queue.html",
        {
            "due": due,
            "pending": pending,
            "claims_waiting": claims_waiting,
            "verify_form": VerifyForm(),
        },
    )


@require_POST
@operator_required
def verify(request: StaffRequest, service_id: str) -> HttpResponse:
    service = listing_for_editor_or_404(request, service_id)
    form = VerifyForm(request.POST)
    if form.is_valid():
        try:
            service_verify(
                service=service,
                method=form.cleaned_data["method"],
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
                actor=request.user,
                organization=request.organization,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Marked “%(name)s” as verified.") % {"name": service.name})
    else:
        messages.error(request, _("Choose how the listing was checked."))
    return redirect("directory_staff:queue")


@operator_required
def review(request: StaffRequest, suggestion_id: int) -> HttpResponse:
    suggestion = get_object_or_404(Suggestion.objects.select_related("service"), pk=suggestion_id)
    diff = suggestion_diff(suggestion)
    data = request.POST if request.method == "POST" else None
    form = ReviewForm(data, fields=[row["field"] for row in diff])
    if request.method == "POST" and form.is_valid():
        try:
            suggestion_review(
                suggestion=suggestion,
                accept_fields=form.cleaned_data["accept"],
                note=form.cleaned_data["note"],
                actor=request.user,
                organization=request.organization,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Suggestion reviewed."))
            return redirect("directory_staff:queue")
    return render(
        request,
        "directory/staff/review.html",
        {"suggestion": suggestion, "diff": diff, "form": form},
    )


@editor_required
def history(request: StaffRequest, service_id: str) -> HttpResponse:
    service = listing_for_editor_or_404(request, service_id)
    changes = ServiceChange.objects.filter(service=service).select_related(
        "changed_by", "changed_by_organization"
    )
    return render(request, "directory/staff/history.html", {"service": service, "changes": changes})


@editor_required
def edit(request: StaffRequest, service_id: str) -> HttpResponse:
    service = listing_for_editor_or_404(request, service_id)
    form = ListingForm(request.POST or None, initial=service_values(service))
    if request.method == "POST" and form.is_valid():
        try:
            change = service_edit(
                service=service,
                values=form.values(),
                note=form.cleaned_data["note"],
                actor=request.user,
                organization=request.organization,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if change is None:
                messages.info(request, _("Nothing was changed."))
            else:
                messages.success(request, _("Saved “%(name)s”.") % {"name": service.name})
            return redirect("directory_staff:history", service.pk)
    return render(request, "directory/staff/edit.html", {"service": service, "form": form})


@editor_required
def claims(request: StaffRequest) -> HttpResponse:
    organization = request.organization
    operator = is_operator(organization)
    visible = claims_visible_to(organization)
    query = request.GET.get("q", "")[:200]
    context = {
        "operator": operator,
        "pending": list(visible.filter(status=ListingClaim.Status.PENDING)[:100]),
        "others": list(
            visible.exclude(status=ListingClaim.Status.PENDING).prefetch_related(
                "provider__services"
            )[:100]
        ),
        "query": query,
        # The operator edits every listing; only other organizations look for theirs.
        "providers": [] if operator else list(providers_named(query)),
    }
    return render(request, "directory/staff/claims.html", context)


@require_POST
@editor_required
def claim_new(request: StaffRequest) -> HttpResponse:
    form = ClaimForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the provider whose listings you keep."))
        return redirect("directory_staff:claims")
    provider = get_object_or_404(Organization, pk=form.cleaned_data["provider"])
    act_and_tell(
        request,
        lambda: claim_request(
            claimant=request.organization,
            provider=provider,
            note=form.cleaned_data["note"],
            actor=request.user,
        ),
        _("Asked to keep the listings of “%(name)s”. The directory's operator will decide.")
        % {"name": provider.name},
    )
    return redirect("directory_staff:claims")


@require_POST
@operator_required
def claim_decision(request: StaffRequest, claim_id: int) -> HttpResponse:
    claim = claim_for_editor_or_404(request, claim_id)
    form = ClaimDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Approve or reject the claim."))
        return redirect("directory_staff:claims")
    act_and_tell(
        request,
        lambda: claim_decide(
            claim=claim,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
            actor=request.user,
            organization=request.organization,
        ),
        # Named after the decision: the claim's status is what the service made it.
        lambda: _("Claim decided: %(status)s.") % {"status": claim.get_status_display()},
    )
    return redirect("directory_staff:claims")


@require_POST
@editor_required
def claim_end(request: StaffRequest, claim_id: int) -> HttpResponse:
    claim = claim_for_editor_or_404(request, claim_id)
    act_and_tell(
        request,
        lambda: claim_withdraw(
            claim=claim,
            note=request.POST.get("note", "")[:1000],
            actor=request.user,
            organization=request.organization,
        ),
        _("The claim on “%(name)s” has ended.") % {"name": claim.provider.name},
    )
    return redirect("directory_staff:claims")
