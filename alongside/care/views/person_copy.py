"""The person's own copy of their plan and record: a printable page and the same as a PDF.

Both support the HIPAA right of access; each view or download is in the audit trail (the
participant getter records the read, and each form of the copy adds its own event).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alongside.care.access import participant_for_request_or_404
from alongside.care.person_copy import copy_parts, copy_pdf
from alongside.care.plan_selectors import person_copy
from alongside.care.views.common import care_required
from alongside.core.audit import Action, audit_record

if TYPE_CHECKING:
    from alongside.care.models import Participant
    from alongside.core.tenancy import StaffRequest


def _subtitle(participant: Participant) -> str:
    return _("For %(name)s, from %(org)s") % {
        "name": participant.preferred_name,
        "org": participant.organization.name,
    }


@require_http_methods(["GET", "HEAD"])
@care_required
def person_copy_page(request: StaffRequest, pk: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    copy = person_copy(participant, today=timezone.localdate())
    audit_record(
        action=Action.VIEW,
        request=request,
        object_type="care.person_copy",
        object_id=str(participant.pk),
        participant_id=str(participant.pk),
    )
    return render(
        request,
        "care/person_copy.html",
        {
            "participant": participant,
            "title": _("Your recovery plan"),
            "subtitle": _subtitle(participant),
            "parts": copy_parts(copy),
        },
    )


@require_http_methods(["GET", "HEAD"])
@care_required
def person_copy_download(request: StaffRequest, pk: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    copy = person_copy(participant, today=timezone.localdate())
    body = copy_pdf(
        copy_parts(copy), title=_("Your recovery plan"), subtitle=_subtitle(participant)
    )
    audit_record(
        action=Action.EXPORT,
        request=request,
        object_type="care.person_copy_pdf",
        object_id=str(participant.pk),
        participant_id=str(participant.pk),
    )
    response = HttpResponse(body, content_type="application/pdf")
    # No name in the file name: it lands in download folders and browser histories.
    response["Content-Disposition"] = 'attachment; filename="your-recovery-plan.pdf"'
    response["Cache-Control"] = "no-store"
    return response
