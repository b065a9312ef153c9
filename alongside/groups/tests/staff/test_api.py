"""The groups API: create and change a group, its sessions, attendance, and 404 elsewhere."""

from __future__ import annotations

from datetime import timedelta

import pytest

from alongside.care.models import Encounter
from alongside.care.tests.conftest import make_participant
from alongside.care.tests.test_api import Api
from alongside.core.services import api_token_create
from alongside.groups import services
from alongside.groups.models import Group

pytestmark = pytest.mark.django_db

NEW_GROUP = {
    "name": "Online Men's Circle (sample)",
    "slug": "mens-circle",
    "kind": "peer_support",
    "format": "online",
    "conference_url": "https://meet.example.org/mens-circle",
    "timezone": "America/New_York",
    "meeting_times": [
        {"weekday": 0, "start_time": "19:00", "end_time": "20:00"},
        {"weekday": 2, "start_time": "19:00", "end_time": "20:00"},
    ],
    "facilitators": ["bob"],
}


@pytest.fixture
def api(member, org):
    return Api(api_token_create(user=member, organization=org))


@pytest.fixture
def outsider_api(outsider, other_org):
    return Api(api_token_create(user=outsider, organization=other_org))


def _attendance(api, group, day, body):
    return api.send("put", f"/groups/{group.pk}/sessions/{day.isoformat()}/attendance", body)


def test_create_read_and_change_a_group(api):
    created = api.post("/groups", NEW_GROUP)
    assert created.status_code == 201, created.content
    body = created.json()
    assert [t["weekday"] for t in body["meeting_times"]] == [0, 2]
    assert body["facilitators"] == ["bob"]
    changed = api.patch(f"/groups/{body['id']}", {"capacity": 12, "listed_publicly": True})
    assert changed.status_code == 200
    assert api.get(f"/groups/{body['id']}").json()["capacity"] == 12


def test_a_bad_field_is_named(api):
    answer = api.post("/groups", {**NEW_GROUP, "timezone": "Mars/Olympus"})
    assert answer.status_code == 400
    assert "timezone" in answer.content.decode()


def test_sessions_list_occurrences_with_a_cancelled_one(api, group, last_week, member, in_org):
    services.session_cancel(group=group, scheduled_date=last_week, actor=member)
    answer = api.get(
        f"/groups/{group.pk}/sessions",
        **{"from": last_week.isoformat(), "to": last_week.isoformat()},
    )
    assert answer.status_code == 200
    [only] = answer.json()
    assert only["cancelled"] is True


def test_attendance_of_three_and_four_walk_ins(api, group, last_week, people):
    answer = _attendance(
        api,
        group,
        last_week,
        {"present": [str(p.pk) for p in people], "walk_ins": 4, "summary": "Shared wins."},
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["headcount"] == 7
    assert len(answer.json()["encounters"]) == 3
    again = _attendance(api, group, last_week, {"present": [str(p.pk) for p in people]})
    assert sorted(again.json()["encounters"]) == sorted(answer.json()["encounters"])
    assert Encounter.objects.with_scopes_disabled().filter(type="group").count() == 3


def test_a_note_naming_another_attendee_answers_409_until_confirmed(api, group, last_week, people):
    body = {
        "present": [str(p.pk) for p in people],
        "notes": {str(people[0].pk): "Walked home with Camila."},
    }
    warned = _attendance(api, group, last_week, body)
    assert warned.status_code == 409
    assert "camila" in warned.json()["detail"].lower()
    confirmed = _attendance(api, group, last_week, {**body, "confirm_names": True})
    assert confirmed.status_code == 200


def test_another_organizations_group_date_and_participant_answer_404(
    api, outsider_api, group, last_week, people, other_org, outsider
):
    assert outsider_api.get(f"/groups/{group.pk}").status_code == 404
    assert outsider_api.patch(f"/groups/{group.pk}", {"capacity": 3}).status_code == 404
    assert outsider_api.get(f"/groups/{group.pk}/sessions").status_code == 404
    assert _attendance(outsider_api, group, last_week, {}).status_code == 404
    # A date the group does not meet on, and someone of another organization.
    assert _attendance(api, group, last_week + timedelta(days=1), {}).status_code == 404
    stranger = make_participant(other_org, outsider, name="Elsewhere Person (sample)")
    answer = _attendance(api, group, last_week, {"present": [str(stranger.pk)]})
    assert answer.status_code == 404
    assert not Group.objects.with_scopes_disabled().filter(organization=other_org).exists()
