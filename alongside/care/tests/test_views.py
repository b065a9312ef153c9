import datetime

import pytest
from django.urls import reverse

from alongside.care import services
from alongside.care.models import Encounter, Goal, Participant
from alongside.core.models import AuditEvent

from .conftest import TODAY

# Service calls and ORM reads in these tests act within the organization's scope.
pytestmark = pytest.mark.usefixtures("in_org")


@pytest.fixture
def records(participant, member, encounter, goal):
    """One record of each kind that has its own URL, for ``participant``."""
    consent = services.consent_create(
        participant=participant,
        actor=member,
        data={
            "discloser": "Granite",
            "recipients": "Harbor Housing",
            "information": "Contact dates",
            "information_categories": ["encounter_dates"],
            "purposes": ["benefits"],
            "expires_on": datetime.date(2026, 12, 31),
            "signature_name": "Jordan",
            "signed_on": TODAY,
        },
    )
    concern = services.safety_concern_raise(
        participant=participant, actor=member, actions=["safety_plan_reviewed"], note="x"
    )
    referral = services.referral_create(participant=participant, actor=member, provider_name="A")
    start = datetime.datetime(2026, 3, 3, 15, tzinfo=datetime.UTC)
    appointment = services.appointment_create(
        participant=participant,
        actor=member,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        place="Office",
    )
    return {
        "appointment": appointment,
        "consent": consent,
        "concern": concern,
        "referral": referral,
        "encounter": encounter,
        "goal": goal,
    }


def _urls(participant, records):
    p = participant.pk
    return [
        ("get", reverse("care:participant", args=[p])),
        ("get", reverse("care:participant_edit", args=[p])),
        ("post", reverse("care:participant_enrollment", args=[p, "discharge"])),
        ("get", reverse("care:consent_create", args=[p])),
        ("post", reverse("care:consent_revoke", args=[p, records["consent"].pk])),
        ("get", reverse("care:goal_create", args=[p])),
        ("get", reverse("care:goal_edit", args=[p, records["goal"].pk])),
        ("post", reverse("care:goal_progress", args=[p, records["goal"].pk])),
        ("get", reverse("care:encounter_create", args=[p])),
        ("get", reverse("care:encounter", args=[p, records["encounter"].pk])),
        ("post", reverse("care:encounter_sign", args=[p, records["encounter"].pk])),
        ("post", reverse("care:encounter_amend", args=[p, records["encounter"].pk])),
        ("get", reverse("care:safety_create", args=[p])),
        ("post", reverse("care:safety_resolve", args=[p, records["concern"].pk])),
        ("get", reverse("care:referral_create", args=[p])),
        ("post", reverse("care:referral_status", args=[p, records["referral"].pk])),
        ("get", reverse("care:appointment_create", args=[p])),
        ("get", reverse("care:appointment_edit", args=[p, records["appointment"].pk])),
        ("post", reverse("care:appointment_cancel", args=[p, records["appointment"].pk])),
        ("get", reverse("care:disclosure_create", args=[p])),
        ("get", reverse("care:restriction_create", args=[p])),
        ("get", reverse("care:plan_version_create", args=[p])),
    ]


def test_outsider_gets_404_on_every_page_that_takes_an_id(sign_in, outsider, participant, records):
    client = sign_in(outsider)
    for method, url in _urls(participant, records):
        response = getattr(client, method)(url)
        assert response.status_code == 404, url


def test_member_reaches_every_page(sign_in, member, participant, records):
    client = sign_in(member)
    for method, url in _urls(participant, records):
        if method == "get":
            assert client.get(url).status_code == 200, url


def test_records_of_another_participant_answer_404(sign_in, member, org, participant, records):
    from .conftest import make_participant

    other = make_participant(org, member, name="Other (sample)")
    client = sign_in(member)
    url = reverse("care:encounter", args=[other.pk, records["encounter"].pk])
    assert client.get(url).status_code == 404


def test_billing_only_member_cannot_read_notes(sign_in, billing_user, participant, encounter):
    client = sign_in(billing_user)
    assert client.get(reverse("care:participant", args=[participant.pk])).status_code == 403
    url = reverse("care:encounter", args=[participant.pk, encounter.pk])
    response = client.get(url)
    assert response.status_code == 403
    assert b"bus routes" not in response.content


def test_directory_editor_cannot_open_the_dashboard(sign_in, member_without_role):
    assert sign_in(member_without_role).get(reverse("care:dashboard")).status_code == 403


def test_viewing_a_participant_is_audited(sign_in, member, participant):
    sign_in(member).get(reverse("care:participant", args=[participant.pk]))
    event = AuditEvent.objects.filter(action="view", participant_id=str(participant.pk)).last()
    assert event is not None
    assert event.actor == member


def test_participant_page_shows_the_record(sign_in, member, participant, records):
    response = sign_in(member).get(reverse("care:participant", args=[participant.pk]))
    assert b"I want to get back to playing guitar" in response.content
    assert b"Harbor Housing" in response.content


def test_create_participant_form_names_the_field_in_error(sign_in, member):
    response = sign_in(member).post(reverse("care:participant_create"), {"focus": "mental_health"})
    assert response.status_code == 400
    assert response.context["form"].errors["preferred_name"]
    assert b"Preferred name" in response.content


def test_create_participant_enrolls_and_assigns(sign_in, member):
    response = sign_in(member).post(
        reverse("care:participant_create"),
        {
            "preferred_name": "Casey (sample)",
            "focus": "substance_use",
            "pathway": "brief",
            "enrolled_on": "2026-03-02",
            "agreement_how": "verbal",
            "specialists": [member.pk],
        },
    )
    participant = Participant.objects.get(preferred_name="Casey (sample)")
    assert response.status_code == 302
    assert list(participant.specialists.all()) == [member]
    assert participant.enrollments.get().agreement_how == "verbal"


def test_signed_note_cannot_be_changed_through_the_page(sign_in, member, participant, encounter):
    services.encounter_sign(encounter=encounter, actor=member)
    client = sign_in(member)
    url = reverse("care:encounter", args=[participant.pk, encounter.pk])
    client.post(url, {"worked_on": "rewritten", "type": "phone"})
    encounter.refresh_from_db()
    assert encounter.worked_on == "Looked at bus routes to the new job"


def test_write_sign_and_amend_a_note(sign_in, member, participant, goal):
    client = sign_in(member)
    response = client.post(
        reverse("care:encounter_create", args=[participant.pk]),
        {
            "type": "in_person",
            "contact": "person",
            "date": "2026-03-03",
            "start_time": "13:00",
            "end_time": "13:45",
            "service_categories": ["illness_management"],
            "goals": [goal.pk],
            "worked_on": "Practised chords",
        },
    )
    encounter = Encounter.objects.get(participant=participant)
    assert response.status_code == 302
    assert encounter.duration_minutes == 45
    sign_url = reverse("care:encounter_sign", args=[participant.pk, encounter.pk])
    digest = client.get(sign_url).context["digest"]
    client.post(sign_url, {"digest": digest})
    client.post(
        reverse("care:encounter_amend", args=[participant.pk, encounter.pk]), {"text": "Added"}
    )
    encounter.refresh_from_db()
    assert encounter.is_signed
    assert encounter.amendments.get().text == "Added"


def test_encounter_end_before_start_names_the_field(sign_in, member, participant):
    response = sign_in(member).post(
        reverse("care:encounter_create", args=[participant.pk]),
        {
            "type": "phone",
            "date": "2026-03-03",
            "start_time": "13:00",
            "end_time": "12:00",
            "service_categories": ["planning"],
        },
    )
    assert response.status_code == 400
    assert "end_time" in response.context["form"].errors


def test_add_goal_in_their_words(sign_in, member, participant):
    sign_in(member).post(
        reverse("care:goal_create", args=[participant.pk]),
        {
            "text": "Find a place with a yard for my dog",
            "service_category": "employment_housing",
            "chime": ["hope", "meaning"],
            "status": "active",
        },
    )
    goal = Goal.objects.get(participant=participant)
    assert goal.chime == ["hope", "meaning"]


def test_safety_page_shows_crisis_lines_and_records(sign_in, member, participant):
    client = sign_in(member)
    url = reverse("care:safety_create", args=[participant.pk])
    assert b'href="tel:988"' in client.get(url).content
    response = client.post(url, {"actions": ["called_988_together"], "note": "Called together"})
    assert response.status_code == 302
    assert participant.safety_concerns.get().actions == ["called_988_together"]
    # Says what happened: this organization has no supervisor or admin to tell.
    told = [str(m) for m in client.get(response.url).context["messages"]]
    assert told == [
        "Recorded, but there is no supervisor or organization admin in Alongside to tell. "
        "Call your supervisor now and tell them what happened."
    ]


def test_name_search_is_posted_not_put_in_the_url(sign_in, member, participant):
    client = sign_in(member)
    response = client.post(reverse("care:participant_list") + "?show=mine", {"q": "jord"})
    assert b"Jordan (sample)" in response.content
    response = client.post(reverse("care:participant_list") + "?show=mine", {"q": "zzz"})
    assert b"Jordan (sample)" not in response.content


def test_unassigned_list(sign_in, member, org, participant):
    from .conftest import make_participant

    make_participant(org, member, name="Nobody Yet (sample)")
    response = sign_in(member).get(reverse("care:participant_list") + "?show=unassigned")
    assert b"Nobody Yet (sample)" in response.content
    assert b"Jordan (sample)" not in response.content


def test_break_glass_is_reviewed_by_a_supervisor(sign_in, member, supervisor, org):
    from alongside.care.models import BreakGlass, CareSettings

    from .conftest import make_participant

    CareSettings.objects.create(organization=org, own_caseload_only=True)
    theirs = make_participant(org, supervisor, name="Theirs (sample)", specialists=[supervisor])
    client = sign_in(member)
    assert client.get(reverse("care:participant", args=[theirs.pk])).status_code == 404
    client.post(reverse("care:break_glass"), {"participant": theirs.pk, "reason": "Crisis call"})
    assert client.get(reverse("care:participant", args=[theirs.pk])).status_code == 200
    grant = BreakGlass.objects.get()
    assert client.post(reverse("care:break_glass_review", args=[grant.pk])).status_code == 403
    sign_in(supervisor).post(reverse("care:break_glass_review", args=[grant.pk]))
    grant.refresh_from_db()
    assert grant.reviewed_by == supervisor


def test_outsider_cannot_review_or_break_glass(sign_in, outsider, member, participant):
    grant = services.break_glass_open(participant=participant, actor=member, reason="x")
    client = sign_in(outsider)
    assert client.post(reverse("care:break_glass_review", args=[grant.pk])).status_code == 404
    response = client.post(
        reverse("care:break_glass"), {"participant": participant.pk, "reason": "x"}
    )
    assert response.status_code == 404


def test_only_an_org_admin_changes_care_settings(sign_in, admin, member, org):
    from alongside.care.access import care_settings

    url = reverse("care:settings")
    assert sign_in(member).get(url).status_code == 403
    response = sign_in(admin).post(url, {"own_caseload_only": "on", "not_seen_days": "14"})
    assert response.status_code == 302
    settings_row = care_settings()
    assert (settings_row.own_caseload_only, settings_row.not_seen_days) == (True, 14)


def test_the_safety_page_shows_the_organizations_protocol(sign_in, admin, member, participant):
    protocol = "Call the on-call supervisor at 555-0142 after 988."
    sign_in(admin).post(
        reverse("care:settings"), {"not_seen_days": "30", "safety_protocol": protocol}
    )
    page = sign_in(member).get(reverse("care:safety_create", args=[participant.pk]))
    assert protocol in page.content.decode()


def test_the_settings_page_marks_the_organization_a_part2_program(sign_in, admin, org):
    url = reverse("care:settings")
    client = sign_in(admin)
    assert 'name="is_part2_program"' in client.get(url).content.decode()
    client.post(url, {"not_seen_days": "30", "is_part2_program": "on"})
    org.refresh_from_db()
    assert org.is_part2_program
    assert AuditEvent.objects.filter(
        action="update", object_type__icontains="organization", changed_fields=["is_part2_program"]
    ).exists()
    client.post(url, {"not_seen_days": "30"})
    org.refresh_from_db()
    assert not org.is_part2_program


def test_a_supervisor_resolves_a_safety_concern(sign_in, member, supervisor, participant, records):
    url = reverse("care:safety_resolve", args=[participant.pk, records["concern"].pk])
    follow_up = {"follow_up": "Called the next morning; they are safe", "follow_up_on": ""}
    assert sign_in(member).post(url, follow_up).status_code == 403
    sign_in(supervisor).post(url, follow_up)
    records["concern"].refresh_from_db()
    assert records["concern"].resolved_by == supervisor


def test_disclosure_without_consent_is_refused_with_the_reason(sign_in, member, participant):
    response = sign_in(member).post(
        reverse("care:disclosure_create", args=[participant.pk]),
        {"recipient": "County Court", "purpose": "legal", "description": "Dates"},
    )
    assert response.status_code == 400
    assert b"There is no consent on file" in response.content
    assert not participant.disclosures.exists()


def test_part2_disclosure_is_recorded_with_the_notice(sign_in, member, participant, records):
    participant.received_from_part2 = True
    participant.save()
    response = sign_in(member).post(
        reverse("care:disclosure_create", args=[participant.pk]),
        {"recipient": "Harbor Housing", "purpose": "benefits", "description": "Contact dates"},
    )
    assert response.status_code == 200
    assert "42 CFR § 2.32" in response.content.decode()
    assert participant.disclosures.get().consent == records["consent"]


def test_restriction_plan_and_progress_are_recorded(sign_in, member, participant, goal):
    client = sign_in(member)
    p = participant.pk
    client.post(
        reverse("care:restriction_create", args=[p]),
        {"use": "billing_insurance", "requested_on": "2026-03-02"},
    )
    client.post(
        reverse("care:plan_version_create", args=[p]),
        {"summary": "Steady days", "agreed_on": "2026-03-02", "agreed_how": "signed"},
    )
    client.post(reverse("care:goal_progress", args=[p, goal.pk]), {"note": "Played twice"})
    assert participant.restrictions.get().use == "billing_insurance"
    assert participant.recovery_plans.get().versions.get().number == 1
    assert goal.progress.get().note == "Played twice"
    response = client.get(reverse("care:goal_edit", args=[p, goal.pk]))
    assert b"Played twice" in response.content


def test_supervisors_see_the_safety_notification(sign_in, supervisor, participant, records):
    response = sign_in(supervisor).get(reverse("core:notifications"))
    [(notification, kind)] = response.context["rows"]
    assert (notification.key, kind) == (str(records["concern"].pk), "Safety concern raised")
