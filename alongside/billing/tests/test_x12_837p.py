"""Writing 837P claim files, each checked by pyx12. Sample data: fictional people and numbers."""

import dataclasses
from datetime import date, datetime

import pytest

from alongside.billing.x12.claims import write_837p
from alongside.billing.x12.model import (
    Address,
    Claim,
    ClaimFile,
    Payer,
    Provider,
    ServiceLine,
    Subscriber,
    X12Error,
)
from alongside.billing.x12.validate import x12_errors

SUBSCRIBER = Subscriber(
    member_id="SAMPLE0001",
    last_name="Samplesson",
    first_name="José",
    birth_date=date(1990, 5, 1),
    sex="F",
    address=Address("1 Sample Lane", "Concord", "NH", "03301"),
)
PEER = Provider(npi="1234567893", taxonomy="175T00000X", last_name="Peerson", first_name="Pat")
LINE = ServiceLine("L-1", date(2026, 11, 2), "H0038", (), units=2, charge_cents=3700)
GROUP_LINE = ServiceLine("L-2", date(2026, 11, 3), "H0038", ("HQ",), units=1, charge_cents=850)
CLAIM = Claim("C-1001", SUBSCRIBER, ("F11.20", "Z13.89"), (LINE, GROUP_LINE), "11", rendering=PEER)


def claim_file(*claims: Claim, **changes) -> ClaimFile:
    sample = ClaimFile(
        control_number=42,
        created_at=datetime(2026, 12, 7, 8, 5),
        submitter_id="SAMPLESUBMIT",
        submitter_name="Sample Peer Org (sample)",
        submitter_contact_phone="603-555-0100",
        receiver_id="SAMPLEPAYER",
        payer=Payer("Sample Medicaid", "SAMPLE1", "MC"),
        billing_provider=Provider(
            npi="1234567893",
            taxonomy="175T00000X",
            organization_name="Sample Peer Org (sample)",
            tax_id="12-3456789",
            address=Address("100 Sample Street", "Concord", "NH", "03301-0000"),
        ),
        claims=claims or (CLAIM,),
    )
    return dataclasses.replace(sample, **changes)


def segments(text: str) -> list[str]:
    return [segment for segment in text.split("~\n") if segment]


def element(text: str, prefix: str, position: int) -> str:
    [segment] = [s for s in segments(text) if s.startswith(prefix)]
    return segment.split("*")[position]


def test_one_claim_validates():
    assert x12_errors(write_837p(claim_file())) == []


def test_many_claims_validate_each_under_its_own_subscriber():
    second = dataclasses.replace(CLAIM, claim_id="C-1002", rendering=None, lines=(LINE,))
    third = dataclasses.replace(second, claim_id="C-1003", place_of_service="02")
    text = write_837p(claim_file(CLAIM, second, third))
    assert x12_errors(text) == []
    assert [s for s in segments(text) if s.startswith("HL")] == [
        "HL*1**20*1",
        "HL*2*1*22*0",
        "HL*3*1*22*0",
        "HL*4*1*22*0",
    ]


def test_envelope_counts_and_control_numbers_match():
    text = write_837p(claim_file())
    body = segments(text)
    st = next(i for i, s in enumerate(body) if s.startswith("ST*"))
    se = next(i for i, s in enumerate(body) if s.startswith("SE*"))
    assert element(text, "SE*", 1) == str(se - st + 1)  # ST through SE, both counted
    assert element(text, "ISA*", 13) == element(text, "IEA*", 2) == "000000042"
    assert element(text, "GS*", 6) == element(text, "GE*", 2) == "42"
    assert element(text, "ST*", 2) == element(text, "SE*", 2) == "0042"
    assert element(text, "GE*", 1) == element(text, "IEA*", 1) == "1"


def test_isa_is_fixed_width():
    isa = segments(write_837p(claim_file()))[0]
    assert len(isa) + 1 == 106  # with its terminator
    assert isa.split("*")[6] == "SAMPLESUBMIT   "


def test_claim_and_lines_carry_what_the_payer_needs():
    text = write_837p(claim_file())
    assert "CLM*C-1001*45.5***11:B:1*Y*A*Y*Y" in segments(text)
    assert "HI*ABK:F1120*ABF:Z1389" in segments(text)
    assert "SV1*HC:H0038*37*UN*2*11**1" in segments(text)
    assert "SV1*HC:H0038:HQ*8.5*UN*1*11**1" in segments(text)
    assert "DTP*472*D8*20261103" in segments(text)
    assert "REF*6R*L-2" in segments(text)
    assert "NM1*82*1*Peerson*Pat****XX*1234567893" in segments(text)
    assert "PRV*PE*PXC*175T00000X" in segments(text)
    assert "SBR*P*18*******MC" in segments(text)


@pytest.mark.parametrize("frequency", ["7", "8"])
def test_replacement_and_void_name_the_payers_claim(frequency):
    claim = dataclasses.replace(CLAIM, frequency=frequency, payer_claim_number="PCN-0001")
    text = write_837p(claim_file(claim))
    assert x12_errors(text) == []
    assert element(text, "CLM*", 5) == f"11:B:{frequency}"
    assert "REF*F8*PCN-0001" in segments(text)


def test_replacement_without_the_payers_claim_number_is_refused():
    with pytest.raises(X12Error) as refused:
        write_837p(claim_file(dataclasses.replace(CLAIM, frequency="7")))
    assert refused.value.segment == "REF*F8"


def test_an_original_claim_has_no_ref_f8():
    assert not [s for s in segments(write_837p(claim_file())) if s.startswith("REF*F8")]


def test_accents_are_folded_and_spaces_collapsed():
    person = dataclasses.replace(SUBSCRIBER, first_name="  Zoë  Ann ")
    text = write_837p(claim_file(dataclasses.replace(CLAIM, subscriber=person)))
    assert element(text, "NM1*IL", 4) == "Zoe Ann"
    assert x12_errors(text) == []


@pytest.mark.parametrize("name", ["Sam*son", "Sam~son", "Sam:son", "Sam^son"])
def test_a_separator_in_a_name_is_refused_naming_the_field_not_the_value(name):
    person = dataclasses.replace(SUBSCRIBER, last_name=name)
    with pytest.raises(X12Error) as refused:
        write_837p(claim_file(dataclasses.replace(CLAIM, subscriber=person)))
    assert refused.value.segment == "NM1*IL"
    assert "last name" in refused.value.reason
    assert name not in str(refused.value)


def test_a_file_missing_a_required_segment_gives_errors_naming_it():
    text = write_837p(claim_file())
    broken = "".join(f"{s}~\n" for s in segments(text) if not s.startswith("NM1*PR"))
    errors = x12_errors(broken)
    assert any("Payer Name" in error and "2010BB" in error for error in errors)
    assert any(error.startswith("ST:") and "SE count" in error for error in errors)


def test_a_wrong_date_is_named_with_its_element():
    text = write_837p(claim_file()).replace("DTP*472*D8*20261102", "DTP*472*D8*20261302")
    [error] = x12_errors(text)
    assert error.startswith("DTP") and "DTP03" in error


def test_text_that_is_not_x12_is_one_error_at_isa():
    assert x12_errors("not a claim file") == ["ISA: First line does not begin with 'ISA': not"]


def test_amounts_drop_trailing_zeros():
    lines = (
        dataclasses.replace(LINE, charge_cents=1805),
        dataclasses.replace(LINE, charge_cents=1800),
    )
    text = write_837p(claim_file(dataclasses.replace(CLAIM, lines=lines)))
    assert element(text, "CLM*", 2) == "36.05"
    assert [s.split("*")[2] for s in segments(text) if s.startswith("SV1")] == ["18.05", "18"]
