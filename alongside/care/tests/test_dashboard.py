import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alongside.care import services

from .conftest import make_participant

# Service calls and ORM reads in these tests act within the organization's scope.
pytestmark = pytest.mark.usefixtures("in_org")


def _caseload(org, specialist, count, start=0):
    now = timezone.now()
    for i in range(start, start + count):
        p = make_participant(org, specialist, name=f"Person {i} (sample)", specialists=[specialist])
        services.goal_create(
            participant=p,
            actor=specialist,
            data={
                "text": "Walk every day",
                "service_category": "illness_management",
                "target_date": datetime.date(2020, 1, 1),
            },
        )
        services.encounter_create(
            participant=p,
            actor=specialist,
            data={
                "type": "phone",
                "date": datetime.date(2020, 1, 1),
                "start_time": datetime.time(9),
                "end_time": datetime.time(9, 20),
                "service_categories": ["planning"],
                "worked_on": "x",
            },
        )
        services.appointment_create(
            participant=p,
            actor=specialist,
            starts_at=now + datetime.timedelta(hours=2),
            ends_at=now + datetime.timedelta(hours=3),
            place="Office",
            transportation="needs_ride",
        )
        services.safety_concern_raise(
            participant=p, actor=specialist, actions=["safety_plan_reviewed"], note="x"
        )


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_dashboard_queries_do_not_grow_with_the_caseload(sign_in, org, member, supervisor):
    url = reverse("care:dashboard")
    _caseload(org, member, 5)
    specialist, team = sign_in(member), sign_in(supervisor)
    small = (_count(specialist, url)[0], _count(team, url)[0])
    _caseload(org, member, 45, start=5)
    large_specialist, response = _count(specialist, url)
    large_team, _team_response = _count(team, url)
    assert (large_specialist, large_team) == small
    assert len(response.context["d"].goals_overdue) == 25  # the list stops at a fixed length


def test_participant_list_queries_do_not_grow(sign_in, org, member):
    url = reverse("care:participant_list") + "?show=active"
    _caseload(org, member, 5)
    client = sign_in(member)
    small, _response = _count(client, url)
    _caseload(org, member, 45, start=5)
    large, response = _count(client, url)
    assert large == small
    assert response.content.count(b"(sample)</a>") == 50


def test_dashboard_shows_what_needs_attention(sign_in, org, member, supervisor):
    _caseload(org, member, 1)
    response = sign_in(supervisor).get(reverse("care:dashboard"))
    assert b"Team caseload" in response.content
    assert [(row["user"].pk, row["size"]) for row in response.context["d"].caseloads] == [
        (member.pk, 1)
    ]
    assert len(response.context["d"].safety_open) == 1
    assert len(response.context["d"].unsigned) == 1
    assert (
        len(response.context["d"].appointments_today)
        + len(response.context["d"].appointments_upcoming)
        == 1
    )
