"""Consents to share, their revocation, and restrictions the person asks for."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from alongside.care.models import Consent, InformationCategory, Participant, Restriction
from alongside.core.documents import document_delete, document_store
from alongside.core.records import record_create, record_update

CONSENT_FIELDS = (
    "discloser",
    "recipients",
    "general_designation",
    "information",
    "information_categories",
    "purposes",
    "purpose_detail",
    "expires_on",
    "expiry_event",
    "signature_name",
    "signed_on",
)


def consent_create(
    *, participant: Participant, actor: Any, data: dict[str, Any], signed_form: Any = None
) -> Consent:
    """Record a consent to share, as the person gave it, with the scan of the signed form.

    The scan (PDF, PNG or JPEG) goes to private, encrypted storage (core.documents); a bad file
    is a ``ValidationError`` on ``signature_file`` and nothing is kept. A new consent names
    the categories of information it covers; "as described" is only for consents recorded
    before the categories existed.
    """
    if InformationCategory.AS_DESCRIBED in (data.get("information_categories") or []):
        raise ValidationError(
            {
                "information_categories": _(
                    "Choose the kinds of information the person agreed to share; "
                    "'as described' is kept only for older consents."
                )
            }
        )
    consent = Consent(
        organization=participant.organization, participant=participant, created_by=actor
    )
    if signed_form is None:
        return record_create(consent, actor=actor, fields=CONSENT_FIELDS, data=data)
    stored = document_store(signed_form, folder="consents", field="signature_file")
    try:
        return record_create(
            consent,
            actor=actor,
            fields=[*CONSENT_FIELDS, "signature_document"],
            data={**data, "signature_document": stored.key},
        )
    except BaseException:
        document_delete(stored.key)
        raise


@transaction.atomic
def consent_revoke(*, consent: Consent, actor: Any, revoked_on: date, revoked_how: str) -> Consent:
    """Revoke a consent from ``revoked_on``; it stays on file, marked revoked."""
    if consent.revoked_on is not None:
        raise ValidationError(_("This consent is already revoked."))
    record_update(
        consent,
        actor=actor,
        fields=["revoked_on", "revoked_how"],
        data={"revoked_on": revoked_on, "revoked_how": revoked_how},
    )
    return consent


def restriction_create(
    *, participant: Participant, actor: Any, use: str, detail: str = "", requested_on: date
) -> Restriction:
    """Record the person's request that their information not be used in some way."""
    restriction = Restriction(
        organization=participant.organization,
        participant=participant,
        use=use,
        detail=detail,
        requested_on=requested_on,
    )
    return record_create(restriction, actor=actor, fields=["use", "detail", "requested_on"])
