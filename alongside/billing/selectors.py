"""Reading billing records for pages and the API: a batch with its lines, the denials queue.

Each reads a fixed number of queries whatever the size of the batch (the batch page asserts
it). Nothing here reads a note's text: lines carry the date, minutes and codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Prefetch, QuerySet, Subquery, Sum

from alongside.billing.models import Adjustment, Batch, Claim, ClaimPayment, Line, Payer


@dataclass
class BatchView:
    batch: Batch
    billable: list[Line]
    held: list[Line]
    claims: list[Claim]

    @property
    def total_cents(self) -> int:
        return sum(line.amount_cents for line in self.billable)


def batch_view(batch: Batch) -> BatchView:
    """A batch's lines, billable and held, and its claims, each with their participant."""
    lines = list(
        Line.objects.filter(batch=batch)
        .select_related("participant", "specialist", "claim")
        .order_by("date", "start_time", "id")
    )
    claims = list(
        Claim.objects.filter(batch=batch)
        .select_related("participant", "replaces")
        .order_by("created_at", "claim_id")
    )
    return BatchView(
        batch=batch,
        billable=[line for line in lines if not line.held],
        held=[line for line in lines if line.held],
        claims=claims,
    )


def batches_recent(limit: int = 25) -> QuerySet[Batch]:
    return Batch.objects.select_related("payer", "created_by").order_by("-created_at")[:limit]


def payers_all() -> QuerySet[Payer]:
    return Payer.objects.order_by("name")


def denials() -> list[ClaimPayment]:
    """The latest answer for each denied claim, with its adjustments: the work queue."""
    return list(
        ClaimPayment.objects.filter(status=Claim.Status.DENIED, claim__status=Claim.Status.DENIED)
        .select_related("claim", "claim__participant", "remittance")
        .prefetch_related(Prefetch("adjustments", queryset=Adjustment.objects.order_by("group")))
        .order_by("-created_at")
    )


def remittance_claims(result: dict[str, Any]) -> list[dict[str, Any]]:
    return list(result.get("claims", []))


def participants_in_batch(batch: Batch) -> set[Any]:
    """Everyone a run names: on its lines (billable or held) and its claims."""
    return set(Line.objects.filter(batch=batch).values_list("participant_id", flat=True)) | set(
        Claim.objects.filter(batch=batch).values_list("participant_id", flat=True)
    )


def participants_in_remittance(remittance: Any) -> set[Any]:
    """Everyone whose claim an imported 835 answered."""
    return set(
        ClaimPayment.objects.filter(remittance=remittance).values_list(
            "claim__participant_id", flat=True
        )
    )


@dataclass(frozen=True)
class LineTotals:
    lines: int
    units: int
    amount_cents: int


def _totals(lines: QuerySet[Line]) -> LineTotals:
    found = lines.aggregate(n=Count("pk"), units=Sum("units"), amount=Sum("amount_cents"))
    return LineTotals(found["n"] or 0, found["units"] or 0, found["amount"] or 0)


# Claims that no longer stand for the service: a later claim replaced or voided them.
SUPERSEDED = (Claim.Status.REPLACED, Claim.Status.VOIDED)


@dataclass(frozen=True)
class BillingTotals:
    billed: LineTotals
    paid: LineTotals
    denied: LineTotals
    held: LineTotals
    paid_cents: int


def line_totals(start: date, end: date) -> BillingTotals:
    """Service lines dated ``start``..``end`` by what became of them (five queries):

    ``billed`` every line on a claim that still stands; ``paid``, ``denied`` those of them on
    a paid (or partly paid) or denied claim; ``held`` an encounter's latest line when it was
    held and no run put it on a claim. ``paid_cents`` is what payers paid on the claims whose
    first date of service is in the period.
    """
    lines = Line.objects.filter(date__gte=start, date__lte=end).order_by()
    billed = lines.filter(claim__isnull=False).exclude(claim__status__in=SUPERSEDED)
    on_a_claim = Line.objects.filter(encounter_id=OuterRef("encounter_id"), claim__isnull=False)
    latest = Line.objects.filter(encounter_id=OuterRef("encounter_id")).order_by(
        "-created_at", "-pk"
    )
    held = lines.filter(claim__isnull=True).exclude(Exists(on_a_claim))
    held = held.filter(pk=Subquery(latest.values("pk")[:1]))
    paid_statuses = (Claim.Status.PAID, Claim.Status.PARTIAL)
    paid_cents = (
        Claim.objects.filter(status__in=paid_statuses)
        .annotate(first_day=Min("lines__date"))
        .filter(first_day__gte=start, first_day__lte=end)
        .order_by()
        .values_list("paid_cents", flat=True)
    )
    return BillingTotals(
        billed=_totals(billed),
        paid=_totals(billed.filter(claim__status__in=paid_statuses)),
        denied=_totals(billed.filter(claim__status=Claim.Status.DENIED)),
        held=_totals(held),
        paid_cents=sum(paid_cents),
    )
