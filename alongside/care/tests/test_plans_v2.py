"""Plans v2: versions keep their goals as agreed, review-by dates, the plan current on a day,
plans due for review, and the wellness and crisis plan (pages and API)."""

import datetime
import importlib
import json

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside.care import selectors, services
from alongside.care.models import CareSettings, PlanVersion, PlanVersionGoal, WellnessPlan
from alongside.care.plan_selectors import plan_versions_with_goals, plans_due
from alongside.core.models import AuditEvent, Membership
from alongside.core.services import api_token_create
from alongside.core.tenancy import organization_scope
from alongside.lib.crypto import encrypted_fields

from .conftest import make_participant

MARCH_2 = datetime.date(2026, 3, 2)
DAY = datetime.timedelta(days=1)


def _agree(participant, actor, agreed_on=MARCH_2, **extra):
    return services.plan_version_create(
        participant=participant,
        actor=actor,
        summary="Steady days",
        agreed_on=agreed_on,
        agreed_how="signed",
        **extra,
    )


def _goal(participant, actor, text, **data):
    return services.goal_create(
        participant=participant,
        actor=actor,
        data={"text": text, "service_category": "planning", **data},
    )


# --- Versions keep their goals ------------------------------------------------------------


def test_a_version_keeps_its_goals_as_agreed_after_edits(participant, member, goal, in_org):
    version = _agree(participant, member)
    services.goal_update(
        goal=goal, actor=member, data={"text": "Play guitar at the open mic", "status": "achieved"}
    )
    row = PlanVersionGoal.objects.get(version=version)
    assert (row.text, row.status) == ("I want to get back to playing guitar", "active")
    assert row.chime == ["identity", "meaning"]


def test_the_version_page_shows_goals_as_agreed(sign_in, member, participant, goal, in_org):
    version = _agree(participant, member)
    services.goal_update(goal=goal, actor=member, data={"text": "Something else entirely"})
    page = sign_in(member).get(reverse("care:plan_version", args=[participant.pk, version.pk]))
    assert "I want to get back to playing guitar" in page.content.decode()
    assert "Something else entirely" not in page.content.decode()


def test_an_unchanged_goal_carries_over_and_changes_are_marked(participant, member, goal, in_org):
    _agree(participant, member)
    second = _goal(participant, member, "Walk to the library")
    _agree(participant, member, agreed_on=MARCH_2 + 30 * DAY)
    services.goal_update(goal=second, actor=member, data={"steps": "Every Saturday"})
    _agree(participant, member, agreed_on=MARCH_2 + 60 * DAY)
    newest, middle, first = plan_versions_with_goals(participant)
    assert [(g.row.text, g.change) for g in first.goals] == [
        ("I want to get back to playing guitar", "first")
    ]
    assert [(g.row.text, g.change) for g in middle.goals] == [
        ("I want to get back to playing guitar", "same"),
        ("Walk to the library", "new"),
    ]
    assert [g.change for g in newest.goals] == ["same", "changed"]


def test_an_achieved_goal_leaves_the_next_version(participant, member, goal, in_org):
    _agree(participant, member)
    services.goal_update(goal=goal, actor=member, data={"status": "achieved"})
    _agree(participant, member, agreed_on=MARCH_2 + DAY)
    newest, _first = plan_versions_with_goals(participant)
    assert newest.goals == []
    assert [row.text for row in newest.dropped] == ["I want to get back to playing guitar"]


def test_chosen_goals_must_be_the_persons(org, participant, member, goal, in_org):
    other = make_participant(org, member, name="Other (sample)")
    foreign_goal = _goal(other, member, "Not theirs")
    with pytest.raises(ValidationError) as caught:
        _agree(participant, member, goals=[goal, foreign_goal])
    assert "goals" in caught.value.message_dict
    assert not PlanVersion.objects.exists()


def test_the_migration_snapshots_existing_versions(participant, member, goal, in_org):
    version = _agree(participant, member, goals=[])
    PlanVersion.objects.filter(pk=version.pk).update(review_by=datetime.date(2000, 1, 1))
    migration = importlib.import_module("alongside.care.migrations.0007_plans_v2")
    migration.review_dates_and_goal_snapshots(apps, None)
    version.refresh_from_db()
    assert version.review_by == MARCH_2 + 90 * DAY
    assert [r.text for r in version.goal_rows.all()] == ["I want to get back to playing guitar"]


# --- Review-by dates and the plan current on a day -----------------------------------------


def test_review_by_defaults_to_the_organizations_period(org, participant, member, in_org):
    assert _agree(participant, member).review_by == MARCH_2 + 90 * DAY
    CareSettings.objects.create(organization=org, plan_review_days=30)
    assert _agree(participant, member, agreed_on=MARCH_2 + DAY).review_by == MARCH_2 + 31 * DAY


def test_review_by_must_come_after_the_agreement(participant, member, in_org):
    with pytest.raises(ValidationError) as caught:
        _agree(participant, member, review_by=MARCH_2)
    assert "review_by" in caught.value.message_dict


def test_plan_current_on_its_boundaries(participant, member, in_org):
    version = _agree(participant, member, review_by=MARCH_2 + 90 * DAY)
    current = selectors.plan_current_on
    assert current(participant, MARCH_2 - DAY) is None
    assert current(participant, MARCH_2) == version
    assert current(participant, MARCH_2 + 90 * DAY) == version
    assert current(participant, MARCH_2 + 91 * DAY) is None


def test_plan_current_on_with_two_versions(participant, member, in_org):
    first = _agree(participant, member, review_by=MARCH_2 + 90 * DAY)
    second = _agree(participant, member, agreed_on=MARCH_2 + 30 * DAY)
    current = selectors.plan_current_on
    assert current(participant, MARCH_2 + 29 * DAY) == first
    assert current(participant, MARCH_2 + 30 * DAY) == second
    assert current(participant, MARCH_2 + 100 * DAY) == second
    assert current(participant, second.review_by + DAY) is None


def test_a_replaced_version_is_not_current_even_before_its_review_date(participant, member, in_org):
    _agree(participant, member, review_by=MARCH_2 + 90 * DAY)
    second = _agree(participant, member, agreed_on=MARCH_2 + 10 * DAY, review_by=MARCH_2 + 20 * DAY)
    assert selectors.plan_current_on(participant, second.review_by + DAY) is None


# --- Plans due for review ------------------------------------------------------------------


@pytest.fixture
def today():
    # The pages list what is due from the real today; every date here is relative to it.
    return timezone.localdate()


@pytest.fixture
def caseload(org, member, today, in_org):
    """Four people of ``member``'s: overdue, due soon, not due, and without a plan."""
    people = {}
    for name, review_in in (("Overdue", -5), ("Soon", 10), ("Later", 40), ("No plan", None)):
        p = make_participant(org, member, name=f"{name} (sample)", specialists=[member])
        if review_in is not None:
            _agree(p, member, agreed_on=today - 60 * DAY, review_by=today + review_in * DAY)
        people[name] = p
    return people


def _membership(user, org):
    return Membership.objects.get(user=user, organization=org)


def test_plans_due_lists_the_most_overdue_first(org, member, caseload, today, in_org):
    due = plans_due(_membership(member, org), today=today)
    assert [p.preferred_name for p in due.due] == ["Overdue (sample)", "Soon (sample)"]
    assert [p.preferred_name for p in due.no_plan] == ["No plan (sample)"]
    assert due.due[0].review_by == today - 5 * DAY


def test_plans_due_leaves_out_discharged_people_and_other_caseloads(
    org, member, supervisor, caseload, today, in_org
):
    services.participant_discharge(
        participant=caseload["Overdue"],
        actor=member,
        discharged_on=today,
        reason="moved",
        note="",
    )
    make_participant(org, supervisor, name="Not mine (sample)", specialists=[supervisor])
    due = plans_due(_membership(member, org), today=today)
    assert [p.preferred_name for p in due.due] == ["Soon (sample)"]
    assert [p.preferred_name for p in due.no_plan] == ["No plan (sample)"]
    team = plans_due(_membership(supervisor, org), today=today)
    assert "Not mine (sample)" in [p.preferred_name for p in team.no_plan]


def test_plans_due_costs_the_same_queries_for_any_caseload(
    org, member, caseload, today, in_org, django_assert_max_num_queries
):
    for i in range(5):
        p = make_participant(org, member, name=f"More {i} (sample)", specialists=[member])
        _agree(p, member, agreed_on=today - 100 * DAY)
    membership = _membership(member, org)
    with django_assert_max_num_queries(8):
        due = plans_due(membership, today=today)
        assert len(due.due) == 7
        assert all(p.specialists.all() for p in due.due)


def test_the_dashboard_and_the_page_list_plans_due(sign_in, member, caseload):
    client = sign_in(member)
    dashboard = client.get(reverse("care:dashboard")).content.decode()
    assert "Plans due for review" in dashboard and "Overdue (sample)" in dashboard
    assert "no agreed plan yet" in dashboard
    page = client.get(reverse("care:plans_due"))
    text = page.content.decode()
    assert text.index("Overdue (sample)") < text.index("Soon (sample)")
    assert "Later (sample)" not in text
    assert AuditEvent.objects.filter(object_type="care.plans_due", actor=member).exists()


def test_the_plans_due_page_costs_the_same_queries_for_any_caseload(
    sign_in, org, member, caseload, today, django_assert_max_num_queries
):
    client = sign_in(member)
    for i in range(6):
        p = make_participant(org, member, name=f"More {i} (sample)", specialists=[member])
        with organization_scope(org):
            _agree(p, member, agreed_on=today - 100 * DAY)
    with django_assert_max_num_queries(17):  # one of them the staff bar's unread count
        assert client.get(reverse("care:plans_due")).status_code == 200


def test_plans_due_shows_no_other_organizations_people(sign_in, outsider, caseload):
    text = sign_in(outsider).get(reverse("care:plans_due")).content.decode()
    assert "Overdue (sample)" not in text and "No plan (sample)" not in text


# --- The agree form and the settings ---------------------------------------------------------


def test_the_agree_form_takes_a_review_date_and_chosen_goals(
    sign_in, member, participant, goal, in_org
):
    other = _goal(participant, member, "Walk to the library")
    url = reverse("care:plan_version_create", args=[participant.pk])
    client = sign_in(member)
    assert client.get(url).context["form"].initial["goals"] == [goal, other]
    response = client.post(
        url,
        {
            "agreed_on": "2026-03-02",
            "agreed_how": "signed",
            "review_by": "2026-04-02",
            "goals": [str(other.pk)],
        },
    )
    assert response.status_code == 302
    version = PlanVersion.objects.get()
    assert version.review_by == datetime.date(2026, 4, 2)
    assert [r.text for r in version.goal_rows.all()] == ["Walk to the library"]


def test_the_agree_form_refuses_a_review_date_before_agreement(sign_in, member, participant):
    response = sign_in(member).post(
        reverse("care:plan_version_create", args=[participant.pk]),
        {"agreed_on": "2026-03-02", "agreed_how": "signed", "review_by": "2026-03-01"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["review_by"]
    with organization_scope(participant.organization):
        assert not PlanVersion.objects.exists()


def test_the_settings_page_sets_the_review_period(sign_in, admin, org):
    response = sign_in(admin).post(
        reverse("care:settings"), {"not_seen_days": "30", "plan_review_days": "180"}
    )
    assert response.status_code == 302
    with organization_scope(org):
        assert CareSettings.objects.get().plan_review_days == 180


# --- The wellness and crisis plan ------------------------------------------------------------

WELLNESS = {
    "keeps_me_well": "Walking the dog every morning",
    "early_signs": "I stop answering texts",
    "what_helps": "A short walk with someone",
    "who_to_call": "My sister Dana (sample) 603-555-0123",
    "do_not_want": "Please do not call my employer",
    "updated_on": "2026-03-02",
}


def test_the_wellness_form_saves_and_the_page_shows_it(sign_in, member, participant):
    client = sign_in(member)
    edit = reverse("care:wellness_plan_edit", args=[participant.pk])
    assert client.post(edit, WELLNESS).status_code == 302
    page = client.get(reverse("care:wellness_plan", args=[participant.pk])).content.decode()
    assert "My sister Dana (sample) 603-555-0123" in page
    with organization_scope(participant.organization):
        plan = WellnessPlan.objects.get()
    assert (plan.written_with, plan.updated_on) == (member, MARCH_2)


def test_the_wellness_form_changes_are_audited_by_field(sign_in, member, supervisor, participant):
    edit = reverse("care:wellness_plan_edit", args=[participant.pk])
    sign_in(member).post(edit, WELLNESS)
    sign_in(supervisor).post(edit, {**WELLNESS, "what_helps": "Music"})
    event = AuditEvent.objects.filter(object_type="care.wellnessplan", action="update").get()
    assert event.changed_fields == ["what_helps", "written_with"]
    assert "Music" not in json.dumps(event.changed_fields)
    with organization_scope(participant.organization):
        assert WellnessPlan.objects.get().written_with == supervisor


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (dict.fromkeys(WellnessPlan.PARTS, ""), "keeps_me_well"),
        ({"updated_on": "2199-01-01"}, "updated_on"),
        ({"updated_on": "not a date"}, "updated_on"),
        ({"who_to_call": "x" * 5001}, "who_to_call"),
    ],
)
def test_the_wellness_form_refuses_bad_input_and_saves_nothing(
    sign_in, member, participant, change, field
):
    response = sign_in(member).post(
        reverse("care:wellness_plan_edit", args=[participant.pk]), {**WELLNESS, **change}
    )
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    with organization_scope(participant.organization):
        assert not WellnessPlan.objects.exists()


def test_the_wellness_plan_is_encrypted_at_rest():
    encrypted = dict(encrypted_fields())
    assert set(WellnessPlan.PARTS) <= set(encrypted[WellnessPlan])


def test_the_safety_page_links_to_the_wellness_plan(sign_in, member, participant):
    page = sign_in(member).get(reverse("care:safety_create", args=[participant.pk]))
    assert reverse("care:wellness_plan", args=[participant.pk]) in page.content.decode()


def test_the_participant_page_links_to_the_new_pages(sign_in, member, participant):
    page = sign_in(member).get(reverse("care:participant", args=[participant.pk])).content.decode()
    assert reverse("care:wellness_plan", args=[participant.pk]) in page
    assert reverse("care:person_copy", args=[participant.pk]) in page


# --- The API ---------------------------------------------------------------------------------


class Api:
    def __init__(self, user, organization):
        self.client = Client()
        secret = api_token_create(user=user, organization=organization)
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    def call(self, method, path, body=None):
        if method == "get":
            return self.client.get(f"/api/v1{path}", **self.headers)
        return getattr(self.client, method)(
            f"/api/v1{path}", json.dumps(body), content_type="application/json", **self.headers
        )


API_WELLNESS = {**WELLNESS}


def test_the_api_writes_and_reads_the_wellness_plan(member, org, participant):
    api, path = Api(member, org), f"/participants/{participant.pk}/wellness-plan"
    assert api.call("get", path).status_code == 404
    assert api.call("put", path, API_WELLNESS).status_code == 200
    again = api.call("put", path, {**API_WELLNESS, "early_signs": ""})
    assert again.status_code == 200
    body = api.call("get", path).json()
    assert (body["who_to_call"], body["early_signs"]) == (WELLNESS["who_to_call"], "")
    assert body["written_with"] == member.username


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (dict.fromkeys(WellnessPlan.PARTS, ""), "keeps_me_well"),
        ({"updated_on": "2199-01-01"}, "updated_on"),
        ({"updated_on": "yesterday"}, "updated_on"),
        ({"what_helps": "x" * 5001}, "what_helps"),
        ({"what_helps": "a\x00b"}, "what_helps"),
        ({"mood_score": 3}, "mood_score"),
    ],
)
def test_the_api_refuses_a_bad_wellness_plan_and_saves_nothing(
    member, org, participant, change, field
):
    api = Api(member, org)
    response = api.call(
        "put", f"/participants/{participant.pk}/wellness-plan", {**WELLNESS, **change}
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]
    with organization_scope(org):
        assert not WellnessPlan.objects.exists()


def test_the_api_records_versions_with_goals_and_review_dates(member, org, participant, goal):
    api, path = Api(member, org), f"/participants/{participant.pk}/plans"
    body = {"agreed_on": "2026-03-02", "agreed_how": "signed", "goals": [str(goal.pk)]}
    created = api.call("post", path, body)
    assert created.status_code == 201
    assert created.json()["review_by"] == "2026-05-31"
    assert [g["text"] for g in created.json()["goals"]] == ["I want to get back to playing guitar"]
    api.call("patch", f"/participants/{participant.pk}/goals/{goal.pk}", {"text": "Changed"})
    assert api.call("get", path).json()[0]["goals"][0]["text"] == goal.text


def test_the_api_refuses_another_persons_goal_in_a_version(member, org, participant):
    other = make_participant(org, member, name="Other (sample)")
    with organization_scope(org):
        foreign = _goal(other, member, "Not theirs")
    api = Api(member, org)
    body = {"agreed_on": "2026-03-02", "agreed_how": "signed", "goals": [str(foreign.pk)]}
    response = api.call("post", f"/participants/{participant.pk}/plans", body)
    assert response.status_code == 400 and "goals" in response.json()["errors"]


# --- Another organization's records answer 404 -----------------------------------------------


def test_outsider_gets_404_on_every_new_page_and_endpoint(
    sign_in, outsider, other_org, member, participant, goal, in_org
):
    version = _agree(participant, member)
    services.wellness_plan_save(
        participant=participant, actor=member, data={**WELLNESS, "updated_on": MARCH_2}
    )
    client = sign_in(outsider)
    pk = participant.pk
    pages = [
        ("get", reverse("care:plan_version", args=[pk, version.pk])),
        ("get", reverse("care:wellness_plan", args=[pk])),
        ("get", reverse("care:wellness_plan_edit", args=[pk])),
        ("post", reverse("care:wellness_plan_edit", args=[pk])),
        ("get", reverse("care:person_copy", args=[pk])),
        ("get", reverse("care:person_copy_pdf", args=[pk])),
    ]
    for method, url in pages:
        assert getattr(client, method)(url).status_code == 404, url
    api = Api(outsider, other_org)
    for method, body in (("get", None), ("put", WELLNESS)):
        response = api.call(method, f"/participants/{pk}/wellness-plan", body)
        assert response.status_code == 404, method
    assert api.call("get", f"/participants/{pk}/plans").status_code == 404
    assert WellnessPlan.objects.get().who_to_call == WELLNESS["who_to_call"]


def test_a_version_of_another_participant_answers_404(sign_in, org, member, participant, in_org):
    other = make_participant(org, member, name="Other (sample)")
    version = _agree(other, member)
    url = reverse("care:plan_version", args=[participant.pk, version.pk])
    assert sign_in(member).get(url).status_code == 404


# --- Sample data -----------------------------------------------------------------------------


def test_the_sample_data_has_plans_to_review_and_wellness_plans(db):
    from io import StringIO

    from django.core.management import call_command
    from django_scopes import scopes_disabled

    from alongside.care.models import Participant

    call_command("demo_seed", stdout=StringIO())
    call_command("load_care_sample_data", stdout=StringIO())
    today = timezone.localdate()
    with scopes_disabled():
        assert PlanVersion.objects.filter(number=2).exists()
        assert PlanVersionGoal.objects.filter(version__number=2).exists()
        current = [selectors.plan_current_on(p, today) for p in Participant.objects.all()]
        assert None in current  # some plans are past their review-by date
        wellness = list(WellnessPlan.objects.all())
        assert wellness and all("603-555-01" in w.who_to_call for w in wellness)
