"""Replacing (frequency 7) and voiding (frequency 8) a submitted claim; nothing billed twice."""

import pytest
from django.core.exceptions import ValidationError

from alongside.billing.holds import Hold
from alongside.billing.models import Claim
from alongside.billing.services import claim_replace, claim_void
from alongside.billing.tests.conftest import submitted_batch
from alongside.care import services as care
from alongside.core.tenancy import organization_scope


def test_a_replacement_carries_the_payers_claim_number_in_a_run_of_its_own(world, clerk):
    batch, claim = submitted_batch(world, clerk, 60, 30)
    with organization_scope(world.org):
        new = claim_replace(claim=claim, actor=clerk, payer_claim_number="PCN-77")
        claim.refresh_from_db()
        assert (new.frequency, new.payer_claim_number, new.replaces) == ("7", "PCN-77", claim)
        assert new.batch_id != batch.pk and new.lines.count() == 2
        assert all(line.reasons == [] for line in new.lines.all())
    assert claim.status == Claim.Status.REPLACED


def test_a_void_copies_the_lines_as_sent(world, clerk):
    _batch, claim = submitted_batch(world, clerk, 45)
    with organization_scope(world.org):
        new = claim_void(claim=claim, actor=clerk, payer_claim_number="PCN-78")
        claim.refresh_from_db()
        assert new.frequency == "8" and new.charge_cents == claim.charge_cents
    assert claim.status == Claim.Status.VOIDED


def test_a_correction_needs_the_payers_claim_number(world, clerk):
    _batch, claim = submitted_batch(world, clerk, 45)
    with organization_scope(world.org), pytest.raises(ValidationError):
        claim_void(claim=claim, actor=clerk)


def test_a_claim_never_sent_cannot_be_replaced(world, clerk):
    _batch, claim = submitted_batch(world, clerk, 45)
    with organization_scope(world.org):
        Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.BUILT)
        claim.refresh_from_db()
        with pytest.raises(ValidationError):
            claim_replace(claim=claim, actor=clerk, payer_claim_number="X")


def test_a_billed_encounter_cannot_change_what_was_billed(world, clerk):
    # A payer that bills unsigned notes leaves a draft on a sent claim: its date is locked.
    world.payer.requires = []
    world.payer.save()
    person = world.person()
    encounter = world.encounter(person, sign=False)
    with organization_scope(world.org):
        from alongside.billing.services import batch_build
        from alongside.billing.tests.conftest import MONTH, TODAY

        batch = batch_build(
            organization=world.org,
            payer=world.payer,
            starts_on=MONTH[0],
            ends_on=MONTH[1],
            actor=clerk,
            today=TODAY,
        )
        batch.claims.update(status=Claim.Status.SUBMITTED)
        with pytest.raises(ValidationError, match="claim sent to the payer"):
            care.encounter_update(
                encounter=encounter,
                actor=world.specialist,
                data={"date": encounter.date.replace(day=11)},
            )
        # Words that do not change the billing still may.
        care.encounter_update(
            encounter=encounter, actor=world.specialist, data={"next_steps": "Call on Monday"}
        )


def test_an_amendment_is_allowed_and_flags_the_claim_for_review(world, clerk):
    _batch, claim = submitted_batch(world, clerk, 60)
    with organization_scope(world.org):
        line = claim.lines.get()
        from alongside.care.models import Encounter

        encounter = Encounter.objects.get(pk=line.encounter_id)
        care.note_amend(encounter=encounter, actor=world.specialist, text="Ended at 11, not 10:45")
    claim.refresh_from_db()
    assert claim.needs_review


def test_a_rebuilt_run_holds_what_the_sent_claim_carries(world, clerk):
    from alongside.billing.services import batch_build
    from alongside.billing.tests.conftest import MONTH, TODAY

    _batch, claim = submitted_batch(world, clerk, 60)
    with organization_scope(world.org):
        again = batch_build(
            organization=world.org,
            payer=world.payer,
            starts_on=MONTH[0],
            ends_on=MONTH[1],
            actor=clerk,
            today=TODAY,
        )
        assert [line.reasons for line in again.lines.all()] == [[Hold.already_billed()]]
