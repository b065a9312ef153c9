"""From signed encounters to lines: units, amounts, group lines, the daily cap, every hold."""

import datetime

import pytest

from alongside.billing import services
from alongside.billing.holds import Hold
from alongside.billing.models import Claim, Line
from alongside.billing.tests.conftest import DAY, MONTH, TODAY, credential_for
from alongside.care import services as care
from alongside.care.models import Purpose, Restriction
from alongside.core.tenancy import organization_scope


def build(world, clerk, payer=None, today=TODAY):
    with organization_scope(world.org):
        batch = services.batch_build(
            organization=world.org,
            payer=payer or world.payer,
            starts_on=MONTH[0],
            ends_on=MONTH[1],
            actor=clerk,
            today=today,
        )
        return batch, list(batch.lines.order_by("date", "start_time", "units"))


def reasons_of(lines, encounter):
    return [line.reasons for line in lines if line.encounter_id == encounter.pk]


def test_a_billable_encounter_makes_one_line_on_one_claim(world, clerk):
    encounter = world.encounter(world.person(), minutes=38)
    batch, lines = build(world, clerk)
    [line] = lines
    assert (line.encounter_id, line.code, line.modifiers, line.units) == (
        encounter.pk,
        "H0038",
        [],
        3,
    )
    assert line.minutes == 38 and line.amount_cents == 4500 and line.reasons == []
    with organization_scope(world.org):
        [claim] = batch.claims.all()
    assert claim.charge_cents == 4500 and line.claim_id == claim.pk
    assert len(claim.claim_id) <= 20


@pytest.mark.parametrize(("minutes", "units"), [(7, 0), (8, 1), (22, 1), (23, 2), (37, 2), (38, 3)])
def test_eight_minute_rule_units_on_lines(world, clerk, minutes, units):
    world.encounter(world.person(), minutes=minutes)
    _batch, [line] = build(world, clerk)
    assert line.units == units
    assert (line.reasons == [Hold.under_a_unit()]) == (units == 0)


@pytest.mark.parametrize(("minutes", "units"), [(7, 0), (8, 0), (22, 1), (23, 1), (37, 2), (38, 2)])
def test_whole_units_on_lines(world, clerk, minutes, units):
    world.payer.rounding = "whole_units"
    world.payer.save()
    world.encounter(world.person(), minutes=minutes)
    _batch, [line] = build(world, clerk)
    assert line.units == units


def test_group_encounters_bill_each_attendee_with_hq(world, clerk):
    people = [world.person(f"Attendee{n} (sample)") for n in range(3)]
    for person in people:
        world.encounter(person, minutes=60, type="group")
    batch, lines = build(world, clerk)
    assert len(lines) == 3
    assert {line.participant_id for line in lines} == {p.pk for p in people}
    assert all(line.modifiers == ["HQ"] and line.units == 4 for line in lines)
    assert all(line.amount_cents == 4 * 500 and not line.reasons for line in lines)
    with organization_scope(world.org):
        assert batch.claims.count() == 3


def test_daily_cap_bills_the_earlier_encounter_first(world, clerk):
    person = world.person()
    world.payer.daily_cap_units = 6
    world.payer.save()
    later = world.encounter(person, minutes=60, start=(14, 0))
    earlier = world.encounter(person, minutes=60, start=(9, 0))
    _batch, lines = build(world, clerk)
    billed = {(line.encounter_id, line.units) for line in lines if not line.reasons}
    held = {(line.encounter_id, line.units, tuple(line.reasons)) for line in lines if line.reasons}
    assert billed == {(earlier.pk, 4), (later.pk, 2)}
    assert held == {(later.pk, 2, (Hold.daily_cap(),))}


def test_daily_cap_holds_a_whole_later_encounter_past_the_cap(world, clerk):
    person = world.person()
    world.payer.daily_cap_units = 4
    world.payer.save()
    first = world.encounter(person, minutes=60, start=(9, 0))
    second = world.encounter(person, minutes=30, start=(11, 0))
    _batch, lines = build(world, clerk)
    assert [(line.encounter_id, line.units) for line in lines if not line.reasons] == [
        (first.pk, 4)
    ]
    assert reasons_of(lines, second) == [[Hold.daily_cap()]]


def test_the_cap_counts_per_day_and_per_person(world, clerk):
    world.payer.daily_cap_units = 4
    world.payer.save()
    one, two = world.person("One (sample)"), world.person("Two (sample)")
    world.encounter(one, minutes=60)
    world.encounter(one, minutes=60, day=DAY + datetime.timedelta(days=1))
    world.encounter(two, minutes=60)
    _batch, lines = build(world, clerk)
    assert [line.reasons for line in lines] == [[], [], []]


# --- Holds, one at a time --------------------------------------------------------------


def test_unsigned_note_is_held(world, clerk):
    encounter = world.encounter(world.person(), sign=False)
    _batch, lines = build(world, clerk)
    assert reasons_of(lines, encounter) == [[Hold.not_signed()]]


def test_no_active_credential_is_held(world, clerk, make_user, org):
    uncertified = make_user("una", org, ["peer_specialist"])
    person = world.person()
    with organization_scope(org):
        person.specialists.add(uncertified)
    encounter = world.encounter(person, by=uncertified)
    _batch, lines = build(world, clerk)
    assert reasons_of(lines, encounter) == [[Hold.no_credential()]]


def test_expired_credential_on_the_date_of_service_is_held(world, clerk, make_user, org):
    lapsed = make_user("lou", org, ["peer_specialist"])
    credential_for(
        lapsed, org, issued_on=datetime.date(2024, 1, 1), expires_on=datetime.date(2026, 11, 1)
    )
    person = world.person()
    encounter = world.encounter(person, by=lapsed)
    _batch, lines = build(world, clerk)
    assert reasons_of(lines, encounter) == [[Hold.no_credential()]]


def test_no_current_plan_is_held(world, clerk):
    encounter = world.encounter(world.person(plan=False))
    _batch, lines = build(world, clerk)
    assert reasons_of(lines, encounter) == [[Hold.no_plan()]]


def test_no_diagnosis_is_held(world, clerk):
    encounter = world.encounter(world.person(diagnosis=""))
    _batch, lines = build(world, clerk)
    assert reasons_of(lines, encounter) == [[Hold.no_diagnosis()]]


def test_no_coverage_on_that_date_is_held(world, clerk):
    person = world.person(coverage=False)
    world.cover(person, starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 10, 31))
    encounter = world.encounter(person)
    _batch, lines = build(world, clerk)
    assert reasons_of(lines, encounter) == [[Hold.no_coverage()]]


def test_someone_with_no_coverage_at_all_is_shown_held(world, clerk):
    encounter = world.encounter(world.person(coverage=False))
    _batch, lines = build(world, clerk)
    assert Hold.no_coverage() in reasons_of(lines, encounter)[0]


def test_someone_covered_only_by_another_payer_is_not_in_this_run(world, clerk):
    person = world.person(coverage=False)
    with organization_scope(world.org):
        care.coverage_create(
            participant=person,
            actor=world.specialist,
            data={
                "payer_name": "Other plan",
                "payer_code": "OTHER",
                "member_id": "X1",
                "starts_on": datetime.date(2026, 1, 1),
            },
        )
    world.encounter(person)
    _batch, lines = build(world, clerk)
    assert lines == []


def part2_person(world):
    world.org.is_part2_program = True
    world.org.save()
    return world.person()


def test_part2_record_without_payment_consent_is_held(world, clerk):
    encounter = world.encounter(part2_person(world))
    _batch, lines = build(world, clerk)
    assert reasons_of(lines, encounter) == [[Hold.no_consent()]]


def consent(world, person, recipients, purposes, **extra):
    with organization_scope(world.org):
        return care.consent_create(
            participant=person,
            actor=world.specialist,
            data={
                "discloser": "Granite Peer Support (test)",
                "recipients": recipients,
                "information": "Dates and kinds of service",
                "information_categories": ["demographics", "coverage", "encounter_dates"],
                "purposes": purposes,
                "expires_on": datetime.date(2027, 10, 1),
                "signature_name": "Riley Sample",
                "signed_on": datetime.date(2026, 10, 1),
                **extra,
            },
        )


def test_part2_consent_naming_the_payer_for_payment_releases_the_hold(world, clerk):
    person = part2_person(world)
    consent(world, person, world.payer.name, [Purpose.PAYMENT])
    world.encounter(person)
    _batch, [line] = build(world, clerk)
    assert line.reasons == []


def test_part2_consent_for_another_purpose_does_not_cover_payment(world, clerk):
    person = part2_person(world)
    consent(world, person, world.payer.name, [Purpose.TREATMENT])
    encounter = world.encounter(person)
    _batch, lines = build(world, clerk)
    assert reasons_of(lines, encounter) == [[Hold.no_consent()]]


def test_part2_consent_that_keeps_back_coverage_does_not_cover_payment(world, clerk):
    person = part2_person(world)
    consent(
        world,
        person,
        world.payer.name,
        [Purpose.PAYMENT],
        information_categories=["demographics", "encounter_dates"],
    )
    encounter = world.encounter(person)
    _batch, lines = build(world, clerk)
    assert reasons_of(lines, encounter) == [[Hold.no_consent()]]


def test_asked_not_to_bill_insurance_is_held(world, clerk):
    person = world.person()
    with organization_scope(world.org):
        care.restriction_create(
            participant=person,
            actor=world.specialist,
            use=Restriction.Use.BILLING_INSURANCE,
            requested_on=datetime.date(2026, 10, 2),
        )
    encounter = world.encounter(person)
    _batch, lines = build(world, clerk)
    assert reasons_of(lines, encounter) == [[Hold.restricted()]]


def test_past_timely_filing_is_held(world, clerk):
    encounter = world.encounter(world.person())
    _batch, lines = build(world, clerk, today=DAY + datetime.timedelta(days=366))
    assert reasons_of(lines, encounter) == [[Hold.timely_filing()]]


def test_an_encounter_on_a_submitted_claim_is_held_as_already_billed(world, clerk):
    encounter = world.encounter(world.person())
    first, _lines = build(world, clerk)
    with organization_scope(world.org):
        first.claims.update(status=Claim.Status.SUBMITTED)
    _again, lines = build(world, clerk)
    assert reasons_of(lines, encounter) == [[Hold.already_billed()]]


def test_a_batch_never_sent_does_not_count_as_billed(world, clerk):
    world.encounter(world.person())
    build(world, clerk)
    _again, [line] = build(world, clerk)
    assert line.reasons == []


def test_every_reason_that_applies_is_given_together(world, clerk, make_user, org):
    world.org.is_part2_program = True
    world.org.save()
    uncertified = make_user("una", org, ["peer_specialist"])
    person = world.person(coverage=False, plan=False)
    with organization_scope(org):
        person.specialists.add(uncertified)
        care.restriction_create(
            participant=person,
            actor=uncertified,
            use=Restriction.Use.BILLING_INSURANCE,
            requested_on=datetime.date(2026, 10, 2),
        )
    encounter = world.encounter(person, by=uncertified, sign=False)
    _batch, lines = build(world, clerk, today=DAY + datetime.timedelta(days=400))
    assert reasons_of(lines, encounter) == [
        [
            Hold.not_signed(),
            Hold.no_credential(),
            Hold.no_plan(),
            Hold.no_diagnosis(),
            Hold.no_coverage(),
            Hold.no_consent(),
            Hold.restricted(),
            Hold.timely_filing(),
        ]
    ]
    assert Line.objects.with_scopes_disabled().get(encounter=encounter).claim is None


def test_a_payer_that_does_not_require_a_plan_does_not_hold_for_one(world, clerk):
    world.payer.requires = [r for r in world.payer.requires if r != "plan_current"]
    world.payer.save()
    world.encounter(world.person(plan=False))
    _batch, [line] = build(world, clerk)
    assert line.reasons == []


def test_a_service_with_no_rate_is_held(world, clerk):
    world.payer.services = [{"code": "H0038", "modifiers": [], "rate_cents": None}]
    world.payer.save()
    encounter = world.encounter(world.person())
    _batch, lines = build(world, clerk)
    assert reasons_of(lines, encounter) == [[Hold.no_rate()]]


def test_claims_group_lines_per_person(world, clerk):
    one, two = world.person("One (sample)"), world.person("Two (sample)")
    world.encounter(one, minutes=30)
    world.encounter(one, minutes=30, day=DAY + datetime.timedelta(days=2))
    world.encounter(two, minutes=30)
    batch, _lines = build(world, clerk)
    with organization_scope(world.org):
        counts = sorted(claim.lines.count() for claim in batch.claims.all())
    assert counts == [1, 2]
