"""The plain data the X12 writer and reader exchange with the billing app.

Money is integer cents throughout; dates are ``datetime.date``. Every identifier is what the
005010X222A1 (837P) and 005010X221A1 (835) guides call it, named in the field's comment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Address:
    line1: str  # N301
    city: str  # N401
    state: str  # N402
    postal_code: str  # N403 (ZIP+4 for a billing provider: nine digits)
    line2: str = ""  # N302


@dataclass(frozen=True)
class Provider:
    """The billing provider (loop 2010AA) or a rendering provider (2310B)."""

    npi: str  # NM109 with NM108 = XX
    taxonomy: str  # PRV03, e.g. 175T00000X (peer specialist)
    organization_name: str = ""  # NM103 when the provider is an organization
    last_name: str = ""  # NM103 when a person
    first_name: str = ""  # NM104 when a person
    tax_id: str = ""  # REF*EI (billing provider only)
    address: Address | None = None  # billing provider only


@dataclass(frozen=True)
class Subscriber:
    """The participant as the payer knows them (loop 2010BA); they are the subscriber."""

    member_id: str  # NM109 with NM108 = MI
    last_name: str
    first_name: str
    birth_date: date  # DMG02
    sex: str  # DMG03: F, M or U
    address: Address | None = None


@dataclass(frozen=True)
class Payer:
    name: str  # NM103 in loop 2010BB and the receiver (1000B)
    payer_id: str  # NM109 with NM108 = PI
    claim_filing_indicator: str  # SBR09, e.g. MC (Medicaid)


@dataclass(frozen=True)
class ServiceLine:
    line_id: str  # REF*6R: our line id, returned in the 835's REF*6R
    service_date: date  # DTP*472
    procedure_code: str  # SV101-2, e.g. H0038
    modifiers: tuple[str, ...]  # SV101-3.., e.g. ("HQ",) for a group
    units: int  # SV104 with SV103 = UN
    charge_cents: int  # SV102
    diagnosis_pointers: tuple[int, ...] = (1,)  # SV107, 1-based into Claim.diagnoses


@dataclass(frozen=True)
class Claim:
    claim_id: str  # CLM01: ours, at most 20 characters; the 835's CLP01 returns it
    subscriber: Subscriber
    diagnoses: tuple[str, ...]  # HI: ICD-10-CM codes without the dot; the first is ABK
    lines: tuple[ServiceLine, ...]
    place_of_service: str  # CLM05-1, e.g. 11 office, 02 telehealth, 99 other
    frequency: str = "1"  # CLM05-3: 1 original, 7 replacement, 8 void
    payer_claim_number: str = ""  # REF*F8, required with frequency 7 or 8
    rendering: Provider | None = None  # loop 2310B, when not the billing provider

    @property
    def charge_cents(self) -> int:  # CLM02
        return sum(line.charge_cents for line in self.lines)


@dataclass(frozen=True)
class ClaimFile:
    """One 837P interchange: one functional group, one transaction, for one payer."""

    control_number: int  # ISA13/GS06/ST02, unique per submitter; at most 9 digits
    created_at: datetime
    submitter_id: str  # ISA06/GS02 and loop 1000A NM109
    submitter_name: str  # 1000A NM103
    submitter_contact_phone: str  # 1000A PER
    receiver_id: str  # ISA08/GS03 and loop 1000B NM109
    payer: Payer
    billing_provider: Provider
    claims: tuple[Claim, ...]
    production: bool = False  # ISA15: P or T
    submitter_contact_name: str = ""  # 1000A PER02, when a person answers the phone


@dataclass(frozen=True)
class Adjustment:
    group: str  # CAS01: CO, PR, OA, PI, CR
    reason: str  # CAS02: a claim adjustment reason code
    amount_cents: int  # CAS03


@dataclass(frozen=True)
class RemittanceLine:
    line_id: str  # REF*6R: our ServiceLine.line_id, when the payer returns it
    procedure_code: str
    modifiers: tuple[str, ...]
    charge_cents: int
    paid_cents: int
    units: int
    adjustments: tuple[Adjustment, ...] = ()


@dataclass(frozen=True)
class RemittanceClaim:
    claim_id: str  # CLP01: our Claim.claim_id
    status: str  # CLP02: 1 primary paid, 2 secondary, 3 tertiary, 4 denied, 22 reversal, ...
    charge_cents: int  # CLP03
    paid_cents: int  # CLP04
    patient_responsibility_cents: int  # CLP05
    payer_claim_number: str  # CLP07
    adjustments: tuple[Adjustment, ...] = ()  # claim-level CAS
    lines: tuple[RemittanceLine, ...] = ()


@dataclass(frozen=True)
class Remittance:
    trace_number: str  # TRN02: the check or EFT number; with the payer, a file's identity
    payer_name: str  # N1*PR
    payer_id: str  # N1*PR N104 or REF*2U
    payment_cents: int  # BPR02
    payment_date: date | None  # BPR16
    claims: tuple[RemittanceClaim, ...] = field(default_factory=tuple)


class X12Error(ValueError):
    """X12 text that cannot be read or is not valid: where (segment) and why."""

    def __init__(self, segment: str, reason: str) -> None:
        super().__init__(f"{segment}: {reason}" if segment else reason)
        self.segment = segment
        self.reason = reason
