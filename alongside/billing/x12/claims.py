"""Write an X12 837P (005010X222A1) claim file from plain data.

One interchange holds one functional group holding one transaction, for one payer:

    ISA GS ST BHT
      1000A submitter (NM1*41, PER)        1000B receiver (NM1*40)
      2000A billing provider HL*1**20*1, PRV*BI
        2010AA NM1*85, N3, N4, REF*EI
      per claim: 2000B subscriber HL*n*1*22*0, SBR*P*18 ... claim filing indicator
        2010BA NM1*IL, N3/N4 when known, DMG      2010BB payer NM1*PR ... PI
        2300 CLM (place of service : B : frequency), REF*F8 for 7 and 8, HI (ABK, then ABF)
          2310B rendering provider NM1*82, PRV*PE (when the claim names one)
          2400 LX, SV1*HC:H0038[:HQ]*amount*UN*units, DTP*472, REF*6R
    SE GE IEA

The participant is always the subscriber (SBR02 = 18, self), so there is no patient loop.
Separators are fixed: ``*`` between elements, ``:`` inside a composite, ``^`` for repeats,
``~`` ends a segment; a newline follows each ``~`` so a person can read the file (readers,
pyx12 included, skip it). Amounts are dollars with the trailing zeros left off (1800 cents is
``18``, 1850 is ``18.5``), as X12 writes decimal numbers.

Text from people (names, addresses, ids) is made safe, never silently changed in meaning:
letters with accents lose them (``José`` is written ``Jose``, as payers' records usually spell
it) and runs of spaces become one; a value holding a separator (``* : ^ ~``) or any other
character outside X12's extended character set is refused with ``X12Error``, which names the
segment and the field but never the value, so the clerk fixes the record rather than the payer
receiving a name we changed.
"""

from __future__ import annotations

import re
import unicodedata

from .model import Address, Claim, ClaimFile, Provider, ServiceLine, X12Error

GUIDE = "005010X222A1"
SEPARATORS = "*:^~"
# X12's extended character set (005010) less our separators: anything else cannot be sent.
_OUTSIDE_CHARSET = re.compile(r"""[^A-Za-z0-9!"&'()+,\-./;?= %@\[\]_{}\\|<>`#$]""")


def write_837p(claim_file: ClaimFile) -> str:
    """The 837P interchange for ``claim_file``; raises X12Error when a value cannot be sent."""
    if not claim_file.claims:
        raise X12Error("CLM", "a claim file needs at least one claim")
    control = claim_file.control_number
    if not 0 < control <= 999_999_999:
        raise X12Error("ISA", "control number must be between 1 and 999999999")
    transaction = [
        _segment("ST*837*{:04d}*{}", control, GUIDE),
        *_header(claim_file),
        *_billing_provider(claim_file),
    ]
    for hl_number, claim in enumerate(claim_file.claims, start=2):
        transaction += _subscriber(claim_file, claim, hl_number)
        transaction += _claim(claim)
    transaction.append(_segment("SE*{}*{:04d}", len(transaction) + 1, control))
    segments = [
        _isa(claim_file),
        _segment(
            "GS*HC*{}*{}*{:%Y%m%d*%H%M}*{}*X*{}",
            *_parties(claim_file, 15),
            claim_file.created_at,
            control,
            GUIDE,
        ),
        *transaction,
        _segment("GE*1*{}", control),
        _segment("IEA*1*{:09d}", control),
    ]
    return "".join(f"{segment}~\n" for segment in segments)


def _segment(template: str, *values: object) -> str:
    """A segment from its layout in the guide's notation; empty trailing elements dropped."""
    return template.format(*values).rstrip("*")


def _parties(claim_file: ClaimFile, max_length: int) -> tuple[str, str]:
    return (
        _text(claim_file.submitter_id, "ISA", "submitter id", max_length),
        _text(claim_file.receiver_id, "ISA", "receiver id", max_length),
    )


def _isa(claim_file: ClaimFile) -> str:
    """The fixed-width header: every element padded to its size, 106 characters with the ~."""
    submitter, receiver = _parties(claim_file, 15)
    usage = "P" if claim_file.production else "T"
    return (
        f"ISA*00*{'':10}*00*{'':10}*ZZ*{submitter:15}*ZZ*{receiver:15}"
        f"*{claim_file.created_at:%y%m%d*%H%M}*^*00501*{claim_file.control_number:09d}*0*{usage}*:"
    )


def _header(claim_file: ClaimFile) -> list[str]:
    submitter, receiver = _parties(claim_file, 80)
    name = _text(claim_file.submitter_name, "NM1*41", "submitter name", 60)
    contact = _text(claim_file.submitter_contact_name, "PER", "submitter contact name", 60, True)
    phone = _digits(claim_file.submitter_contact_phone, "PER", "submitter contact phone", 10)
    payer = _text(claim_file.payer.name, "NM1*40", "payer name", 60)
    return [
        _segment(
            "BHT*0019*00*{}*{:%Y%m%d*%H%M}*CH", claim_file.control_number, claim_file.created_at
        ),
        _segment("NM1*41*2*{}*****46*{}", name, submitter),
        _segment("PER*IC*{}*TE*{}", contact, phone),
        _segment("NM1*40*2*{}*****46*{}", payer, receiver),
    ]


def _billing_provider(claim_file: ClaimFile) -> list[str]:
    provider = claim_file.billing_provider
    if provider.address is None:
        raise X12Error("N3", "the billing provider needs an address (2010AA)")
    return [
        "HL*1**20*1",
        _segment("PRV*BI*PXC*{}", _text(provider.taxonomy, "PRV", "billing taxonomy", 50)),
        _provider_name("85", provider, "billing provider"),
        *_address(provider.address, "billing provider", nine_digit_zip=True),
        _segment("REF*EI*{}", _digits(provider.tax_id, "REF*EI", "billing provider tax id", 9)),
    ]


def _subscriber(claim_file: ClaimFile, claim: Claim, hl_number: int) -> list[str]:
    """Loop 2000B and its names: the participant (2010BA) and the payer (2010BB)."""
    payer, person = claim_file.payer, claim.subscriber
    whose = f"claim {claim.claim_id}: subscriber"
    filing = _text(payer.claim_filing_indicator, "SBR", "claim filing indicator", 2)
    last = _text(person.last_name, "NM1*IL", f"{whose} last name", 60)
    first = _text(person.first_name, "NM1*IL", f"{whose} first name", 35)
    member_id = _text(person.member_id, "NM1*IL", f"{whose} member id", 80)
    if person.sex not in ("F", "M", "U"):
        raise X12Error("DMG", f"{whose} sex must be F, M or U")
    address = _address(person.address, whose) if person.address else []
    return [
        _segment("HL*{}*1*22*0", hl_number),
        _segment("SBR*P*18*******{}", filing),
        _segment("NM1*IL*1*{}*{}****MI*{}", last, first, member_id),
        *address,
        _segment("DMG*D8*{:%Y%m%d}*{}", person.birth_date, person.sex),
        _segment(
            "NM1*PR*2*{}*****PI*{}",
            _text(payer.name, "NM1*PR", "payer name", 60),
            _text(payer.payer_id, "NM1*PR", "payer id", 80),
        ),
    ]


def _claim(claim: Claim) -> list[str]:
    """Loop 2300, the rendering provider (2310B) and the service lines (2400)."""
    label = f"claim {claim.claim_id}"
    if not claim.lines:
        raise X12Error("LX", f"{label} has no service lines")
    if not 1 <= len(claim.diagnoses) <= 12:
        raise X12Error("HI", f"{label} needs between 1 and 12 diagnosis codes")
    if claim.frequency not in ("1", "7", "8"):
        raise X12Error("CLM", f"{label} frequency must be 1, 7 or 8")
    claim_id = _text(claim.claim_id, "CLM", "claim id", 20)
    place = _text(claim.place_of_service, "CLM", f"{label} place of service", 2)
    segments = [
        _segment(
            "CLM*{}*{}***{}:B:{}*Y*A*Y*Y",
            claim_id,
            _amount(claim.charge_cents),
            place,
            claim.frequency,
        ),
    ]
    if claim.frequency in ("7", "8"):  # a replacement or a void names the claim it changes
        if not claim.payer_claim_number:
            raise X12Error("REF*F8", f"{label} replaces or voids: payer claim number needed")
        payer_claim = _text(claim.payer_claim_number, "REF*F8", f"{label} payer claim number", 50)
        segments.append(_segment("REF*F8*{}", payer_claim))
    codes = [
        _text(code.replace(".", "").upper(), "HI", f"{label} diagnosis", 30)
        for code in claim.diagnoses
    ]
    segments.append("*".join(["HI", f"ABK:{codes[0]}", *(f"ABF:{code}" for code in codes[1:])]))
    if claim.rendering is not None:
        taxonomy = _text(claim.rendering.taxonomy, "PRV", f"{label} rendering taxonomy", 50)
        segments.append(_provider_name("82", claim.rendering, f"{label} rendering provider"))
        segments.append(_segment("PRV*PE*PXC*{}", taxonomy))
    for number, line in enumerate(claim.lines, start=1):
        segments += _service_line(claim, line, number, place)
    return segments


def _service_line(claim: Claim, line: ServiceLine, number: int, place: str) -> list[str]:
    label = f"claim {claim.claim_id} line {number}"
    pointers = line.diagnosis_pointers
    if not 1 <= len(pointers) <= 4 or not all(1 <= p <= len(claim.diagnoses) for p in pointers):
        raise X12Error("SV1", f"{label}: one to four diagnosis pointers into the claim's codes")
    procedure = ":".join(
        ["HC", _text(line.procedure_code, "SV1", f"{label} procedure code", 48)]
        + [_text(modifier, "SV1", f"{label} modifier", 2) for modifier in line.modifiers]
    )
    return [
        _segment("LX*{}", number),
        _segment(
            "SV1*{}*{}*UN*{}*{}**{}",
            procedure,
            _amount(line.charge_cents),
            line.units,
            place,
            ":".join(map(str, pointers)),
        ),
        _segment("DTP*472*D8*{:%Y%m%d}", line.service_date),
        _segment("REF*6R*{}", _text(line.line_id, "REF*6R", f"{label} line id", 50)),
    ]


def _provider_name(entity: str, provider: Provider, label: str) -> str:
    """NM1 for a provider with its NPI: an organization (NM102 = 2) or a person (1)."""
    where = f"NM1*{entity}"
    npi = _digits(provider.npi, where, f"{label} NPI", 10)
    if provider.organization_name:
        name = _text(provider.organization_name, where, f"{label} name", 60)
        return _segment("NM1*{}*2*{}*****XX*{}", entity, name, npi)
    last = _text(provider.last_name, where, f"{label} last name", 60)
    first = _text(provider.first_name, where, f"{label} first name", 35, True)
    return _segment("NM1*{}*1*{}*{}****XX*{}", entity, last, first, npi)


def _address(address: Address, label: str, nine_digit_zip: bool = False) -> list[str]:
    line1 = _text(address.line1, "N3", f"{label} address", 55)
    line2 = _text(address.line2, "N3", f"{label} address line 2", 55, True)
    city = _text(address.city, "N4", f"{label} city", 30)
    state = _text(address.state, "N4", f"{label} state", 2)
    zip_code = _digits(
        address.postal_code, "N4", f"{label} postal code", 9 if nine_digit_zip else 0
    )
    return [_segment("N3*{}*{}", line1, line2), _segment("N4*{}*{}*{}", city, state, zip_code)]


def _amount(cents: int) -> str:
    """Dollars without trailing zeros: 1800 -> "18", 1850 -> "18.5", 1805 -> "18.05"."""
    sign = "-" if cents < 0 else ""
    dollars, rest = divmod(abs(cents), 100)
    return f"{sign}{dollars}" if rest == 0 else f"{sign}{dollars}.{rest:02d}".rstrip("0")


def _text(value: str, segment: str, field: str, max_length: int, optional: bool = False) -> str:
    """``value`` made fit for an element, or X12Error naming the segment and field."""
    if not value.isascii():  # José -> Jose: split letters from their accents, drop the accents
        value = "".join(
            c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c)
        )
    text = " ".join(value.split())
    if not text:
        if optional:
            return ""
        raise X12Error(segment, f"{field} is empty")
    refused = _OUTSIDE_CHARSET.search(text)
    if refused and refused.group() in SEPARATORS:
        raise X12Error(segment, f"{field} contains an X12 separator ({' '.join(SEPARATORS)})")
    if refused:
        raise X12Error(segment, f"{field} contains a character X12 cannot carry")
    if len(text) > max_length:
        raise X12Error(segment, f"{field} is longer than {max_length} characters")
    return text


def _digits(value: str, segment: str, field: str, length: int) -> str:
    """The digits of ``value`` (spaces, dashes and brackets dropped); ``length`` 0 takes 5 or 9."""
    digits = re.sub(r"[\s\-().]", "", value)
    wanted = (length,) if length else (5, 9)
    if not digits.isascii() or not digits.isdigit() or len(digits) not in wanted:
        raise X12Error(segment, f"{field} must be {' or '.join(map(str, wanted))} digits")
    return digits
