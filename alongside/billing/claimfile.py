"""A batch's claims as the X12 writer's plain data (``x12.model.ClaimFile``): no text here."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from alongside.billing.holds import in_chunks
from alongside.billing.models import Batch, BillingIdentity, Claim, Line
from alongside.billing.x12 import model as x12
from alongside.care.models import Coverage, Encounter, Participant
from alongside.care.models.participants import Gender
from alongside.workforce.models import StaffProfile

LINE_FIELDS = (
    "claim_id",
    "line_id",
    "date",
    "code",
    "modifiers",
    "units",
    "amount_cents",
    "specialist_id",
    "encounter__type",
)
SEX: dict[str, str] = {Gender.WOMAN: "F", Gender.MAN: "M"}
# Place of service (CMS code set) by how the encounter happened; 11 office otherwise.
PLACE: dict[str, str] = {
    Encounter.Type.PHONE: "02",
    Encounter.Type.VIDEO: "02",
    Encounter.Type.TEXT: "02",
    Encounter.Type.HOME_VISIT: "12",
    Encounter.Type.OUTREACH: "99",
}


class ClaimFileProblem(ValueError):
    """What stops a batch's claims from becoming a file, in words (never participant data)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _names(legal_name: str, preferred: str) -> tuple[str, str]:
    """(last, first) from a legal name written first-name-first."""
    parts = (legal_name or preferred).split()
    if len(parts) == 1:
        return parts[0], ""
    return parts[-1], " ".join(parts[:-1])


def billing_provider(identity: BillingIdentity) -> x12.Provider:
    return x12.Provider(
        npi=identity.npi,
        taxonomy=identity.taxonomy,
        organization_name=identity.legal_name,
        tax_id=identity.tax_id,
        address=x12.Address(
            line1=identity.address_line1,
            line2=identity.address_line2,
            city=identity.city,
            state=identity.state,
            postal_code=identity.postal_code,
        ),
    )


def claim_file_for(
    batch: Batch, claims: list[Claim], *, identity: BillingIdentity | None, created_at: datetime
) -> x12.ClaimFile:
    """The ClaimFile for ``claims`` of ``batch``, or ``ClaimFileProblem`` naming what is missing."""
    problems = []
    if identity is None:
        problems.append(_("Set the organization's billing identity (NPI, tax id) first."))
    if not batch.payer.payer_id:
        problems.append(_("The payer's id for claims is not known: add it to the payer's file."))
    if not claims:
        problems.append(_("No billable lines: there is no claim to send."))
    wanted = {claim.pk for claim in claims}
    lines_by_claim: dict[Any, list[Any]] = defaultdict(list)
    # One read of the batch's billed lines, with each encounter's type joined in (a month's
    # lines are too many ids for an IN list on SQLite).
    for line in (
        Line.objects.filter(batch=batch, claim__isnull=False)
        .order_by("date", "start_time", "id")
        .values_list(*LINE_FIELDS, named=True)
    ):
        if line.claim_id in wanted:
            lines_by_claim[line.claim_id].append(line)
    participant_ids = {claim.participant_id for claim in claims}
    participants: dict[Any, Participant] = {}
    coverages: dict[Any, list[Coverage]] = defaultdict(list)
    for chunk in in_chunks(participant_ids):
        participants.update((p.pk, p) for p in Participant.objects.filter(pk__in=chunk))
        for row in Coverage.objects.filter(
            participant_id__in=chunk, payer_code=batch.payer.code
        ).order_by("-starts_on"):
            coverages[row.participant_id].append(row)
    # A person's claims name the same rendering provider: the one specialist who gave every
    # one of their lines in this file, else none (the billing provider rendered them).
    specialists_of: dict[Any, set[Any]] = defaultdict(set)
    for claim in claims:
        specialists_of[claim.participant_id].update(
            line.specialist_id for line in lines_by_claim.get(claim.pk, [])
        )
    specialist_ids = set().union(*specialists_of.values()) if specialists_of else set()
    profiles = {
        p.user_id: p
        for p in StaffProfile.objects.filter(user_id__in=specialist_ids).select_related("user")
    }
    built = []
    for claim in claims:
        lines = lines_by_claim.get(claim.pk, [])
        participant = participants[claim.participant_id]
        first = lines[0].date if lines else batch.starts_on
        coverage = next(
            (c for c in coverages[claim.participant_id] if c.in_force_on(first)),
            coverages[claim.participant_id][0] if coverages[claim.participant_id] else None,
        )
        if participant.date_of_birth is None:
            problems.append(
                _("Claim %(id)s: the person's date of birth is not on file.")
                % {"id": claim.claim_id}
            )
        if coverage is None or not coverage.diagnosis_list:
            problems.append(
                _("Claim %(id)s: no coverage with diagnosis codes on file.")
                % {"id": claim.claim_id}
            )
        if problems:
            continue
        assert coverage is not None and participant.date_of_birth is not None
        last, first_name = _names(participant.legal_name, participant.preferred_name)
        specialists = specialists_of[claim.participant_id]
        rendering = None
        if len(specialists) == 1:
            profile = profiles.get(next(iter(specialists)))
            if profile is not None and profile.npi:
                rendering = x12.Provider(
                    npi=profile.npi,
                    taxonomy=identity.taxonomy if identity else "",
                    last_name=profile.user.last_name or profile.user.get_username(),
                    first_name=profile.user.first_name,
                )
        built.append(
            x12.Claim(
                claim_id=claim.claim_id,
                subscriber=x12.Subscriber(
                    member_id=coverage.member_id,
                    last_name=last,
                    first_name=first_name,
                    birth_date=participant.date_of_birth,
                    sex=SEX.get(participant.gender, "U"),
                ),
                diagnoses=tuple(code.replace(".", "") for code in coverage.diagnosis_list[:12]),
                lines=tuple(
                    x12.ServiceLine(
                        line_id=line.line_id,
                        service_date=line.date,
                        procedure_code=line.code,
                        modifiers=tuple(line.modifiers),
                        units=line.units,
                        charge_cents=line.amount_cents,
                    )
                    for line in lines
                ),
                place_of_service=PLACE.get(lines[0].encounter__type, "11") if lines else "11",
                frequency=claim.frequency,
                payer_claim_number=claim.payer_claim_number,
                rendering=rendering,
            )
        )
    if problems:
        raise ClaimFileProblem(problems)
    assert identity is not None
    return x12.ClaimFile(
        control_number=batch.control_number or 1,
        created_at=created_at,
        submitter_id=identity.submitter_id or identity.npi,
        submitter_name=identity.legal_name,
        submitter_contact_phone=identity.contact_phone,
        receiver_id=batch.payer.payer_id,
        payer=x12.Payer(
            name=batch.payer.name,
            payer_id=batch.payer.payer_id,
            claim_filing_indicator=batch.payer.claim_filing_indicator,
        ),
        billing_provider=billing_provider(identity),
        claims=tuple(built),
    )
