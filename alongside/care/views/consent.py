"""Consents to share, disclosures through the consent gate, and restrictions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from alongside.care import forms as care_forms
from alongside.care import services
from alongside.care.access import participant_for_request_or_404
from alongside.care.consent import DisclosureRefused, disclose, withheld_sentence
from alongside.care.models import Consent
from alongside.care.views.common import care_form, care_required, to_participant
from alongside.core.audit import Action, audit_record
from alongside.core.documents import document_response
from alongside.core.tenancy import get_for_org_or_404

if TYPE_CHECKING:
    from django.http import HttpResponse

    from alongside.core.tenancy import StaffRequest


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def consent_create(request: StaffRequest, pk: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    form = care_forms.ConsentForm(
        request.POST or None,
        request.FILES or None,
        initial={"discloser": request.organization.name},
    )

    def save(data: dict[str, Any]) -> Any:
        signed_form = data.pop("signature_file", None)
        return services.consent_create(
            participant=participant, actor=request.user, data=data, signed_form=signed_form
        )

    return care_form(
        request,
        form,
        save=save,
        done=lambda _result: to_participant(participant, "consents"),
        success=_("Consent recorded."),
        title=_("Record a consent to share"),
        participant=participant,
        intro=_(
            "Write down exactly what the person agreed to: who may share, with whom, what, "
            "why and until when. They can revoke it at any time."
        ),
        multipart=True,
    )


@require_POST
@care_required
def consent_revoke(request: StaffRequest, pk: Any, consent_id: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    consent = get_for_org_or_404(
        Consent, request.organization, pk=consent_id, participant=participant
    )
    return care_form(
        request,
        care_forms.RevokeForm(request.POST),
        save=lambda data: services.consent_revoke(consent=consent, actor=request.user, **data),
        done=lambda _result: to_participant(participant, "consents"),
        success=_("Consent revoked."),
        title=_("Revoke consent"),
        participant=participant,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def disclosure_create(request: StaffRequest, pk: Any) -> HttpResponse:
    """Share information through the consent gate; Part 2 records get the § 2.32 notice."""
    participant = participant_for_request_or_404(request, pk)

    def save(data: dict[str, Any]) -> Any:
        try:
            return disclose(participant=participant, actor=request.user, **data)
        except DisclosureRefused as refused:
            raise ValidationError(refused.check.explanation()) from refused

    return care_form(
        request,
        care_forms.DisclosureForm(request.POST or None),
        save=save,
        done=lambda result: render(
            request,
            "care/disclosure_done.html",
            {
                "participant": participant,
                "disclosure": result[0],
                "notice": result[1],
                "withheld_sentence": withheld_sentence(result[0].withheld_categories),
            },
        ),
        title=_("Share information"),
        participant=participant,
        submit=_("Check consent and record"),
        intro=_(
            "Alongside checks that a consent on file covers this recipient, purpose and the "
            "kinds of information today, then records the disclosure, with what was withheld, "
            "in the person's accounting of disclosures."
        ),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@care_required
def restriction_create(request: StaffRequest, pk: Any) -> HttpResponse:
    participant = participant_for_request_or_404(request, pk)
    return care_form(
        request,
        care_forms.RestrictionForm(request.POST or None),
        save=lambda data: services.restriction_create(
            participant=participant, actor=request.user, **data
        ),
        done=lambda _result: to_participant(participant, "summary"),
        success=_("Restriction recorded."),
        title=_("Record a restriction they asked for"),
        participant=participant,
    )


@require_safe
@care_required
def consent_scan(request: StaffRequest, pk: Any, consent_id: Any) -> HttpResponse:
    """The signed form's scan, as a download; each download is in the audit trail."""
    participant = participant_for_request_or_404(request, pk)
    consent = get_for_org_or_404(
        Consent, request.organization, pk=consent_id, participant=participant
    )
    if not consent.signature_document:
        raise Http404
    audit_record(
        action=Action.EXPORT, request=request, obj=consent, participant_id=str(participant.pk)
    )
    return document_response(consent.signature_document, filename="signed-consent")
