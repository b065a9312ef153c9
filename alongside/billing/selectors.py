"""Reading billing records for pages and the API: a batch with its lines, the denials queue.

Each reads a fixed number of queries whatever the size of the batch (the batch page asserts
it). Nothing here reads a note's text: lines carry the date, minutes and codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

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
