"""The GPRA follow-up window, its edges, the rate and who is due this month."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import reverse

from alongside.core.models import AuditEvent
from alongside.core.tenancy import organization_scope
from alongside.lib.dates import months_after
from alongside.reports import gpra, services

from .conftest import make_person, metric, run

INTAKE = date(2026, 1, 1)


@dataclass
class Episode:
    intake_on: date
    followup_on: date | None = None


def test_the_window_runs_from_5_to_8_months_after_intake():
    window = gpra.followup_window(INTAKE)
    assert (window.opens_on, window.closes_on) == (date(2026, 6, 1), date(2026, 9, 1))


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        (date(2026, 5, 31), False),  # the day before it opens
        (date(2026, 6, 1), True),  # the first day
        (date(2026, 9, 1), True),  # the last day
        (date(2026, 9, 2), False),  # the day after
    ],
)
def test_window_edges(day, inside):
    assert gpra.in_window(Episode(INTAKE, day)) is inside


def test_a_month_end_intake_clamps_to_the_shorter_month():
    window = gpra.followup_window(date(2026, 3, 31))
    assert (window.opens_on, window.closes_on) == (date(2026, 8, 31), date(2026, 11, 30))


def test_the_window_follows_the_settings(settings):
    settings.ALONGSIDE_GPRA_WINDOW_OPENS_MONTHS = 6
    assert gpra.followup_window(INTAKE).opens_on == date(2026, 7, 1)


def test_rate_counts_only_interviews_inside_the_window():
    episodes = [
        Episode(INTAKE, date(2026, 7, 15)),  # inside
        Episode(INTAKE, date(2026, 5, 20)),  # too early: recorded, not counted
        Episode(INTAKE),  # not done
        Episode(date(2026, 2, 1), date(2026, 9, 1)),  # closes 1 October: not due in the period
    ]
    rate = gpra.followup_rate(episodes, date(2026, 7, 1), date(2026, 9, 30))
    assert (rate.due, rate.done_in_window, rate.done_outside_window) == (3, 1, 1)
    assert rate.percent == 33.3
    assert rate.meets_target is False


def test_no_follow_up_due_has_no_rate():
    assert gpra.followup_rate([], INTAKE, INTAKE).percent is None


@pytest.mark.parametrize(
    ("today", "due"),
    [(date(2026, 5, 31), False), (date(2026, 6, 1), True), (date(2026, 9, 30), True),
     (date(2026, 10, 1), False)],
)  # fmt: skip
def test_due_this_month(today, due):
    assert gpra.due_in_month(Episode(INTAKE), today) is due


def test_done_is_never_due():
    assert gpra.due_in_month(Episode(INTAKE, date(2026, 6, 3)), date(2026, 6, 10)) is False


@pytest.mark.django_db
def test_the_report_gives_the_rate_with_an_out_of_window_interview(org, supervisor):
    people = [make_person(org, supervisor, name=f"P{n} (sample)") for n in range(4)]
    followups = [date(2026, 6, 1), date(2026, 9, 1), date(2026, 9, 2), None]
    with organization_scope(org):
        for person, followup in zip(people, followups, strict=True):
            data = {"intake_on": INTAKE, "followup_on": followup}
            services.gpra_episode_create(participant=person, actor=supervisor, data=data)
    result = run(org, "gpra", start=date(2026, 7, 1), end=date(2026, 9, 30))
    found = {r.measure: r.value for r in metric(result, "gpra_followups").rows}
    assert found["followups_due"] == 4
    assert found["followups_in_window"] == 2
    assert found["followups_outside_window"] == 1
    assert str(found["rate_percent"]) == "50.0"
    assert found["target_percent"] == 80


@pytest.mark.django_db
def test_due_list_names_only_people_the_viewer_may_open(org, supervisor, sign_in, settings):
    today = date.today()
    intake = months_after(today.replace(day=1), -6)
    person = make_person(org, supervisor, name="Due Person (sample)")
    with organization_scope(org):
        services.gpra_episode_create(
            participant=person, actor=supervisor, data={"intake_on": intake}
        )
    page = sign_in(supervisor).get(reverse("reports:gpra_due"))
    assert "Due Person (sample)" in page.content.decode()
    assert AuditEvent.objects.filter(
        object_type="reports.gpra_due", participant_id=str(person.pk)
    ).exists()


@pytest.mark.django_db
def test_recording_a_follow_up_on_the_page(org, supervisor, sign_in):
    person = make_person(org, supervisor)
    client = sign_in(supervisor)
    url = reverse("reports:gpra_participant", args=[person.pk])
    assert client.post(url, {"intake_on": "2026-01-01"}).status_code == 302
    with organization_scope(org):
        episode = person.gpra_episodes.get()
    edit = reverse("reports:gpra_episode", args=[episode.pk])
    response = client.post(edit, {"intake_on": "2026-01-01", "followup_on": "2026-06-02"})
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.followup_on == date(2026, 6, 2)


@pytest.mark.django_db
def test_a_follow_up_before_the_intake_is_refused(org, supervisor, sign_in):
    person = make_person(org, supervisor)
    url = reverse("reports:gpra_participant", args=[person.pk])
    response = sign_in(supervisor).post(
        url, {"intake_on": "2026-01-01", "followup_on": "2025-12-01"}
    )
    assert response.status_code == 400


@pytest.mark.django_db
def test_outsider_gets_404_on_a_participant_and_an_episode(org, supervisor, outsider, sign_in):
    person = make_person(org, supervisor)
    with organization_scope(org):
        episode = services.gpra_episode_create(
            participant=person, actor=supervisor, data={"intake_on": INTAKE}
        )
    client = sign_in(outsider)
    assert client.get(reverse("reports:gpra_participant", args=[person.pk])).status_code == 404
    assert client.get(reverse("reports:gpra_episode", args=[episode.pk])).status_code == 404


@pytest.mark.django_db
def test_an_episode_page_names_the_person(org, supervisor, sign_in):
    person = make_person(org, supervisor)
    with organization_scope(org):
        episode = services.gpra_episode_create(
            participant=person, actor=supervisor, data={"intake_on": INTAKE}
        )
    page = sign_in(supervisor).get(reverse("reports:gpra_episode", args=[episode.pk]))
    assert page.status_code == 200
    assert AuditEvent.objects.filter(action="view", participant_id=str(person.pk)).exists()
