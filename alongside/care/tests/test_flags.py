"""What stands out on the participant list: open safety concerns, Part 2 records, and consents
about to expire (``selectors.with_flags``)."""

import datetime

import pytest

from alongside.care import selectors, services
from alongside.care.tests.conftest import make_participant
from alongside.core.models import Membership

pytestmark = pytest.mark.usefixtures("in_org")

TODAY = datetime.date(2026, 3, 2)


def _consent(participant, member, expires_on, **overrides):
    data = {
        "discloser": "Granite Peer Support",
        "recipients": "Harbor Housing Program",
        "information": "Dates of contact",
        "information_categories": ["encounter_dates"],
        "purposes": ["benefits"],
        "expires_on": expires_on,
        "signature_name": "Jordan Sample",
        "signed_on": datetime.date(2026, 1, 5),
        **overrides,
    }
    return services.consent_create(participant=participant, actor=member, data=data)


def _flags(member):
    membership = Membership.objects.get(user=member)
    rows = selectors.participants_list(membership, which="active", today=TODAY)
    return {
        p.preferred_name: {
            name for name in ("safety", "part2", "consent_expiring") if getattr(p, f"flag_{name}")
        }
        for p in rows
    }


def test_a_person_with_nothing_open_has_no_flags(participant, member):
    assert _flags(member) == {"Jordan (sample)": set()}


def test_open_safety_concern_is_flagged_until_resolved(participant, member, supervisor):
    concern = services.safety_concern_raise(
        participant=participant,
        actor=member,
        actions=["called_988_together"],
        note="Called 988 together",
    )
    assert _flags(member)["Jordan (sample)"] == {"safety"}
    services.safety_concern_resolve(
        concern=concern, actor=supervisor, follow_up="Checked in the next morning"
    )
    assert _flags(member)["Jordan (sample)"] == set()


def test_records_from_a_part2_program_are_flagged(org, member):
    make_participant(org, member, name="Riley (sample)", received_from_part2=True)
    assert _flags(member)["Riley (sample)"] == {"part2"}


def test_everyone_of_a_part2_program_is_flagged(org, participant, member):
    org.is_part2_program = True
    org.save()
    assert _flags(member)["Jordan (sample)"] == {"part2"}


@pytest.mark.parametrize(
    ("expires_in_days", "flagged"), [(-1, False), (0, True), (30, True), (31, False)]
)
def test_consent_ending_within_30_days_is_flagged(participant, member, expires_in_days, flagged):
    _consent(participant, member, TODAY + datetime.timedelta(days=expires_in_days))
    assert ("consent_expiring" in _flags(member)["Jordan (sample)"]) is flagged


def test_a_revoked_consent_is_not_flagged(participant, member):
    consent = _consent(participant, member, TODAY + datetime.timedelta(days=10))
    services.consent_revoke(
        consent=consent, actor=member, revoked_on=TODAY, revoked_how="in_writing"
    )
    assert _flags(member)["Jordan (sample)"] == set()


def test_flags_cost_no_query_per_person(org, member, django_assert_max_num_queries):
    for n in range(5):
        person = make_participant(org, member, name=f"Person {n} (sample)", specialists=[member])
        _consent(person, member, TODAY + datetime.timedelta(days=5))
        services.safety_concern_raise(
            participant=person, actor=member, actions=["called_988_together"], note="Together"
        )
    membership = Membership.objects.get(user=member)
    # The care settings (whose caseload a specialist sees), the flagged list, and the
    # specialists of everyone on it: the same three for any number of people.
    with django_assert_max_num_queries(3):
        rows = list(selectors.participants_list(membership, which="active", today=TODAY))
    assert len(rows) == 5 and all(p.flag_safety and p.flag_consent_expiring for p in rows)


def test_the_list_page_shows_flags_in_words(participant, member, sign_in):
    services.safety_concern_raise(
        participant=participant,
        actor=member,
        actions=["called_988_together"],
        note="Called together",
    )
    page = sign_in(member).get("/staff/care/participants/").content.decode()
    assert "Safety concern open" in page


def _dashboard(member):
    return selectors.caseload_dashboard(Membership.objects.get(user=member))


def test_caseload_lists_consents_about_to_expire(participant, member):
    soon = datetime.date.today() + datetime.timedelta(days=10)
    _consent(participant, member, soon)
    _consent(participant, member, soon + datetime.timedelta(days=60))
    assert [c.expires_on for c in _dashboard(member).consents_expiring] == [soon]


def test_caseload_costs_the_same_for_more_people(org, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            _dashboard(member)
        return len(queries)

    make_participant(org, member, name="First (sample)", specialists=[member])
    one = count()
    for n in range(4):
        person = make_participant(org, member, name=f"P{n} (sample)", specialists=[member])
        _consent(person, member, datetime.date.today() + datetime.timedelta(days=3))
    assert count() == one


def test_caseload_names_who_raised_a_concern(participant, member, sign_in):
    member.first_name, member.last_name = "Bob", "Example"
    member.save()
    services.safety_concern_raise(
        participant=participant, actor=member, actions=["called_988_together"], note="Together"
    )
    page = sign_in(member).get("/staff/care/").content.decode()
    assert "raised by Bob Example" in page and "card--urgent" in page
