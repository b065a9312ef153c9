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
from collections.abc import Iterator

from .model import Address, Claim, ClaimFile, Provider, ServiceLine, X12Error

GUIDE = "005010X222A1"
SEPARATORS = "*:^~"
# X12's extended character set (005010) less our separators: anything else cannot be sent.
_OUTSIDE_CHARSET = re.compile(r"""[^A-Za-z0-9!"&'()+,\-./;?= %@\[\]_{}\\|<>`#$]""")

Segment = tuple[str, ...]


def write_837p(claim_file: ClaimFile) -> str:
    """The 837P interchange for ``claim_file``; raises X12Error when a value cannot be sent."""
    if not claim_file.claims:
        raise X12Error("CLM", "a claim file needs at least one claim")
    control = claim_file.control_number
    if not 0 < control <= 999_999_999:
        raise X12Error("ISA", "control number must be between 1 and 999999999")
    transaction = [
        ("ST", "837", _st_control(control), GUIDE),
        *_header(claim_file),
        *_billing_provider(claim_file),
    ]
    for number, claim in enumerate(claim_file.claims, start=2):
        transaction += _subscriber_and_claim(claim_file, claim, hl_number=number)
    transaction.append(("SE", str(len(transaction) + 1), _st_control(control)))
    segments = [
        _isa(claim_file),
        _gs(claim_file),
        *transaction,
        ("GE", "1", str(control)),
        ("IEA", "1", f"{control:09d}"),
    ]
    return "".join(_segment_text(segment) for segment in segments)


def _segment_text(segment: Segment) -> str:
    if segment[0] == "ISA":  # fixed width: every element is kept, padding and all
        return "*".join(segment) + "~\n"
    elements = list(segment)
    while elements and elements[-1] == "":
        elements.pop()
    return "*".join(elements) + "~\n"


def _st_control(control: int) -> str:
    return f"{control:04d}"


def _isa(claim_file: ClaimFile) -> Segment:
    created = claim_file.created_at
    return (
        "ISA",
        "00",
        " " * 10,
        "00",
        " " * 10,
        "ZZ",
        _text(claim_file.submitter_id, "ISA", "submitter id", 15).ljust(15),
        "ZZ",
        _text(claim_file.receiver_id, "ISA", "receiver id", 15).ljust(15),
        created.strftime("%y%m%d"),
        created.strftime("%H%M"),
        "^",
        "00501",
        f"{claim_file.control_number:09d}",
        "0",
        "P" if claim_file.production else "T",
        ":",
    )


def _gs(claim_file: ClaimFile) -> Segment:
    created = claim_file.created_at
    return (
        "GS",
        "HC",
        _text(claim_file.submitter_id, "GS", "submitter id", 15),
        _text(claim_file.receiver_id, "GS", "receiver id", 15),
        created.strftime("%Y%m%d"),
        created.strftime("%H%M"),
        str(claim_file.control_number),
        "X",
        GUIDE,
    )


def _header(claim_file: ClaimFile) -> list[Segment]:
    created = claim_file.created_at
    submitter_id = _text(claim_file.submitter_id, "NM1*41", "submitter id", 80)
    contact = _text(claim_file.submitter_contact_name, "PER", "submitter contact name", 60, True)
    phone = _digits(claim_file.submitter_contact_phone, "PER", "submitter contact phone", 10)
    return [
        (
            "BHT",
            "0019",
            "00",
            str(claim_file.control_number),
            created.strftime("%Y%m%d"),
            created.strftime("%H%M"),
            "CH",
        ),
        (
            "NM1",
            "41",
            "2",
            _text(claim_file.submitter_name, "NM1*41", "submitter name", 60),
            "",
            "",
            "",
            "",
            "46",
            submitter_id,
        ),
        ("PER", "IC", contact, "TE", phone),
        (
            "NM1",
            "40",
            "2",
            _text(claim_file.payer.name, "NM1*40", "payer name", 60),
            "",
            "",
            "",
            "",
            "46",
            _text(claim_file.receiver_id, "NM1*40", "receiver id", 80),
        ),
    ]


def _billing_provider(claim_file: ClaimFile) -> list[Segment]:
    provider = claim_file.billing_provider
    if provider.address is None:
        raise X12Error("N3", "the billing provider needs an address (2010AA)")
    return [
        ("HL", "1", "", "20", "1"),
        ("PRV", "BI", "PXC", _text(provider.taxonomy, "PRV", "billing taxonomy", 50)),
        _provider_name("85", provider, "billing provider"),
        *_address(provider.address, "billing provider", nine_digit_zip=True),
        ("REF", "EI", _digits(provider.tax_id, "REF*EI", "billing provider tax id", 9)),
    ]


def _subscriber_and_claim(claim_file: ClaimFile, claim: Claim, hl_number: int) -> list[Segment]:
    payer = claim_file.payer
    person = claim.subscriber
    whose = f"claim {claim.claim_id}: subscriber"
    segments: list[Segment] = [
        ("HL", str(hl_number), "1", "22", "0"),
        (
            "SBR",
            "P",
            "18",
            "",
            "",
            "",
            "",
            "",
            "",
            _text(payer.claim_filing_indicator, "SBR", "claim filing indicator", 2),
        ),
        (
            "NM1",
            "IL",
            "1",
            _text(person.last_name, "NM1*IL", f"{whose} last name", 60),
            _text(person.first_name, "NM1*IL", f"{whose} first name", 35),
            "",
            "",
            "",
            "MI",
            _text(person.member_id, "NM1*IL", f"{whose} member id", 80),
        ),
    ]
    if person.address is not None:
        segments += _address(person.address, whose)
    segments += [
        ("DMG", "D8", person.birth_date.strftime("%Y%m%d"), person.sex),
        (
            "NM1",
            "PR",
            "2",
            _text(payer.name, "NM1*PR", "payer name", 60),
            "",
            "",
            "",
            "",
            "PI",
            _text(payer.payer_id, "NM1*PR", "payer id", 80),
        ),
    ]
    return segments + list(_claim(claim))


def _claim(claim: Claim) -> Iterator[Segment]:
    label = f"claim {claim.claim_id}"
    if not claim.lines:
        raise X12Error("LX", f"{label} has no service lines")
    if not 1 <= len(claim.diagnoses) <= 12:
        raise X12Error("HI", f"{label} needs between 1 and 12 diagnosis codes")
    place = _text(claim.place_of_service, "CLM", f"{label} place of service", 2)
    yield (
        "CLM",
        _text(claim.claim_id, "CLM", "claim id", 20),
        _amount(claim.charge_cents),
        "",
        "",
        f"{place}:B:{claim.frequency}",
        "Y",
        "A",
        "Y",
        "Y",
    )
    if claim.frequency in ("7", "8"):
        if not claim.payer_claim_number:
            raise X12Error(
                "REF*F8", f"{label} replaces or voids a claim: payer claim number needed"
            )
        yield ("REF", "F8", _text(claim.payer_claim_number, "REF*F8", "payer claim number", 50))
    codes = [
        _text(code.replace(".", "").upper(), "HI", f"{label} diagnosis", 30)
        for code in claim.diagnoses
    ]
    yield ("HI", f"ABK:{codes[0]}", *(f"ABF:{code}" for code in codes[1:]))
    if claim.rendering is not None:
        yield _provider_name("82", claim.rendering, f"{label} rendering provider")
        yield ("PRV", "PE", "PXC", _text(claim.rendering.taxonomy, "PRV", "rendering taxonomy", 50))
    for number, line in enumerate(claim.lines, start=1):
        yield from _service_line(claim, line, number, place)


def _service_line(claim: Claim, line: ServiceLine, number: int, place: str) -> Iterator[Segment]:
    label = f"claim {claim.claim_id} line {number}"
    pointers = line.diagnosis_pointers
    if not 1 <= len(pointers) <= 4 or not all(1 <= p <= len(claim.diagnoses) for p in pointers):
        raise X12Error("SV1", f"{label}: one to four diagnosis pointers into the claim's codes")
    procedure = ":".join(
        ["HC", _text(line.procedure_code, "SV1", f"{label} procedure code", 48)]
        + [_text(modifier, "SV1", f"{label} modifier", 2) for modifier in line.modifiers]
    )
    yield ("LX", str(number))
    yield (
        "SV1",
        procedure,
        _amount(line.charge_cents),
        "UN",
        str(line.units),
        place,
        "",
        ":".join(str(p) for p in pointers),
    )
    yield ("DTP", "472", "D8", line.service_date.strftime("%Y%m%d"))
    yield ("REF", "6R", _text(line.line_id, "REF*6R", f"{label} line id", 50))


def _provider_name(entity: str, provider: Provider, label: str) -> Segment:
    segment = f"NM1*{entity}"
    npi = _digits(provider.npi, segment, f"{label} NPI", 10)
    if provider.organization_name:
        name = _text(provider.organization_name, segment, f"{label} name", 60)
        return ("NM1", entity, "2", name, "", "", "", "", "XX", npi)
    last = _text(provider.last_name, segment, f"{label} last name", 60)
    first = _text(provider.first_name, segment, f"{label} first name", 35, True)
    return ("NM1", entity, "1", last, first, "", "", "", "XX", npi)


def _address(address: Address, label: str, nine_digit_zip: bool = False) -> list[Segment]:
    zip_length = 9 if nine_digit_zip else 0
    return [
        (
            "N3",
            _text(address.line1, "N3", f"{label} address", 55),
            _text(address.line2, "N3", f"{label} address line 2", 55, True),
        ),
        (
            "N4",
            _text(address.city, "N4", f"{label} city", 30),
            _text(address.state, "N4", f"{label} state", 2),
            _digits(address.postal_code, "N4", f"{label} postal code", zip_length),
        ),
    ]


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
