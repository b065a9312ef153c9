"""A person with more than 50 billable lines in a run: several claims of at most 50 lines
(an 837P claim's loop 2400 repeats 50 times), each validated by pyx12 in the one file."""

import datetime
from collections import Counter

import pytest

from alongside.billing import services
from alongside.billing.lines import MAX_LINES_PER_CLAIM, LineDraft, claim_chunks
from alongside.billing.tests.conftest import MONTH, TODAY
from alongside.billing.x12.validate import x12_errors
from alongside.core.tenancy import organization_scope


def many_encounters(world, person, count, per_day):
    """``count`` half-hour encounters, ``per_day`` of them on each day from the 1st."""
    for index in range(count):
        day = MONTH[0] + datetime.timedelta(days=index // per_day)
        world.encounter(person, minutes=30, day=day, start=(8 + index % per_day, 0))


def run_and_file(world, clerk):
    with organization_scope(world.org):
        batch = services.batch_build(
            organization=world.org,
            payer=world.payer,
            starts_on=MONTH[0],
            ends_on=MONTH[1],
            actor=clerk,
            today=TODAY,
        )
        batch = services.batch_file_prepare(batch=batch)
        claims = list(batch.claims.order_by("created_at", "claim_id"))
        lines = {claim.pk: list(claim.lines.order_by("date", "start_time")) for claim in claims}
        return batch, claims, lines, list(batch.lines.all())


@pytest.mark.parametrize(("count", "per_day", "sizes"), [(51, 2, [50, 1]), (120, 4, [48, 48, 24])])
def test_more_than_50_lines_become_claims_of_at_most_50_in_a_valid_file(
    world, clerk, identity, count, per_day, sizes
):
    person = world.person()
    many_encounters(world, person, count, per_day)
    batch, claims, lines, all_lines = run_and_file(world, clerk)
    assert batch.file_errors == [] and batch.file_ready
    assert x12_errors(batch.file_text) == []
    assert sorted((len(lines[c.pk]) for c in claims), reverse=True) == sizes
    assert {claim.participant_id for claim in claims} == {person.pk}
    assert len({claim.claim_id for claim in claims}) == len(sizes)
    # Every line exactly once, on one claim, and each claim's total is its lines' sum.
    assert Counter(line.encounter_id for line in all_lines).most_common(1)[0][1] == 1
    assert sum(len(claim_lines) for claim_lines in lines.values()) == count
    assert all(line.claim_id is not None and not line.reasons for line in all_lines)
    for claim in claims:
        assert claim.charge_cents == sum(line.amount_cents for line in lines[claim.pk])
    assert sum(c.charge_cents for c in claims) == sum(x.amount_cents for x in all_lines)


def test_the_file_carries_each_split_claim_with_its_total_and_the_same_rendering_provider(
    world, clerk, identity
):
    from alongside.workforce.models import StaffProfile

    with organization_scope(world.org):
        StaffProfile.objects.filter(user=world.specialist).update(npi="1234567893")
    many_encounters(world, world.person(), 51, 2)
    batch, claims, _lines, _all = run_and_file(world, clerk)
    segments = batch.file_text.split("~\n")
    clm = {s.split("*")[1]: s.split("*")[2] for s in segments if s.startswith("CLM*")}
    assert clm == {claim.claim_id: str(claim.charge_cents // 100) for claim in claims}
    assert sum(1 for s in segments if s.startswith("LX*")) == 51
    assert max(int(s.split("*")[1]) for s in segments if s.startswith("LX*")) == 50
    rendering = [s for s in segments if s.startswith("NM1*82*")]
    assert len(rendering) == len(claims) == 2 and len(set(rendering)) == 1


def draft(day, hour, number):
    return LineDraft(
        encounter_id=number,
        participant_id=1,
        specialist_id=1,
        date=MONTH[0] + datetime.timedelta(days=day),
        start_time=datetime.time(hour),
        code="H0038",
        modifiers=(),
        minutes=30,
        units=2,
        rate_cents=1500,
    )


def test_a_day_stays_on_one_claim_when_it_fits():
    drafts = [draft(day, hour, day * 10 + hour) for day in range(13) for hour in range(4)]
    chunks = claim_chunks(list(reversed(drafts)))
    assert [len(chunk) for chunk in chunks] == [48, 4]
    assert chunks[1][0].date == MONTH[0] + datetime.timedelta(days=12)


def test_a_day_with_more_than_50_lines_runs_on_into_the_next_claim():
    drafts = [draft(0, 0, number) for number in range(60)] + [draft(1, 0, 99)]
    chunks = claim_chunks(drafts)
    assert [len(chunk) for chunk in chunks] == [MAX_LINES_PER_CLAIM, 11]
    assert [d.encounter_id for chunk in chunks for d in chunk] == sorted(range(60), key=str) + [99]


def test_the_same_lines_make_the_same_claims_whatever_their_order():
    drafts = [draft(day % 30, day % 5, day) for day in range(130)]
    first = [[d.encounter_id for d in chunk] for chunk in claim_chunks(drafts)]
    again = [[d.encounter_id for d in chunk] for chunk in claim_chunks(drafts[::-1])]
    assert first == again and all(len(chunk) <= MAX_LINES_PER_CLAIM for chunk in first)
