"""The verification queue and review of public suggestions, for directory editors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alongside.core.roles import Role
from alongside.core.tenancy import staff_required
from alongside.directory.forms import ReviewForm, VerifyForm
from alongside.directory.models import Service, ServiceChange, Suggestion
from alongside.directory.selectors import services_due_for_verification
from alongside.directory.services import service_verify, suggestion_diff, suggestion_review

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

editor_required = staff_required(Role.DIRECTORY_EDITOR)


@editor_required
def queue(request: HttpRequest) -> HttpResponse:
    due = list(services_due_for_verification()[:100])
    pending = list(
        Suggestion.objects.filter(status=Suggestion.Status.PENDING).select_related("service")[:100]
    )
    return render(
        request,
        "directory/staff/queue.html",
        {"due": due, "pending": pending, "verify_form": VerifyForm()},
    )


@require_POST
@editor_required
def verify(request: HttpRequest, service_id: str) -> HttpResponse:
    service = get_object_or_404(Service, pk=service_id)
    form = VerifyForm(request.POST)
    if form.is_valid():
        try:
            service_verify(
                service=service,
                method=form.cleaned_data["method"],
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Marked “%(name)s” as verified.") % {"name": service.name})
    else:
        messages.error(request, _("Choose how the listing was checked."))
    return redirect("directory_staff:queue")


@editor_required
def review(request: HttpRequest, suggestion_id: int) -> HttpResponse:
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
def history(request: HttpRequest, service_id: str) -> HttpResponse:
    service = get_object_or_404(Service, pk=service_id)
    changes = ServiceChange.objects.filter(service=service).select_related("changed_by")
    return render(request, "directory/staff/history.html", {"service": service, "changes": changes})
