"""Billing's writes: identity, coverage, runs (lines and claims), the file, replacements and
voids, and remittances. Each is atomic and audited; none reads a note's text.

The X12 text layer (``billing.x12``) is called only where text is made or read
(``batch_file_prepare``, ``remittance_import_text``); everything else works on plain data.
"""

from __future__ import annotations

import secrets
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.billing.claimfile import ClaimFileProblem, claim_file_for
from alongside.billing.holds import BILLED_STATUSES, Facts, encounters_for_run
from alongside.billing.lines import LineDraft, build_lines, claim_chunks, draft_for
from alongside.billing.models import (
    Adjustment,
    Batch,
    BillingIdentity,
    Claim,
    ClaimPayment,
    Line,
    Payer,
    Remittance,
)
from alongside.billing.rows import insert_rows
from alongside.billing.rules import dollars
from alongside.care.models import Coverage, Encounter, Participant
from alongside.care.services import coverage_create
from alongside.core.audit import Action, audit_record
from alongside.core.models import Organization
from alongside.core.records import record_create, record_update

if TYPE_CHECKING:
    from alongside.billing.x12.model import Remittance as RemittanceData

IDENTITY_FIELDS = (
    "legal_name",
    "npi",
    "tax_id",
    "taxonomy",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "postal_code",
    "contact_phone",
    "submitter_id",
)
# A longer run is a mistake more often than not, and one file per month is the custom.
LONGEST_RUN_DAYS = 366
LINE_SLICE = 5000


def billing_identity_set(
    *, organization: Organization, actor: Any, data: dict[str, Any]
) -> BillingIdentity:
    """Create or change the organization's billing identity (only the fields given change)."""
    identity = BillingIdentity.objects.filter(organization=organization).first()
    if identity is None:
        identity = BillingIdentity(organization=organization)
        return record_create(identity, actor=actor, fields=IDENTITY_FIELDS, data=data)
    record_update(identity, actor=actor, fields=IDENTITY_FIELDS, data=data)
    return identity


def coverage_add(
    *,
    participant: Participant,
    payer: Payer,
    member_id: str,
    starts_on: date,
    ends_on: date | None,
    diagnosis_codes: list[str],
    actor: Any,
) -> Coverage:
    """Record a coverage by one of our payers, with the referring clinician's diagnosis codes."""
    return coverage_create(
        participant=participant,
        actor=actor,
        data={
            "payer_name": payer.name,
            "payer_code": payer.code,
            "member_id": member_id,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "diagnosis_codes": " ".join(diagnosis_codes),
        },
    )


def _new_claim_id() -> str:
    # CLM01 allows 20 characters; 16 hex digits never repeat in practice, and the unique
    # constraint catches it if one ever did.
    return secrets.token_hex(8).upper()


@dataclass(frozen=True, slots=True)
class LineRow:
    """A ``Line``'s columns, for ``insert_rows``."""

    id: uuid.UUID
    organization_id: Any
    created_at: datetime
    batch_id: Any
    claim_id: Any
    encounter_id: Any
    participant_id: Any
    specialist_id: Any
    date: date
    start_time: time
    code: str
    modifiers: list[str]
    minutes: int
    units: int
    amount_cents: int
    reasons: list[str]
    line_id: str


def _save_lines(batch: Batch, drafts: list[LineDraft]) -> list[Claim]:
    """Write the drafts as lines, and claims for the billable ones: one per participant, or
    several when a participant has more lines than one claim may carry (``claim_chunks``)."""
    billable: dict[Any, list[LineDraft]] = defaultdict(list)
    for draft in drafts:
        if not draft.held:
            billable[draft.participant_id].append(draft)
    claims: list[Claim] = []
    placed: dict[int, tuple[Claim, str]] = {}
    for participant_id, theirs in billable.items():
        for chunk in claim_chunks(theirs):
            claim = Claim(
                organization=batch.organization,
                batch=batch,
                participant_id=participant_id,
                claim_id=_new_claim_id(),
                charge_cents=sum(draft.amount_cents for draft in chunk),
            )
            claims.append(claim)
            for number, draft in enumerate(chunk, start=1):
                placed[id(draft)] = (claim, f"{claim.claim_id}-{number}")
    saved_claims = Claim.objects.bulk_create(claims, batch_size=1000)
    # Lines a slice at a time, so a month's run never holds every row at once; plain records
    # of the line's columns, inserted with one prepared statement (see ``rows``).
    created_at = timezone.now()
    for start in range(0, len(drafts), LINE_SLICE):
        records = []
        for draft in drafts[start : start + LINE_SLICE]:
            on_claim, line_id = placed.get(id(draft), (None, ""))
            records.append(
                LineRow(
                    id=uuid.uuid4(),
                    organization_id=batch.organization_id,
                    created_at=created_at,
                    batch_id=batch.pk,
                    claim_id=on_claim.pk if on_claim else None,
                    encounter_id=draft.encounter_id,
                    participant_id=draft.participant_id,
                    specialist_id=draft.specialist_id,
                    date=draft.date,
                    start_time=draft.start_time,
                    code=draft.code,
                    modifiers=list(draft.modifiers),
                    minutes=draft.minutes,
                    units=draft.units,
                    amount_cents=draft.amount_cents,
                    reasons=list(draft.reasons),
                    line_id=line_id,
                )
            )
        insert_rows(Line, records)
    return saved_claims


@transaction.atomic
def batch_build(
    *,
    organization: Organization,
    payer: Payer,
    starts_on: date,
    ends_on: date,
    actor: Any,
    today: date | None = None,
) -> Batch:
    """A billing run: the lines of the range's encounters for ``payer``, and their claims."""
    if ends_on < starts_on:
        raise ValidationError({"to": _("The end of the range comes before its start.")})
    if (ends_on - starts_on).days >= LONGEST_RUN_DAYS:
        raise ValidationError({"to": _("A billing run covers at most a year of services.")})
    today = today or timezone.localdate()
    batch = Batch(
        organization=organization,
        payer=payer,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    batch.full_clean()
    batch.save()
    drafts = build_lines(encounters_for_run(payer, starts_on, ends_on), payer, today=today)
    _save_lines(batch, drafts)
    audit_record(action=Action.CREATE, actor=actor, organization=organization, obj=batch)
    return batch


def _next_control_number(organization: Organization) -> int:
    latest = Batch.objects.filter(organization=organization).aggregate(n=Max("control_number"))
    return (latest["n"] or 0) + 1


@transaction.atomic
def batch_file_prepare(*, batch: Batch) -> Batch:
    """Write the batch's 837P and validate it with pyx12; keep the text, or the errors.

    A file that fails validation is never kept for download: only its errors are.
    """
    from alongside.billing.x12.claims import write_837p
    from alongside.billing.x12.model import X12Error
    from alongside.billing.x12.validate import x12_errors

    batch = Batch.objects.select_for_update().select_related("payer").get(pk=batch.pk)
    if batch.file_ready:
        return batch
    if batch.control_number is None:
        batch.control_number = _next_control_number(batch.organization)
    identity = BillingIdentity.objects.filter(organization=batch.organization).first()
    claims = list(batch.claims.order_by("created_at", "claim_id"))
    text, errors = "", []
    try:
        claim_file = claim_file_for(
            batch, claims, identity=identity, created_at=timezone.localtime()
        )
        text = write_837p(claim_file)
        errors = x12_errors(text)
    except ClaimFileProblem as exc:
        errors = exc.problems
    except X12Error as exc:
        errors = [str(exc)]
    batch.file_text = "" if errors else text
    batch.file_errors = errors
    batch.file_checked_at = timezone.now()
    batch.save(update_fields=["control_number", "file_text", "file_errors", "file_checked_at"])
    return batch


@transaction.atomic
def batch_file_download(*, batch: Batch, actor: Any) -> str:
    """The validated file; downloading it marks the batch and its claims submitted."""
    if not batch.file_ready:
        raise ValidationError(_("This file did not pass validation; it cannot be downloaded."))
    if batch.status != Batch.Status.SUBMITTED:
        batch.status = Batch.Status.SUBMITTED
        batch.save(update_fields=["status"])
        batch.claims.filter(status=Claim.Status.BUILT).update(status=Claim.Status.SUBMITTED)
    audit_record(action=Action.EXPORT, actor=actor, organization=batch.organization, obj=batch)
    return batch.file_text


def _correction(*, claim: Claim, actor: Any, frequency: str, payer_claim_number: str) -> Claim:
    if claim.status in {Claim.Status.BUILT, Claim.Status.REPLACED, Claim.Status.VOIDED}:
        raise ValidationError(_("Only a claim that went to the payer can be replaced or voided."))
    number = (payer_claim_number or claim.payer_claim_number).strip()
    if not number:
        raise ValidationError(
            {"payer_claim_number": _("Give the payer's claim number (from the remittance).")}
        )
    old_lines = list(claim.lines.order_by("date", "start_time", "id"))
    batch = Batch(
        organization=claim.organization,
        payer=claim.batch.payer,
        starts_on=min(line.date for line in old_lines),
        ends_on=max(line.date for line in old_lines),
        created_by=actor,
    )
    batch.full_clean()
    batch.save()
    if frequency == Claim.Frequency.REPLACEMENT:
        # The corrected claim: today's rules for the same encounters (they are billed by the
        # claim being replaced, so "already billed" does not apply to them).
        encounters = list(
            Encounter.objects.filter(pk__in={line.encounter_id for line in old_lines})
            .select_related("participant", "participant__organization")
            .defer("worked_on", "response", "next_steps", "return_comment")
            .order_by("date", "start_time", "id")
        )
        facts = Facts.load(batch.payer, encounters, today=timezone.localdate())
        facts.billed = set()
        drafts = build_lines(encounters, batch.payer, today=facts.today, facts=facts)
    else:
        drafts = [
            LineDraft(
                encounter_id=line.encounter_id,
                participant_id=line.participant_id,
                specialist_id=line.specialist_id,
                date=line.date,
                start_time=line.start_time,
                code=line.code,
                modifiers=tuple(line.modifiers),
                minutes=line.minutes,
                units=line.units,
                rate_cents=line.amount_cents // line.units if line.units else 0,
            )
            for line in old_lines
        ]
    claims = _save_lines(batch, drafts)
    if not claims:
        raise ValidationError(_("None of the claim's lines can be billed now: nothing to send."))
    new = claims[0]
    new.frequency = frequency
    new.replaces = claim
    new.payer_claim_number = number
    new.save(update_fields=["frequency", "replaces", "payer_claim_number"])
    claim.status = (
        Claim.Status.REPLACED if frequency == Claim.Frequency.REPLACEMENT else Claim.Status.VOIDED
    )
    claim.payer_claim_number = number
    claim.save(update_fields=["status", "payer_claim_number"])
    audit_record(action=Action.CREATE, actor=actor, organization=claim.organization, obj=batch)
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        organization=claim.organization,
        obj=claim,
        changed_fields=["status"],
    )
    return new


@transaction.atomic
def claim_replace(*, claim: Claim, actor: Any, payer_claim_number: str = "") -> Claim:
    """A replacement claim (frequency 7) for a submitted one, in a batch of its own."""
    return _correction(
        claim=claim,
        actor=actor,
        frequency=Claim.Frequency.REPLACEMENT,
        payer_claim_number=payer_claim_number,
    )


@transaction.atomic
def claim_void(*, claim: Claim, actor: Any, payer_claim_number: str = "") -> Claim:
    """A void (frequency 8) of a submitted claim, in a batch of its own."""
    return _correction(
        claim=claim,
        actor=actor,
        frequency=Claim.Frequency.VOID,
        payer_claim_number=payer_claim_number,
    )


def claim_status_for(status_code: str, charge_cents: int, paid_cents: int) -> str:
    """Our status from the 835's CLP02 and the amounts: paid, partly paid, denied, reversed."""
    if status_code == "22":
        return Claim.Status.REVERSED
    if status_code == "4" or paid_cents <= 0:
        return Claim.Status.DENIED
    if paid_cents < charge_cents:
        return Claim.Status.PARTIAL
    return Claim.Status.PAID


class RemittanceAlreadyImported(Exception):
    def __init__(self, remittance: Remittance) -> None:
        super().__init__(remittance.trace_number)
        self.remittance = remittance


@transaction.atomic
def remittance_apply(
    *, remittance: RemittanceData, organization: Organization, actor: Any
) -> Remittance:
    """Record what a parsed 835 says about our claims. The same file twice changes nothing.

    Claims are matched by our claim id (CLP01); one that is not ours is listed as unmatched.
    """
    payer_identifier = remittance.payer_id or remittance.payer_name
    earlier = Remittance.objects.filter(
        organization=organization,
        trace_number=remittance.trace_number,
        payer_identifier=payer_identifier,
    ).first()
    if earlier is not None:
        # Imported before: nothing changes, but the attempt is on the trail all the same.
        audit_record(action=Action.VIEW, actor=actor, organization=organization, obj=earlier)
        return earlier
    row = Remittance(
        organization=organization,
        trace_number=remittance.trace_number,
        payer_identifier=payer_identifier,
        payer_name=remittance.payer_name,
        payment_cents=remittance.payment_cents,
        payment_date=remittance.payment_date,
        imported_by=actor,
    )
    row.full_clean(exclude=["result"])
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        # The same file imported at the same moment by someone else: theirs stands.
        return Remittance.objects.get(
            organization=organization,
            trace_number=remittance.trace_number,
            payer_identifier=payer_identifier,
        )
    ours = {
        claim.claim_id: claim
        for claim in Claim.objects.filter(claim_id__in=[c.claim_id for c in remittance.claims])
    }
    matched, unmatched = [], []
    adjustments = []
    for answer in remittance.claims:
        claim = ours.get(answer.claim_id)
        if claim is None:
            unmatched.append(answer.claim_id)
            continue
        status = claim_status_for(answer.status, answer.charge_cents, answer.paid_cents)
        payment = ClaimPayment.objects.create(
            organization=organization,
            remittance=row,
            claim=claim,
            status_code=answer.status,
            status=status,
            charge_cents=answer.charge_cents,
            paid_cents=answer.paid_cents,
            patient_responsibility_cents=answer.patient_responsibility_cents,
            payer_claim_number=answer.payer_claim_number,
        )
        found = [(adj, "") for adj in answer.adjustments] + [
            (adj, line.line_id) for line in answer.lines for adj in line.adjustments
        ]
        for adjustment, line_id in found:
            adjustments.append(
                Adjustment(
                    organization=organization,
                    payment=payment,
                    group=adjustment.group,
                    reason=adjustment.reason,
                    amount_cents=adjustment.amount_cents,
                    line_id=line_id,
                )
            )
        claim.status = status
        claim.paid_cents += answer.paid_cents
        if answer.payer_claim_number:
            claim.payer_claim_number = answer.payer_claim_number
        claim.save(update_fields=["status", "paid_cents", "payer_claim_number"])
        matched.append(
            {
                "claim_id": claim.claim_id,
                "status": status,
                "paid": dollars(answer.paid_cents),
                "adjustments": [
                    {"group": a.group, "reason": a.reason, "amount": dollars(a.amount_cents)}
                    for a, _line in found
                ],
            }
        )
    Adjustment.objects.bulk_create(adjustments)
    row.result = {"claims": matched, "unmatched": unmatched}
    row.save(update_fields=["result"])
    audit_record(action=Action.CREATE, actor=actor, organization=organization, obj=row)
    return row


def remittance_import_text(*, text: str, organization: Organization, actor: Any) -> Remittance:
    """Read an 835 and apply it; a file that does not read raises ``X12Error``, nothing saved."""
    from alongside.billing.x12.remittance import read_835

    return remittance_apply(remittance=read_835(text), organization=organization, actor=actor)


def claims_billed_with(encounter: Encounter) -> list[Claim]:
    """The claims that went out carrying this encounter."""
    return list(
        Claim.objects.filter(lines__encounter=encounter, status__in=BILLED_STATUSES).distinct()
    )


def encounter_will_bill(encounter: Encounter, payer: Payer) -> LineDraft:
    """The line this encounter would make for ``payer`` today (no cap: that needs the day)."""
    facts = Facts.load(payer, [encounter], today=timezone.localdate())
    return draft_for(encounter, payer, facts)
