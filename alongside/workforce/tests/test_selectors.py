"""Progress toward a credential, approved supervision only, and credential_active_on."""

import datetime

import pytest

from alongside.care import services as care_services
from alongside.care.tests.conftest import make_participant
from alongside.core.tenancy import organization_scope
from alongside.workforce import services
from alongside.workforce.selectors import credential_active_on, credentialed_on, progress

from .conftest import TODAY, add_credential, add_training, profile_of


def log_supervision(supervisee, supervisor_profile, actor, day, minutes=60, fmt="individual"):
    with organization_scope(supervisee.organization):
        return services.supervision_add(
            supervisee=supervisee,
            actor=actor,
            data={"supervisor": supervisor_profile, "date": day, "minutes": minutes, "format": fmt},
        )


def signed_encounter(participant, specialist, day, start, end):
    with organization_scope(participant.organization):
        encounter = care_services.encounter_create(
            participant=participant,
            actor=specialist,
            data={
                "type": "in_person",
                "date": day,
                "start_time": start,
                "end_time": end,
                "service_category": "planning",
                "worked_on": "Planning the week",
            },
        )
        return care_services.encounter_sign(encounter=encounter, actor=specialist)


def test_only_supervision_under_an_approved_agreement_counts(
    crsw, member_profile, supervisor_profile, supervisor, in_org
):
    agreement = services.agreement_add(
        supervisee=member_profile, actor=supervisor, data={"supervisor": supervisor_profile}
    )
    log_supervision(member_profile, supervisor_profile, supervisor, datetime.date(2026, 1, 5), 120)
    assert progress(member_profile, crsw, TODAY).supervised[0] == 0
    services.agreement_approve(
        agreement=agreement,
        actor=supervisor,
        approved_on=datetime.date(2026, 2, 1),
        approved_by="NH Board (test)",
    )
    # Approval does not reach back: the January session still does not count.
    log_supervision(member_profile, supervisor_profile, supervisor, datetime.date(2026, 2, 9), 90)
    result = progress(member_profile, crsw, TODAY)
    assert result.supervised == (1.5, 25)
    assert result.unapproved_supervision == 2


def test_supervision_with_another_supervisor_does_not_count(
    crsw, member_profile, agreement, make_user, org, in_org
):
    other = make_user("otto", org, ["supervisor"])
    other_profile = profile_of(other, org)
    log_supervision(member_profile, other_profile, other, datetime.date(2026, 2, 9), 60)
    assert progress(member_profile, crsw, TODAY).supervised[0] == 0


def test_experience_comes_from_own_signed_encounters_and_other_work(
    crsw, member, member_profile, peer, org, in_org
):
    participant = make_participant(org, member, specialists=[member])
    signed_encounter(participant, member, TODAY, datetime.time(9, 0), datetime.time(10, 30))
    with organization_scope(org):
        # A draft does not count, nor does another specialist's signed note.
        care_services.encounter_create(
            participant=participant,
            actor=member,
            data={
                "type": "phone",
                "date": TODAY,
                "start_time": datetime.time(11, 0),
                "end_time": datetime.time(12, 0),
                "service_category": "planning",
            },
        )
    signed_encounter(participant, peer, TODAY, datetime.time(13, 0), datetime.time(15, 0))
    services.other_work_add(
        profile=member_profile,
        actor=member,
        data={"date": TODAY, "hours": 4, "description": "Drop-in centre shift"},
    )
    result = progress(member_profile, crsw, TODAY)
    assert result.experience == (5.5, 500)
    assert result.experience_from_encounters == 1.5
    assert "experience 5.5 of 500 hours" in result.missing


def test_progress_has_training_by_topic_exam_and_what_is_left(crsw, member, member_profile, in_org):
    add_training(member_profile, member, datetime.date(2025, 5, 1), 16, topic="ethics")
    add_training(member_profile, member, datetime.date(2025, 6, 1), 4, topic="advocacy")
    result = progress(member_profile, crsw, TODAY).as_dict()
    assert result["training"]["total"] == {"have": 20.0, "need": 46.0}
    assert result["training"]["ethics"] == {"have": 16.0, "need": 16.0}
    assert result["training"]["advocacy"] == {"have": 4.0, "need": 10.0}
    assert result["exam"]["passed"] is False
    assert "training: advocacy 4 of 10 hours" in result["missing"]
    assert "exam: IC&RC Peer Recovery exam not passed yet" in result["missing"]
    assert result["met"] is False
    services.certification_goal_set(
        profile=member_profile, actor=member, data={"type": crsw, "exam_passed_on": TODAY}
    )
    assert progress(member_profile, crsw, TODAY).exam_passed_on == TODAY


def test_credential_active_on_the_date_of_service(crsw, member, member_profile, in_org):
    add_credential(
        member_profile, member, crsw, datetime.date(2024, 1, 1), datetime.date(2026, 1, 1)
    )
    assert credential_active_on(member, datetime.date(2025, 6, 1))
    assert credential_active_on(member, datetime.date(2026, 1, 1))
    assert not credential_active_on(member, datetime.date(2026, 1, 2))
    assert not credential_active_on(member, datetime.date(2023, 12, 31))
    assert credential_active_on(member, datetime.date(2025, 6, 1), code="nh-crsw")
    assert not credential_active_on(member, datetime.date(2025, 6, 1), code="sc-cpss")
    assert not credential_active_on(member, datetime.date(2025, 6, 1), jurisdiction="SC")


def test_credentialed_on_answers_credential_active_on_for_many_at_once(
    crsw, member, member_profile, admin, in_org
):
    add_credential(
        member_profile, member, crsw, datetime.date(2024, 1, 1), datetime.date(2026, 1, 1)
    )
    users = [member.pk, admin.pk]
    for day in (datetime.date(2023, 12, 31), datetime.date(2026, 1, 1), datetime.date(2026, 1, 2)):
        expected = {user for user in users if credential_active_on(user, day)}
        assert credentialed_on(users, day) == expected
    assert credentialed_on(users, datetime.date(2025, 6, 1)) == {member.pk}
    assert credentialed_on(users, datetime.date(2025, 6, 1), jurisdiction="SC") == set()


def test_credential_active_on_sees_the_organization_in_scope_only(
    crsw, member, member_profile, other_org
):
    add_credential(
        member_profile, member, crsw, datetime.date(2024, 1, 1), datetime.date(2026, 1, 1)
    )
    with organization_scope(other_org):
        assert not credential_active_on(member, datetime.date(2025, 6, 1))


def test_a_renewal_keeps_the_gap_visible(crsw, member, member_profile, in_org):
    add_credential(
        member_profile, member, crsw, datetime.date(2023, 1, 1), datetime.date(2025, 1, 1)
    )
    add_credential(member_profile, member, crsw, datetime.date(2025, 2, 1), number="T-2")
    assert not credential_active_on(member, datetime.date(2025, 1, 15))
    assert credential_active_on(member, datetime.date(2025, 2, 1))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"hours": -1}, "hours"),
        ({"hours": 25}, "hours"),
        ({"date": datetime.date(2999, 1, 1)}, "date"),
        ({"topic": "Not a slug!"}, "topic"),
    ],
)
def test_bad_training_input_names_the_field_and_saves_nothing(
    member, member_profile, in_org, data, field
):
    from django.core.exceptions import ValidationError

    from alongside.workforce.models import Training

    base = {"date": TODAY, "hours": 2, "topic": "ethics", "title": "Ethics"}
    with pytest.raises(ValidationError) as error:
        services.training_add(profile=member_profile, actor=member, data={**base, **data})
    assert field in error.value.message_dict
    assert not Training.objects.exists()


def test_an_unknown_topic_for_a_type_that_restricts_topics(cpss, member, member_profile, in_org):
    from django.core.exceptions import ValidationError

    add_credential(member_profile, member, cpss, datetime.date(2025, 6, 1))
    with pytest.raises(ValidationError) as error:
        add_training(member_profile, member, TODAY, 2, topic="juggling")
    assert "topic" in error.value.message_dict
    assert add_training(member_profile, member, TODAY, 2, topic="wellness").hours == 2


def test_expiry_before_issue_is_refused(crsw, member, member_profile, in_org):
    from django.core.exceptions import ValidationError

    from alongside.workforce.models import Credential

    with pytest.raises(ValidationError) as error:
        add_credential(
            member_profile, member, crsw, datetime.date(2025, 6, 1), datetime.date(2025, 1, 1)
        )
    assert "expires_on" in error.value.message_dict
    assert not Credential.objects.exists()


def test_records_of_one_day_cannot_add_up_to_more_than_a_day(
    member, member_profile, supervisor_profile, agreement, in_org
):
    from django.core.exceptions import ValidationError

    from alongside.workforce.models import OtherWork, SupervisionSession, Training

    add_training(member_profile, member, TODAY, 16)
    with pytest.raises(ValidationError) as error:
        add_training(member_profile, member, TODAY, 9)
    assert "more than 24 hours" in error.value.message_dict["hours"][0]
    assert add_training(member_profile, member, TODAY, 8).hours == 8  # exactly 24 holds
    assert Training.objects.count() == 2

    work = {"date": TODAY, "hours": 20, "description": "Drop-in shift"}
    services.other_work_add(profile=member_profile, actor=member, data=work)
    with pytest.raises(ValidationError):
        services.other_work_add(profile=member_profile, actor=member, data=work)
    assert OtherWork.objects.count() == 1

    session = {"date": TODAY, "minutes": 1000, "format": "individual"}
    session["supervisor"] = supervisor_profile
    services.supervision_add(supervisee=member_profile, actor=member, data=session)
    with pytest.raises(ValidationError) as error:
        services.supervision_add(supervisee=member_profile, actor=member, data=session)
    assert "minutes" in error.value.message_dict
    assert SupervisionSession.objects.count() == 1
