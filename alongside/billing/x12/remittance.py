"""Read an X12 835 (005010X221A1) remittance into plain data.

The file is first checked whole with pyx12 (``validate.x12_problems``); anything it finds
refuses the file with ``X12Error`` naming the segment and the reason, and nothing is read. A
valid file is then read segment by segment, with the separators its ISA header declares:

- BPR: the payment (BPR02) and its date (BPR16); TRN: the trace number (TRN02), the check or
  EFT number that, with the payer, identifies a payment;
- N1*PR: the payer's name (N102) and id (N104, or REF*2U after it);
- each CLP (loop 2100): our claim id (CLP01), the status (CLP02: 1 paid as primary, 4 denied,
  22 reversal...), charge, paid and patient responsibility (CLP03-05), the payer's claim
  number (CLP07), and the claim's CAS adjustments;
- each SVC (loop 2110) under a claim: procedure and modifiers (SVC01), charge, paid, units
  (SVC05, one when left out), its CAS adjustments and our line id (REF*6R).

A CAS segment holds a group code and up to six reason/amount/quantity triples; each triple is
one ``Adjustment``. One file, one payment: a file holding several transactions (ST) is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from .model import Adjustment, Remittance, RemittanceClaim, RemittanceLine, X12Error
from .validate import x12_problems

GUIDE = "005010X221A1"


def read_835(text: str) -> Remittance:
    """The payment an 835 reports; X12Error(segment, reason) when the file is not a valid 835."""
    text = text.lstrip("\ufeff \t\r\n")  # a byte-order mark or blank line before ISA is harmless
    problems = x12_problems(text)
    if problems:
        # A segment's own problem says more than the envelope counts it throws off.
        where, reason = min(problems, key=lambda problem: problem[0] in ("ISA", "GS", "ST"))
        more = len(problems) - 1
        raise X12Error(where, reason + (f" (and {more} more problems)" if more else ""))
    segments = _segments(text)
    ids = [segment[0] for segment in segments]
    if ids.count("ST") != 1:
        raise X12Error("ST", f"one remittance per file, and this one holds {ids.count('ST')}")
    st = segments[ids.index("ST")]
    gs = segments[ids.index("GS")]
    if st[1] != "835" or _element(gs, 8) != GUIDE:
        raise X12Error("ST", f"not an 835 remittance for {GUIDE}")
    return _Reader(segments).remittance()


@dataclass
class _OpenLine:
    svc: list[str]
    adjustments: list[Adjustment] = field(default_factory=list)
    line_id: str = ""


@dataclass
class _OpenClaim:
    clp: list[str]
    adjustments: list[Adjustment] = field(default_factory=list)
    lines: list[RemittanceLine] = field(default_factory=list)


class _Reader:
    """Walks the segments once; a CAS or REF*6R belongs to the last CLP or SVC opened."""

    def __init__(self, segments: list[list[str]]) -> None:
        self.segments = segments
        self.component = segments[0][16]  # ISA16, the component separator
        self.header: dict[str, str] = {}
        self.claims: list[RemittanceClaim] = []
        self.claim: _OpenClaim | None = None
        self.line: _OpenLine | None = None

    def remittance(self) -> Remittance:
        in_payer = False  # between N1*PR and the next N1: where REF*2U names the payer
        for segment in self.segments:
            kind = segment[0]
            if kind == "BPR":
                self.header["payment"] = _element(segment, 2)
                self.header["date"] = _element(segment, 16)
            elif kind == "TRN":
                self.header["trace"] = _element(segment, 2)
            elif kind == "N1":
                in_payer = _element(segment, 1) == "PR"
                if in_payer:
                    self.header["payer_name"] = _element(segment, 2)
                    self.header["payer_id"] = _element(segment, 4)
            elif kind == "REF" and in_payer and _element(segment, 1) == "2U":
                if not self.header.get("payer_id"):
                    self.header["payer_id"] = _element(segment, 2)
            elif kind == "CLP":
                in_payer = False
                self._close_claim()
                self.claim = _OpenClaim(segment)
            elif kind == "SVC" and self.claim is not None:
                self._close_line()
                self.line = _OpenLine(segment)
            elif kind == "CAS" and self.claim is not None:
                (self.line or self.claim).adjustments.extend(_adjustments(segment))
            elif kind == "REF" and self.line is not None and _element(segment, 1) == "6R":
                self.line.line_id = _element(segment, 2)
            elif kind in ("LX", "PLB", "SE"):
                self._close_claim()
        return Remittance(
            trace_number=self.header.get("trace", ""),
            payer_name=self.header.get("payer_name", ""),
            payer_id=self.header.get("payer_id", ""),
            payment_cents=_cents(self.header.get("payment", "0")),
            payment_date=_date(self.header.get("date", "")),
            claims=tuple(self.claims),
        )

    def _close_line(self) -> None:
        if self.line is None or self.claim is None:
            return
        svc = self.line.svc
        procedure = _element(svc, 1).split(self.component)  # HC:H0038:HQ
        self.claim.lines.append(
            RemittanceLine(
                line_id=self.line.line_id,
                procedure_code=_element(procedure, 1),
                modifiers=tuple(m for m in procedure[2:] if m),
                charge_cents=_cents(_element(svc, 2)),
                paid_cents=_cents(_element(svc, 3)),
                units=int(Decimal(_element(svc, 5) or "1")),
                adjustments=tuple(self.line.adjustments),
            )
        )
        self.line = None

    def _close_claim(self) -> None:
        self._close_line()
        if self.claim is None:
            return
        clp = self.claim.clp
        self.claims.append(
            RemittanceClaim(
                claim_id=_element(clp, 1),
                status=_element(clp, 2),
                charge_cents=_cents(_element(clp, 3)),
                paid_cents=_cents(_element(clp, 4)),
                patient_responsibility_cents=_cents(_element(clp, 5) or "0"),
                payer_claim_number=_element(clp, 7),
                adjustments=tuple(self.claim.adjustments),
                lines=tuple(self.claim.lines),
            )
        )
        self.claim = None


def _segments(text: str) -> list[list[str]]:
    """The interchange split with the separators its fixed-width ISA declares."""
    start = text.index("ISA")
    element, terminator = text[start + 3], text[start + 105]
    pieces = (piece.strip("\r\n") for piece in text[start:].split(terminator))
    return [piece.split(element) for piece in pieces if piece]


def _adjustments(cas: list[str]) -> list[Adjustment]:
    """CAS01 is the group; then up to six triples: reason, amount, quantity."""
    group = _element(cas, 1)
    found = []
    for position in range(2, 20, 3):
        reason = _element(cas, position)
        if reason:
            found.append(Adjustment(group, reason, _cents(_element(cas, position + 1))))
    return found


def _element(segment: list[str], position: int) -> str:
    return segment[position] if position < len(segment) else ""


def _cents(amount: str) -> int:
    """An X12 decimal number of dollars ("18.5", "-3", "0") as integer cents."""
    return int((Decimal(amount) * 100).to_integral_value())


def _date(value: str) -> date | None:
    return datetime.strptime(value, "%Y%m%d").date() if value else None
