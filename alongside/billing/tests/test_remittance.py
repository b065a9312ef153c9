"""Applying a parsed 835: paid, partly paid, denied, adjustments, unmatched, twice."""

import datetime

import pytest

from alongside.billing.models import Adjustment, Claim, ClaimPayment, Remittance
from alongside.billing.services import remittance_apply
from alongside.billing.tests.conftest import submitted_batch
from alongside.billing.x12.model import Adjustment as Adj
from alongside.billing.x12.model import Remittance as RemittanceData
from alongside.billing.x12.model import RemittanceClaim
from alongside.core.tenancy import organization_scope


def answer(claim_id, status, charge, paid, *adjustments, number="PCN-1"):
    return RemittanceClaim(
        claim_id=claim_id,
        status=status,
        charge_cents=charge,
        paid_cents=paid,
        patient_responsibility_cents=0,
        payer_claim_number=number,
        adjustments=tuple(Adj(*a) for a in adjustments),
    )


def remittance(*claims, trace="EFT-0001"):
    return RemittanceData(
        trace_number=trace,
        payer_name="Demo Medicaid (fictional)",
        payer_id="DEMO00001",
        payment_cents=sum(c.paid_cents for c in claims),
        payment_date=datetime.date(2026, 12, 1),
        claims=tuple(claims),
    )


def apply(world, clerk, data):
    with organization_scope(world.org):
        return remittance_apply(remittance=data, organization=world.org, actor=clerk)


@pytest.fixture
def sent(world, clerk):
    return submitted_batch(world, clerk, 60)[1]


def test_paid_in_full(world, clerk, sent):
    row = apply(world, clerk, remittance(answer(sent.claim_id, "1", 6000, 6000)))
    sent.refresh_from_db()
    assert (sent.status, sent.paid_cents, sent.payer_claim_number) == ("paid", 6000, "PCN-1")
    assert row.result == {
        "claims": [
            {"claim_id": sent.claim_id, "status": "paid", "paid": "60.00", "adjustments": []}
        ],
        "unmatched": [],
    }


def test_partly_paid_keeps_the_adjustment(world, clerk, sent):
    row = apply(
        world, clerk, remittance(answer(sent.claim_id, "1", 6000, 4500, ("CO", "45", 1500)))
    )
    sent.refresh_from_db()
    assert (sent.status, sent.paid_cents) == ("partial", 4500)
    assert row.result["claims"][0]["adjustments"] == [
        {"group": "CO", "reason": "45", "amount": "15.00"}
    ]
    with organization_scope(world.org):
        assert list(Adjustment.objects.values_list("group", "reason", "amount_cents")) == [
            ("CO", "45", 1500)
        ]


def test_denied_goes_to_the_work_queue(world, clerk, sent):
    from alongside.billing.selectors import denials

    apply(world, clerk, remittance(answer(sent.claim_id, "4", 6000, 0, ("CO", "16", 6000))))
    sent.refresh_from_db()
    assert sent.status == Claim.Status.DENIED
    with organization_scope(world.org):
        [denial] = denials()
    assert denial.claim == sent and [a.reason for a in denial.adjustments.all()] == ["16"]


def test_the_same_file_twice_changes_nothing(world, clerk, sent):
    data = remittance(answer(sent.claim_id, "1", 6000, 6000))
    first = apply(world, clerk, data)
    again = apply(world, clerk, data)
    sent.refresh_from_db()
    assert again.pk == first.pk and sent.paid_cents == 6000
    with organization_scope(world.org):
        assert (Remittance.objects.count(), ClaimPayment.objects.count()) == (1, 1)


def test_a_claim_that_is_not_ours_is_unmatched(world, clerk, sent):
    row = apply(world, clerk, remittance(answer("NOT-OURS-1", "1", 100, 100)))
    assert row.result == {"claims": [], "unmatched": ["NOT-OURS-1"]}


def test_another_organizations_claim_id_is_unmatched(world, clerk, sent, other_org, outsider):
    with organization_scope(other_org):
        row = remittance_apply(
            remittance=remittance(answer(sent.claim_id, "1", 6000, 6000)),
            organization=other_org,
            actor=outsider,
        )
    assert row.result["unmatched"] == [sent.claim_id]
    sent.refresh_from_db()
    assert sent.status == Claim.Status.SUBMITTED
