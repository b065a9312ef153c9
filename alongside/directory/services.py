"""Writes to the directory: its taxonomy, verification, edits, suggestions and history.

The search rows derived from listings are kept in step by ``directory.indexing``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, time
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.core.audit import Action, audit_record
from alongside.core.models import Organization as CoreOrganization
from alongside.directory.indexing import codes_by_group, services_index
from alongside.directory.models import (
    Address,
    Attribute,
    ListingClaim,
    Phone,
    Schedule,
    Service,
    ServiceChange,
    Suggestion,
    Taxonomy,
    TaxonomyTerm,
)
from alongside.directory.taxonomy import (
    TAXONOMY_ID,
    TAXONOMY_NAME,
    TERM_BY_CODE,
    TERMS,
    term_id,
)


@transaction.atomic
def taxonomy_ensure() -> Taxonomy:
    """Create or refresh the ``alongside`` taxonomy and its terms."""
    taxonomy, _created = Taxonomy.objects.update_or_create(
        name=TAXONOMY_NAME,
        defaults={"description": "Alongside's vocabulary for peer support.", "version": "1"},
        create_defaults={
            "id": TAXONOMY_ID,
            "description": "Alongside's vocabulary for peer support.",
            "version": "1",
        },
    )
    for term in TERMS:
        values = {"name": str(term.label), "description": str(term.description), "language": "en"}
        TaxonomyTerm.objects.update_or_create(
            taxonomy=taxonomy,
            code=term.code,
            defaults=values,
            create_defaults={"id": term_id(term.code), **values},
        )
    return taxonomy


def service_set_terms(*, service: Service, codes: Iterable[str]) -> None:
    """Attach exactly these Alongside taxonomy codes to ``service`` as HSDS attributes."""
    codes = set(codes)
    unknown = codes - set(TERM_BY_CODE)
    if unknown:
        raise ValueError(f"Unknown taxonomy codes: {', '.join(sorted(unknown))}")
    terms = TaxonomyTerm.objects.filter(taxonomy__name=TAXONOMY_NAME, code__in=codes)
    Attribute.objects.filter(
        link_id=service.id, taxonomy_term__taxonomy__name=TAXONOMY_NAME
    ).delete()
    Attribute.objects.bulk_create(
        Attribute(link_id=service.id, link_type="service", link_entity="service", taxonomy_term=t)
        for t in terms
    )


def service_codes(service: Service) -> dict[str, list[str]]:
    """The service's taxonomy codes by group, e.g. {"type": ["warm_line"], …}."""
    codes = Attribute.objects.filter(
        link_id=service.id, taxonomy_term__taxonomy__name=TAXONOMY_NAME
    ).values_list("taxonomy_term__code", flat=True)
    return codes_by_group(codes)


# --- Verification, corrections and history -------------------------------------------------

# A listing's public fields that a suggestion may propose and a directory editor may edit.
SUGGESTIBLE_FIELDS = ("name", "description", "url", "email", "phone", "fees_description")
# And what only a directory editor sets: the weekly hours (``hours_text``) and the street
# address of the listing's first place.
ADDRESS_FIELDS = ("address_1", "city", "state_province", "postal_code")
EDITOR_FIELDS = (*SUGGESTIBLE_FIELDS, "hours", *ADDRESS_FIELDS)
VERIFICATION_FIELDS = ("verified_on", "verified_by", "verification_method")

_DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_HOURS_LINE = re.compile(
    r"^\s*([A-Za-z]{2}(?:\s*,\s*[A-Za-z]{2})*)\s+(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})\s*(.*)$"
)


def _weekly_rows(service: Service) -> QuerySet[Schedule]:
    return service.schedules.filter(valid_from__isnull=True, valid_to__isnull=True, closed=False)


def hours_text(service: Service) -> str:
    """The listing's weekly hours, a row a line: ``TU,TH 18:00-20:00 Evening group``."""
    rows = sorted(
        _weekly_rows(service),
        key=lambda r: (_DAY_CODES.index(r.byday[:2]) if r.byday[:2] in _DAY_CODES else 7, str(r)),
    )
    return "\n".join(
        f"{r.byday} {r.opens_at:%H:%M}-{r.closes_at:%H:%M} {r.description}".strip()
        for r in rows
        if r.byday and r.opens_at is not None and r.closes_at is not None
    )


def _hours_set(service: Service, text: str) -> None:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _HOURS_LINE.match(line)
        days = [d.strip().upper() for d in match[1].split(",")] if match else []
        try:
            opens, closes = (time.fromisoformat(f"{t:0>5}") for t in (match[2], match[3]))  # type: ignore[index]
        except (TypeError, ValueError):
            match = None
        if not match or not all(d in _DAY_CODES for d in days):
            raise ValidationError(
                {
                    "hours": _(
                        "Line %(number)s: write the days and times like “TU,TH 18:00-20:00”."
                    )
                    % {"number": number}
                }
            )
        rows.append(
            Schedule(
                service=service,
                byday=",".join(days),
                opens_at=opens,
                closes_at=closes,
                description=match[4].strip(),
            )
        )
    _weekly_rows(service).delete()
    Schedule.objects.bulk_create(rows)


def _street_address(service: Service) -> Address | None:
    return (
        Address.objects.filter(
            location__service_at_locations__service=service,
            address_type=Address.AddressType.PHYSICAL,
        )
        .order_by("location__name", "id")
        .first()
    )


def _current_value(service: Service, field: str) -> str:
    if field == "phone":
        phone = service.phones.order_by("number").first()
        return phone.number if phone else ""
    if field == "hours":
        return hours_text(service)
    if field in ADDRESS_FIELDS:
        address = _street_address(service)
        return str(getattr(address, field)) if address else ""
    return str(getattr(service, field) or "")


def _set_value(service: Service, field: str, value: str) -> None:
    if field == "hours":
        _hours_set(service, value)
    elif field in ADDRESS_FIELDS:
        address = _street_address(service)
        if address is None:
            raise ValidationError({field: _("This listing has no street address to change.")})
        setattr(address, field, value)
        address.full_clean()
        address.save(update_fields=[field])
    elif field == "phone":
        phone = service.phones.order_by("number").first()
        if phone is None:
            if value:
                Phone.objects.create(service=service, number=value)
        elif not value:
            phone.delete()  # an editor cleared the number
        else:
            phone.number = value
            phone.full_clean()
            phone.save(update_fields=["number"])
    else:
        setattr(service, field, value)


def service_values(service: Service) -> dict[str, str]:
    """The listing's fields an editor sets (``EDITOR_FIELDS``) as they read now."""
    return {field: _current_value(service, field) for field in EDITOR_FIELDS}


def _reindex_after_commit(service: Service) -> None:
    # Search rows are derived: rebuilt once the change is committed, outside the editor's
    # transaction. The change stands if this fails; ``reindex_directory --all`` mends it.
    transaction.on_commit(partial(services_index, [service.pk]), robust=True)


def _listing_change(
    *,
    service: Service,
    values: Mapping[str, str],
    actor: Any,
    organization: CoreOrganization | None,
    source: str,
    note: str = "",
    verification: str = "",
    on: date | None = None,
) -> ServiceChange | None:
    """Set public fields (and, given a ``verification`` method, the verification) of a listing,
    keep the history and audit trail, and re-index it after commit. None if nothing changed."""
    fields: dict[str, list[str]] = {}
    for field, value in values.items():
        if field not in EDITOR_FIELDS:
            raise ValueError(f"{field} is not a field a listing change can set")
        current = _current_value(service, field)
        if value != current:
            fields[field] = [current, value]
            _set_value(service, field, value)
    if verification:
        on = on or timezone.localdate()
        if on > timezone.localdate():
            raise ValidationError({"on": "The date cannot be in the future."})
        before = [str(getattr(service, name) or "") for name in VERIFICATION_FIELDS]
        service.verified_on = on
        service.verified_by = actor.get_username()
        service.verification_method = verification
        after = [str(getattr(service, name)) for name in VERIFICATION_FIELDS]
        fields |= {n: [b, a] for n, b, a in zip(VERIFICATION_FIELDS, before, after, strict=True)}
    if not fields:
        return None
    service.full_clean()
    service.save()
    change = ServiceChange.objects.create(
        service=service,
        changed_by=actor,
        changed_by_organization=organization,
        source=source,
        fields=fields,
        note=note,
    )
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        organization=organization,
        obj=service,
        changed_fields=list(fields),
    )
    _reindex_after_commit(service)
    return change


@transaction.atomic
def service_verify(
    *,
    service: Service,
    method: str,
    actor: Any,
    organization: CoreOrganization | None = None,
    on: date | None = None,
    note: str = "",
) -> ServiceChange:
    """Record that ``service`` was checked with its provider, by ``method``, on ``on``."""
    change = _listing_change(
        service=service,
        values={},
        actor=actor,
        organization=organization,
        source=ServiceChange.Source.VERIFICATION,
        note=note,
        verification=method,
        on=on,
    )
    assert change is not None  # a verification always sets its day and who
    return change


@transaction.atomic
def service_edit(
    *,
    service: Service,
    values: Mapping[str, str],
    actor: Any,
    organization: CoreOrganization,
    note: str = "",
) -> ServiceChange | None:
    """A directory editor's change to a listing's public fields; None if nothing changed.

    When ``organization`` keeps the listing (its claim on the provider is approved), the edit
    comes from the provider itself: saved, even unchanged, it verifies the listing as an
    update from the provider.
    """
    from_provider = ListingClaim.objects.filter(
        provider_id=service.organization_id,
        claimant=organization,
        status=ListingClaim.Status.APPROVED,
    ).exists()
    return _listing_change(
        service=service,
        values=values,
        actor=actor,
        organization=organization,
        source=ServiceChange.Source.STAFF,
        note=note,
        verification=Service.VerificationMethod.PROVIDER_UPDATE if from_provider else "",
    )


@transaction.atomic
def suggestion_submit(
    *, service: Service, proposed: dict[str, str], message: str, contact: str
) -> Suggestion:
    """Store a public correction for review; only fields that differ are kept."""
    changed = {
        f: v.strip()
        for f, v in proposed.items()
        if f in SUGGESTIBLE_FIELDS and v.strip() and v.strip() != _current_value(service, f)
    }
    if not changed and not message.strip():
        raise ValidationError("Tell us what is wrong, or give a corrected value.")
    suggestion = Suggestion(
        service=service, proposed=changed, message=message.strip(), contact=contact
    )
    suggestion.full_clean()
    suggestion.save()
    return suggestion


def suggestion_diff(suggestion: Suggestion) -> list[dict[str, str]]:
    """Field by field: what the listing says now, and what the suggestion proposes."""
    return [
        {"field": f, "current": _current_value(suggestion.service, f), "proposed": v}
        for f, v in suggestion.proposed.items()
    ]


@transaction.atomic
def suggestion_review(
    *,
    suggestion: Suggestion,
    accept_fields: Iterable[str],
    actor: Any,
    organization: CoreOrganization | None = None,
    note: str = "",
) -> Suggestion:
    """Apply the accepted fields of a suggestion (none: reject it) and keep the history."""
    if suggestion.status != Suggestion.Status.PENDING:
        raise ValidationError("This suggestion was already reviewed.")
    accepted = [f for f in accept_fields if f in suggestion.proposed]
    _listing_change(
        service=suggestion.service,
        values={f: suggestion.proposed[f] for f in accepted},
        actor=actor,
        organization=organization,
        source=ServiceChange.Source.SUGGESTION,
        note=note or suggestion.message,
    )
    suggestion.status = Suggestion.Status.ACCEPTED if accepted else Suggestion.Status.REJECTED
    suggestion.reviewed_by = actor
    suggestion.reviewed_at = timezone.now()
    suggestion.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        organization=organization,
        obj=suggestion,
        changed_fields=["status"],
    )
    return suggestion
