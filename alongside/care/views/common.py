"""What every care page shares: the role check, the form page, and the way back to a person."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from alongside.care.access import CARE_ROLES, participant_view_audit
from alongside.core.forms import form_view
from alongside.core.tenancy import staff_required

if TYPE_CHECKING:
    from django.forms import BaseForm

    from alongside.care.models import Participant
    from alongside.core.tenancy import StaffRequest

care_required = staff_required(*CARE_ROLES)


def care_form(
    request: StaffRequest,
    form: BaseForm,
    *,
    title: str,
    save: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], HttpResponse],
    success: str = "",
    participant: Participant | None = None,
    submit: str = "",
    intro: str = "",
    template: str = "care/form.html",
    **extra: Any,
) -> HttpResponse:
    """A care form page (``core.forms.form_view``) with the title, person and button it shows."""
    context = {
        "title": title,
        "participant": participant,
        "submit": submit or _("Save"),
        "intro": intro,
        **extra,
    }
    response = form_view(
        request, form, save=save, done=done, success=success, template=template, context=context
    )
    if participant is not None and request.method == "POST" and not response.has_header("Location"):
        # A POST answered with a page, not a redirect (a form shown again after an error, or a
        # result such as a disclosure's), shows the person's data: the getter audits GETs only.
        participant_view_audit(request, participant)
    return response


def uuid_or_404(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise Http404 from exc


def to_participant(participant: Participant, anchor: str = "") -> HttpResponse:
    response = redirect("care:participant", pk=participant.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response
