"""Status at each boundary day, CE inside the current cycle, and topic minimums."""

import datetime
from decimal import Decimal

import pytest

from alongside.workforce import rules
from alongside.workforce.models import Status
from alongside.workforce.selectors import credential_status

from .conftest import add_credential, add_training

EXPIRES = datetime.date(2026, 6, 30)


def days_before(n):
    return EXPIRES - datetime.timedelta(days=n)


@pytest.mark.parametrize(
    ("on", "status"),
    [
        (days_before(91), Status.ACTIVE),
        (days_before(90), Status.EXPIRING),
        (days_before(89), Status.EXPIRING),
        (EXPIRES, Status.EXPIRING),
        (EXPIRES + datetime.timedelta(days=1), Status.LAPSED),
    ],
)
def test_status_around_expiry_without_grace(crsw, on, status):
    assert crsw.grace_days == 0
    assert rules.status_on(crsw, EXPIRES, on) == status


def test_last_day_of_grace_then_retraining(cpss):
    last_grace_day = EXPIRES + datetime.timedelta(days=cpss.grace_days)
    assert rules.status_on(cpss, EXPIRES, EXPIRES + datetime.timedelta(days=1)) == Status.GRACE
    assert rules.status_on(cpss, EXPIRES, last_grace_day) == Status.GRACE
    first_after = last_grace_day + datetime.timedelta(days=1)
    assert rules.status_on(cpss, EXPIRES, first_after) == Status.RETRAINING_REQUIRED


def test_last_day_of_grace_then_lapsed(types):
    ncps = types["us-ncps"]
    last = EXPIRES + datetime.timedelta(days=ncps.grace_days)
    assert rules.status_on(ncps, EXPIRES, last) == Status.GRACE
    assert rules.status_on(ncps, EXPIRES, last + datetime.timedelta(days=1)) == Status.LAPSED


def test_expiry_defaults_to_the_cycle(crsw, member_profile, member):
    credential = add_credential(member_profile, member, crsw, datetime.date(2025, 1, 31))
    assert credential.expires_on == datetime.date(2027, 1, 31)
    assert rules.add_months(datetime.date(2024, 8, 31), 6) == datetime.date(2025, 2, 28)


def test_ce_counts_only_inside_the_current_cycle(crsw, member_profile, member, in_org):
    credential = add_credential(
        member_profile, member, crsw, datetime.date(2024, 6, 30), datetime.date(2026, 6, 30)
    )
    add_training(member_profile, member, datetime.date(2024, 6, 29), 5)  # before the cycle
    add_training(member_profile, member, datetime.date(2024, 7, 1), 2)
    add_training(member_profile, member, datetime.date(2026, 2, 1), 3, topic="advocacy")
    status = credential_status(credential, datetime.date(2026, 3, 2))
    assert status.ce.as_dict()["total"] == {"have": 5.0, "need": 20.0}
    assert status.ce.as_dict()["ethics"] == {"have": 2.0, "need": 6.0}
    # A training after the day asked about is not counted on that day.
    assert credential_status(credential, datetime.date(2026, 1, 1)).ce.total[0] == Decimal(2)


def test_topic_minimums_and_the_missing_list(crsw, member_profile, member, in_org):
    credential = add_credential(
        member_profile, member, crsw, datetime.date(2024, 6, 30), datetime.date(2026, 6, 30)
    )
    add_training(member_profile, member, datetime.date(2025, 1, 10), 4)
    add_training(member_profile, member, datetime.date(2025, 2, 10), 16, topic="wellness")
    status = credential_status(credential, datetime.date(2026, 3, 2))
    assert status.ce.as_dict()["total"] == {"have": 20.0, "need": 20.0}
    assert not status.met
    assert status.missing == ["ethics 4 of 6 hours"]
    add_training(member_profile, member, datetime.date(2025, 3, 10), 2.5)
    status = credential_status(credential, datetime.date(2026, 3, 2))
    assert status.met
    assert status.missing == []


def test_missing_says_the_total_in_plain_words(crsw, member_profile, member, in_org):
    credential = add_credential(
        member_profile, member, crsw, datetime.date(2024, 6, 30), datetime.date(2026, 6, 30)
    )
    add_training(member_profile, member, datetime.date(2025, 1, 10), 6)
    status = credential_status(credential, datetime.date(2026, 3, 2))
    assert status.missing == ["6 of 20 hours in all"]


def test_without_a_cycle_the_expiry_must_be_given_and_ce_has_no_figure(
    member, member_profile, in_org, tmp_path
):
    from django.core.exceptions import ValidationError

    from alongside.workforce.loader import credentials_load
    from alongside.workforce.models import CredentialType

    from .test_loader import NO_FIGURES

    (tmp_path / "xx.yaml").write_text(NO_FIGURES)
    credentials_load([tmp_path])
    ctype = CredentialType.objects.get(code="xx-no-figures")
    with pytest.raises(ValidationError) as error:
        add_credential(member_profile, member, ctype, datetime.date(2025, 1, 1))
    assert "expires_on" in error.value.message_dict
    credential = add_credential(member_profile, member, ctype, datetime.date(2025, 1, 1), EXPIRES)
    add_training(member_profile, member, datetime.date(2025, 3, 1), 2)
    status = credential_status(credential, datetime.date(2026, 3, 2))
    assert status.ce.as_dict() == {"total": {"have": 2.0, "need": None}}
    assert status.met
    assert status.missing == []
