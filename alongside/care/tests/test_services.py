import datetime

import pytest
from django.core.exceptions import ValidationError

from alongside.care import services
from alongside.care.models import Encounter, Enrollment, Participant
from alongside.core.models import AuditEvent, Notification

from .conftest import TODAY, make_participant

# Service calls and ORM reads in these tests act within the organization's scope.
pytestmark = pytest.mark.usefixtures("in_org")


def test_create_audits_field_names_not_values(org, member):
    participant = make_participant(org, member, phone="603-555-0199")
    event = AuditEvent.objects.filter(object_id=str(participant.pk), action="create").get()
    assert "phone" in event.changed_fields
    assert event.participant_id == str(participant.pk)
    assert "555-0199" not in str(event.chained_content())


def test_duration_is_derived_from_start_and_end(encounter):
    assert encounter.duration_minutes == 40
    assert encounter.status == Encounter.Status.DRAFT


def test_signed_note_cannot_be_edited_in_place(encounter, member):
    services.encounter_sign(encounter=encounter, actor=member)
    with pytest.raises(services.SignedNoteError):
        services.encounter_update(encounter=encounter, actor=member, data={"worked_on": "changed"})
    encounter.refresh_from_db()
    assert encounter.worked_on == "Looked at bus routes to the new job"
    assert encounter.signed_by == member


def test_signed_note_takes_amendments(encounter, member):
    services.encounter_sign(encounter=encounter, actor=member)
    services.note_amend(encounter=encounter, actor=member, text="Correction: it was Thursday")
    assert [a.text for a in encounter.amendments.all()] == ["Correction: it was Thursday"]


def test_draft_cannot_be_amended(encounter, member):
    with pytest.raises(ValidationError):
        services.note_amend(encounter=encounter, actor=member, text="x")


def test_a_failing_step_leaves_nothing_behind(org, member):
    with pytest.raises(ValidationError):
        services.participant_create(
            organization=org,
            actor=member,
            data={"preferred_name": "Half Made (sample)", "focus": "mental_health"},
            enrolled_on=TODAY,
            agreement_how="not-a-choice",
        )
    assert not Participant.objects.filter(preferred_name="Half Made (sample)").exists()


def test_discharge_and_reenroll_keep_history(participant, member):
    services.participant_discharge(
        participant=participant,
        actor=member,
        discharged_on=TODAY + datetime.timedelta(days=30),
        reason=Enrollment.DischargeReason.MOVED,
    )
    with pytest.raises(ValidationError):
        services.participant_discharge(
            participant=participant, actor=member, discharged_on=TODAY, reason="moved"
        )
    services.participant_reenroll(
        participant=participant,
        actor=member,
        enrolled_on=TODAY + datetime.timedelta(days=90),
        agreement_how="signed_paper",
    )
    assert participant.enrollments.count() == 2
    assert participant.enrollments.filter(discharged_on__isnull=True).count() == 1


def test_cannot_enroll_twice(participant, member):
    with pytest.raises(ValidationError):
        services.participant_enroll(
            participant=participant, actor=member, enrolled_on=TODAY, agreement_how="verbal"
        )


def test_pathway_change_is_kept(participant, member):
    services.participant_pathway_change(
        participant=participant, actor=member, to_pathway="brief", reason="Moving away soon"
    )
    participant.refresh_from_db()
    assert participant.pathway == "brief"
    [change] = participant.pathway_changes.all()
    assert (change.from_pathway, change.to_pathway) == ("ongoing", "brief")


def test_safety_concern_notifies_supervisors(participant, member, supervisor):
    concern = services.safety_concern_raise(
        participant=participant,
        actor=member,
        actions=["called_988_together", "safety_plan_reviewed"],
        note="Talked through the plan together",
    )
    [notification] = Notification.objects.filter(key=str(concern.pk))
    assert (notification.kind, notification.recipient) == ("safety_concern", supervisor)
    assert AuditEvent.objects.filter(object_id=str(concern.pk), action="create").exists()


def test_safety_concern_rejects_unknown_actions(participant, member):
    with pytest.raises(ValidationError):
        services.safety_concern_raise(
            participant=participant, actor=member, actions=["risk_score_7"], note="x"
        )


def test_goal_update_audits_changed_names(goal, member):
    services.goal_update(goal=goal, actor=member, data={"status": "achieved", "text": goal.text})
    event = AuditEvent.objects.filter(object_id=str(goal.pk), action="update").get()
    assert event.changed_fields == ["status"]


def test_encounter_refuses_another_persons_goal(org, member, participant, goal):
    other = make_participant(org, member, name="Other (sample)")
    with pytest.raises(ValidationError):
        services.encounter_create(
            participant=other,
            actor=member,
            data={
                "type": "phone",
                "date": TODAY,
                "start_time": datetime.time(9),
                "end_time": datetime.time(9, 15),
                "service_categories": ["planning"],
            },
            goals=[goal],
        )


def test_referral_to_a_directory_listing_keeps_its_name(participant, member):
    from alongside.directory.models import Service

    service = Service.objects.filter(status="active").select_related("organization").first()
    referral = services.referral_create(
        participant=participant, actor=member, directory_service_id=service.pk
    )
    assert service.name in referral.provider_name


def test_referral_to_a_missing_listing_is_refused(participant, member):
    import uuid

    with pytest.raises(ValidationError):
        services.referral_create(
            participant=participant, actor=member, directory_service_id=uuid.uuid4()
        )


def test_appointment_end_must_follow_start(participant, member):
    start = datetime.datetime(2026, 3, 3, 10, tzinfo=datetime.UTC)
    with pytest.raises(ValidationError):
        services.appointment_create(
            participant=participant, actor=member, starts_at=start, ends_at=start, place="Office"
        )


def test_only_the_author_signs_a_note(encounter, supervisor):
    with pytest.raises(ValidationError):
        services.encounter_sign(encounter=encounter, actor=supervisor)
    encounter.refresh_from_db()
    assert not encounter.is_signed
