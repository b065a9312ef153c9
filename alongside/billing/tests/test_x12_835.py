"""Reading 835 remittances: sample files (fictional payer, provider and people) built here."""

from datetime import date

import pytest

from alongside.billing.x12.carc import meaning
from alongside.billing.x12.model import Adjustment, X12Error
from alongside.billing.x12.remittance import read_835

ISA = (
    "ISA*00*          *00*          *ZZ*SAMPLEPAYER    *ZZ*SAMPLESUBMIT   "
    "*261215*1200*^*00501*000000101*0*T*:~\n"
)


def remittance_text(
    *claims: str, payment: str = "45.5", method: str = "CHK", without: str = "~"
) -> str:
    """A sample 835 around ``claims`` (each CLP and what follows it), SE01 counted for us."""
    handling = "I" if payment != "0" else "H"
    body = [
        "ST*835*0001",
        f"BPR*{handling}*{payment}*C*{method}************20261215",
        "TRN*1*SAMPLE-EFT-0001*1000000001",
        "DTM*405*20261214",
        "N1*PR*SAMPLE MEDICAID (SAMPLE)",
        "N3*1 SAMPLE PAYER WAY",
        "N4*CONCORD*NH*03301",
        "REF*2U*SAMPLE1",
        "PER*BL*SAMPLE PROVIDER LINE*TE*6035550199",
        "N1*PE*SAMPLE PEER ORG*XX*1234567893",
        "N3*100 SAMPLE STREET",
        "N4*CONCORD*NH*033010000",
        "LX*1",
    ]
    for claim in claims:
        body += [segment for segment in claim.strip().split("~\n") if segment]
    body = [segment for segment in body if not segment.startswith(without)]
    body.append(f"SE*{len(body) + 1}*0001")
    return (
        ISA
        + "GS*HP*SAMPLEPAYER*SAMPLESUBMIT*20261215*1200*101*X*005010X221A1~\n"
        + "".join(f"{segment.rstrip('~')}~\n" for segment in body)
        + "GE*1*101~\nIEA*1*000000101~\n"
    )


PAID = """
CLP*C-1001*1*45.5*45.5**MC*PCN-0001~
NM1*QC*1*SAMPLESSON*PAT****MI*SAMPLE0001~
SVC*HC:H0038*37*37**2~
DTM*472*20261102~
REF*6R*L-1~
SVC*HC:H0038:HQ*8.5*8.5~
DTM*472*20261103~
REF*6R*L-2~
"""

PARTIAL = """
CLP*C-1002*1*74*55.5**MC*PCN-0002~
NM1*QC*1*EXAMPLE*SAM****MI*SAMPLE0002~
SVC*HC:H0038*74*55.5**4~
DTM*472*20261104~
CAS*CO*45*18.5~
REF*6R*L-3~
"""

DENIED = """
CLP*C-1003*4*37*0**MC*PCN-0003~
CAS*CO*29*37~
NM1*QC*1*SAMPLEMAN*ALEX****MI*SAMPLE0003~
"""

MANY_TRIPLES = """
CLP*C-1004*1*100*40*10*MC*PCN-0004~
CAS*CO*45*30**253*5**97*5~
CAS*PR*1*10~
NM1*QC*1*TESTWORTH*JO****MI*SAMPLE0004~
"""


def test_paid_claim_with_lines_and_our_line_ids():
    remittance = read_835(remittance_text(PAID))
    assert remittance.trace_number == "SAMPLE-EFT-0001"
    assert (remittance.payer_name, remittance.payer_id) == ("SAMPLE MEDICAID (SAMPLE)", "SAMPLE1")
    assert (remittance.payment_cents, remittance.payment_date) == (4550, date(2026, 12, 15))
    [claim] = remittance.claims
    assert (claim.claim_id, claim.status, claim.payer_claim_number) == ("C-1001", "1", "PCN-0001")
    assert (claim.charge_cents, claim.paid_cents, claim.adjustments) == (4550, 4550, ())
    first, group = claim.lines
    assert (first.line_id, first.procedure_code, first.modifiers, first.units) == (
        "L-1",
        "H0038",
        (),
        2,
    )
    assert (group.line_id, group.modifiers, group.paid_cents, group.units) == (
        "L-2",
        ("HQ",),
        850,
        1,
    )


def test_partially_paid_line_carries_its_adjustment():
    [claim] = read_835(remittance_text(PARTIAL, payment="55.5")).claims
    assert (claim.charge_cents, claim.paid_cents) == (7400, 5550)
    [line] = claim.lines
    assert line.adjustments == (Adjustment("CO", "45", 1850),)
    assert (line.line_id, line.units) == ("L-3", 4)


def test_denied_claim_has_status_4_and_its_reason():
    [claim] = read_835(remittance_text(DENIED, payment="0", method="NON")).claims
    assert (claim.status, claim.paid_cents) == ("4", 0)
    assert claim.adjustments == (Adjustment("CO", "29", 3700),)


def test_every_triple_of_a_cas_segment_is_an_adjustment():
    [claim] = read_835(remittance_text(MANY_TRIPLES, payment="40")).claims
    assert claim.adjustments == (
        Adjustment("CO", "45", 3000),
        Adjustment("CO", "253", 500),
        Adjustment("CO", "97", 500),
        Adjustment("PR", "1", 1000),
    )
    assert claim.patient_responsibility_cents == 1000


def test_claims_are_read_in_order_each_with_its_own_lines():
    remittance = read_835(remittance_text(PAID, PARTIAL, DENIED, payment="101"))
    assert [c.claim_id for c in remittance.claims] == ["C-1001", "C-1002", "C-1003"]
    assert [len(c.lines) for c in remittance.claims] == [2, 1, 0]


def test_windows_line_ends_and_a_byte_order_mark_are_read():
    text = "\ufeff" + remittance_text(PAID).replace("~\n", "~\r\n")
    assert [c.claim_id for c in read_835(text).claims] == ["C-1001"]


def test_two_payments_in_one_file_are_refused():
    text = remittance_text(PAID)
    start, end = text.index("ST*835"), text.index("GE*1")
    two = text[:end] + text[start:end].replace("0001", "0002") + text[end:].replace("GE*1", "GE*2")
    with pytest.raises(X12Error) as refused:
        read_835(two)
    assert refused.value.segment == "ST"


def test_a_file_that_is_not_x12_is_refused_at_isa():
    with pytest.raises(X12Error) as refused:
        read_835("this is not a remittance")
    assert refused.value.segment == "ISA"


def test_a_file_missing_a_required_segment_is_refused_naming_it():
    with pytest.raises(X12Error) as refused:
        read_835(remittance_text(PAID, without="TRN"))
    assert refused.value.segment.startswith("TRN")
    assert "Trace Number" in refused.value.reason


def test_a_bad_amount_is_refused_naming_the_segment():
    with pytest.raises(X12Error) as refused:
        read_835(remittance_text(PAID.replace("CLP*C-1001*1*45.5", "CLP*C-1001*1*45,5")))
    assert refused.value.segment.startswith("CLP")


def test_an_837_is_not_read_as_a_remittance():
    text = remittance_text(PAID).replace("ST*835*0001", "ST*837*0001")
    with pytest.raises(X12Error):
        read_835(text)


def test_reason_and_group_codes_read_in_plain_words():
    assert "too late" in meaning("29")
    assert meaning("co").startswith("Contractual obligation")
    assert meaning("Z99") == "Code Z99 (no description here)"
